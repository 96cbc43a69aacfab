import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CAUGHT_UP_TRAILER, DeltaRecord } from './delta-record.js';

describe('DeltaRecord', () => {
  it('appends the changes as a gzip member closed by its own line, counted in the sizes it returns', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gw-delta-')), 'b.sql.gz');
    const dump = '-- Dump completed on 2025-11-20 10:00:00\n';
    writeFileSync(file, gzipSync(dump));
    const record = DeltaRecord.open(file);
    await record.statement('DELETE FROM `users` WHERE id = 1');
    const grown = await record.appendTo(file);
    const sql = gunzipSync(readFileSync(file)).toString();
    expect(sql).toMatch(new RegExp(`^${dump}DELETE FROM \`users\` WHERE id = 1;\n${CAUGHT_UP_TRAILER} on \\d{4}-\\d\\d-\\d\\dT[^\n]+\n$`));
    expect(grown.uncompressedBytes).toBe(Buffer.byteLength(sql) - Buffer.byteLength(dump));
    expect(grown.bytes).toBe(readFileSync(file).length);
    // The appended part is a section of its own: it gunzips alone, to exactly the SQL its sha256 is of.
    const { offset, bytes, sqlBytes, sha256 } = grown.section;
    expect([offset, offset + bytes]).toEqual([gzipSync(dump).length, grown.bytes]);
    const appended = gunzipSync(readFileSync(file).subarray(offset, offset + bytes));
    expect(appended.toString()).toBe(sql.slice(dump.length));
    expect([sqlBytes, sha256]).toEqual([appended.length, createHash('sha256').update(appended).digest('hex')]);
  });
});
