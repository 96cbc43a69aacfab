import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BackupManifest } from './manifest.js';
import { verifyAndRecord } from './verified-backup.js';
import type { Verifier } from './verify.js';

const SQL = 'INSERT INTO `users` VALUES (1,\'admin\');\n-- Dump completed on 2026-12-02 10:00:00\n';

/** A backup whose copy was loaded as it was dumped, and whose file on disk is `onDisk`. */
function loadedBackup(onDisk: Buffer) {
  const dumped = gzipSync(SQL);
  const file = join(mkdtempSync(join(tmpdir(), 'gw-verified-')), '20261202-100000Z-glowworm-a1b2c3d4e5f6.sql.gz');
  writeFileSync(file, onDisk);
  const manifest = {
    format: 1, database: 'glowworm', createDatabase: 'CREATE DATABASE `glowworm`', tables: { users: { rows: 1, checksum: '1' } },
    dump: { file: 'x', tool: 'mariadb-dump', bytes: dumped.length, uncompressedBytes: SQL.length, sha256: createHash('sha256').update(dumped).digest('hex'), durationMs: 1 },
    verified: null,
  } as unknown as BackupManifest;
  // The copy itself matches: only the file can be wrong here.
  const verifier = { compare: async () => ({ ok: true, tables: 1, mismatches: [] }) } as unknown as Verifier;
  return { file, manifest, verifier };
}

describe('verifyAndRecord of a copy loaded as it was dumped', () => {
  it('reads the file back: a file that differs from what was dumped fails the verification, and the manifest says why', async () => {
    const { file, manifest, verifier } = loadedBackup(Buffer.from('not what was dumped'));
    const events: unknown[] = [];
    await expect(verifyAndRecord(verifier, file, manifest, (e) => events.push(e), { loaded: true }))
      .rejects.toMatchObject({ code: 'backup.verify-failed', message: expect.stringContaining('does not match the sha256') });
    const saved = JSON.parse(readFileSync(file.replace(/\.sql\.gz$/, '.manifest.json'), 'utf8')) as BackupManifest;
    expect(saved.verified).toMatchObject({ ok: false, detail: expect.stringContaining('the file does not match the sha256') });
    expect(events).toEqual([expect.objectContaining({ type: 'backup.verified', checksumsMatch: false })]);
  });

  it('passes when the copy matches and the file reads back whole', async () => {
    const { file, manifest, verifier } = loadedBackup(gzipSync(SQL));
    expect(await verifyAndRecord(verifier, file, manifest, () => undefined, { loaded: true })).toBe('loaded into a throwaway server as it was dumped, the file read back: 1 table matches');
  });
});
