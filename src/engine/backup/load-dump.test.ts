import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DockerPort } from '../docker/port.js';
import { loadDump, readDump } from './load-dump.js';

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

describe('readDump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-dump-'));

  it('gives the SQL of a gzip file and hashes its compressed bytes on the way', async () => {
    const gz = gzipSync('INSERT INTO t VALUES (1);\n'.repeat(100_000));
    writeFileSync(join(dir, 'x.sql.gz'), gz);
    const hash = createHash('sha256');
    expect(await text(readDump(join(dir, 'x.sql.gz'), hash))).toHaveLength(26 * 100_000);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(gz).digest('hex'));
  });

  it('fails its reader when the file cannot be read, instead of leaving it waiting', async () => {
    await expect(text(readDump(join(dir, 'missing.sql.gz')))).rejects.toThrow(/ENOENT/);
    await expect(text(readDump(join(dir, 'missing.sql.gz'), createHash('sha256')))).rejects.toThrow(/ENOENT/);
  });

  // Linux: every open file of this process is an entry here.
  const openFiles = () => readdirSync('/proc/self/fd').length;

  it.each([['without', false], ['with', true]])('closes the file when its reader stops early (%s a hash)', async (_w, hashed) => {
    // Incompressible, so the file is many reads long and the reader stops well before its end.
    writeFileSync(join(dir, 'big.sql.gz'), gzipSync(randomBytes(8 << 20).toString('hex')));
    const before = openFiles();
    const sql = readDump(join(dir, 'big.sql.gz'), hashed ? createHash('sha256') : undefined);
    for await (const _chunk of sql) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBe(before);
  });

});

describe('loadDump', () => {
  it('a file that changed as it was read is found only at the end: the error says the database was loaded from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-dump-'));
    writeFileSync(join(dir, 'x.sql.gz'), gzipSync('INSERT INTO t VALUES (1);\n'));
    let read = 0;
    // The client in the container: takes every byte, and succeeds.
    const docker = { execWithStdin: async (_c: string, _cmd: string[], stdin: AsyncIterable<Buffer>) => {
      for await (const chunk of stdin) read += chunk.length;
      return { exitCode: 0, stdout: '', stderr: '' };
    } } as Partial<DockerPort> as DockerPort;
    const load = loadDump({ docker, container: 'db', client: 'mariadb', user: 'u', password: 'p', database: 'glowworm', file: join(dir, 'x.sql.gz'), expectedSha256: '0'.repeat(64) });
    await expect(load).rejects.toMatchObject({ code: 'backup.corrupt', message: expect.stringContaining('glowworm was loaded from it as it read, so it may not be as backed up') });
    expect(read).toBe(26);
  });
});
