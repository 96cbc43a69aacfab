import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkBackupFile } from './check-file.js';
import { CAUGHT_UP_TRAILER } from './delta-record.js';
import type { DumpSection } from './dump-sections.js';
import type { BackupManifest } from './manifest.js';

const SQL = ['-- MariaDB dump 10.19', 'INSERT INTO `users` VALUES (1,\'admin\');', '-- Dump completed on 2025-11-20 10:00:00', ''].join('\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A backup as glowworm writes it (the dump, its manifest beside it), the manifest describing `describes`. */
function backup(dump: Buffer, describes: { bytes: Buffer; sql: string } = { bytes: dump, sql: SQL }, extra: Partial<BackupManifest> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-check-'));
  const file = join(dir, '20251120-100000Z-glowworm-ce5826f818f3.sql.gz');
  writeFileSync(file, dump);
  const manifest: Partial<BackupManifest> = {
    format: 1, database: 'glowworm', createDatabase: 'CREATE DATABASE `glowworm`', tables: { users: { rows: 1, checksum: '1' } },
    dump: { file: 'x', tool: 'mariadb-dump', bytes: describes.bytes.length, uncompressedBytes: Buffer.byteLength(describes.sql), sha256: sha(describes.bytes), durationMs: 1 },
    ...extra,
  };
  writeFileSync(file.replace(/\.sql\.gz$/, '.manifest.json'), JSON.stringify(manifest));
  return file;
}

describe('checkBackupFile', () => {
  it('passes a complete dump with its manifest', async () => {
    expect((await checkBackupFile(backup(gzipSync(SQL)))).database).toBe('glowworm');
  });

  it('refuses a truncated file by its sha256, as a user error (exit 2: nothing was changed)', async () => {
    const whole = gzipSync(SQL);
    const file = backup(whole.subarray(0, 20), { bytes: whole, sql: SQL });
    await expect(checkBackupFile(file)).rejects.toMatchObject({ kind: 'user', code: 'restore.corrupt', message: expect.stringContaining('does not match the sha256') });
  });

  it('refuses a dump that was broken when its sha256 was taken: not a complete gzip, or cut at a gzip member', async () => {
    const cut = gzipSync(SQL).subarray(0, 30);
    await expect(checkBackupFile(backup(cut))).rejects.toMatchObject({ code: 'restore.corrupt', message: expect.stringContaining('not a complete gzip file') });
    // Parallel gzip writes one member per block: a file cut between members is valid gzip, and short.
    const first = gzipSync(SQL.slice(0, 20));
    await expect(checkBackupFile(backup(first, { bytes: first, sql: SQL }))).rejects.toMatchObject({ message: expect.stringContaining(`holds 20 bytes of SQL, the manifest says ${SQL.length}`) });
    const noTrailer = gzipSync('INSERT 1;\n');
    await expect(checkBackupFile(backup(noTrailer, { bytes: noTrailer, sql: 'INSERT 1;\n' }))).rejects.toMatchObject({ message: expect.stringContaining('"Dump completed" line') });
  });

  it('passes a backup caught up at the stop (the changes appended as a gzip member, closed by their own line), and only then', async () => {
    const delta = `DELETE FROM \`users\` WHERE id = 1;\n${CAUGHT_UP_TRAILER} on 2025-11-20T10:01:00.000Z\n`;
    const grown = Buffer.concat([gzipSync(SQL), gzipSync(delta)]);
    const caughtUp = { caughtUp: { at: '2025-11-20T10:01:00.000Z', chunksCopied: 1, tablesCopiedWhole: 0 } };
    expect((await checkBackupFile(backup(grown, { bytes: grown, sql: SQL + delta }, caughtUp))).caughtUp).toBeDefined();
    // Changes appended without their closing line (cut there), or a dump that says it was caught up and was not.
    const cut = Buffer.concat([gzipSync(SQL), gzipSync('DELETE FROM `users` WHERE id = 1;\n')]);
    await expect(checkBackupFile(backup(cut, { bytes: cut, sql: `${SQL}DELETE FROM \`users\` WHERE id = 1;\n` }, caughtUp)))
      .rejects.toMatchObject({ code: 'restore.corrupt', message: expect.stringContaining('"Catch-up completed" line') });
    await expect(checkBackupFile(backup(gzipSync(SQL), undefined, caughtUp))).rejects.toMatchObject({ code: 'restore.corrupt' });
  });

  it('tells a missing manifest from an unreadable one, naming the manifest', async () => {
    const file = backup(gzipSync(SQL));
    const manifest = file.replace(/\.sql\.gz$/, '.manifest.json');
    writeFileSync(manifest, '{"format": 1, "database": ');
    await expect(checkBackupFile(file)).rejects.toMatchObject({ code: 'restore.manifest-unreadable', message: expect.stringMatching(new RegExp(`The manifest of .*, ${manifest}, is unreadable \\(not valid JSON`)) });
    writeFileSync(manifest, '{"hello": "world"}');
    await expect(checkBackupFile(file)).rejects.toMatchObject({ message: expect.stringContaining('not a glowworm backup manifest') });
    const bare = join(mkdtempSync(join(tmpdir(), 'gw-check-')), 'x.sql.gz');
    writeFileSync(bare, gzipSync(SQL));
    await expect(checkBackupFile(bare)).rejects.toMatchObject({ code: 'restore.no-manifest' });
    await expect(checkBackupFile(join(tmpdir(), 'gw-no-such-backup.sql.gz'))).rejects.toMatchObject({ code: 'restore.no-file' });
  });

  describe('a backup in sections (one gzip member each, their SQL sha256 in the manifest)', () => {
    const parts: [DumpSection['kind'], string | null, string][] = [
      ['head', null, '-- MariaDB dump 10.19\n'],
      ['table', 'users', "-- Table structure for table `users`\nINSERT INTO `users` VALUES (1,'admin');\n"],
      ['table', 'images', '-- Table structure for table `images`\nINSERT INTO `images` VALUES (1,0xFF);\n'],
      ['tail', null, '-- Dumping routines for database \'glowworm\'\n-- Dump completed on 2025-11-20 10:00:00\n'],
    ];
    const members = parts.map(([, , sql]) => gzipSync(sql));
    const whole = Buffer.concat(members);
    const sql = parts.map(([, , t]) => t).join('');
    const sections = (wrongSha = -1): DumpSection[] => {
      let offset = 0;
      return parts.map(([kind, name, text], i) => {
        const s = { kind, name, offset, bytes: members[i]!.length, sqlBytes: Buffer.byteLength(text), sha256: i === wrongSha ? sha(Buffer.from('other')) : sha(Buffer.from(text)) };
        offset += s.bytes;
        return s;
      });
    };
    const sectioned = (dump: Buffer, list = sections()) => {
      const file = backup(dump, { bytes: whole, sql });
      const path = file.replace(/\.sql\.gz$/, '.manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
      writeFileSync(path, JSON.stringify({ ...manifest, dump: { ...manifest.dump, sections: list } }));
      return file;
    };

    it('passes when every section reads as recorded', async () => {
      expect((await checkBackupFile(sectioned(whole))).dump.sections).toHaveLength(4);
    });

    it('a damaged file names what it lost, each section read on its own', async () => {
      // Cut inside the images table: the users table still reads; the images table and the tail do not.
      const cut = whole.subarray(0, members[0]!.length + members[1]!.length + 5);
      await expect(checkBackupFile(sectioned(cut))).rejects.toMatchObject({
        code: 'restore.corrupt', message: expect.stringContaining('what no longer reads: table images and the events, routines and views after the last table (2 of 4 sections)'),
      });
      // One byte flipped in the middle of the users table's member.
      const flipped = Buffer.from(whole);
      flipped[members[0]!.length + 12]! ^= 0xff;
      await expect(checkBackupFile(sectioned(flipped))).rejects.toMatchObject({ message: expect.stringMatching(/what no longer reads: table users \(1 of 4 sections\)/) });
    });

    it('refuses SQL other than what was dumped, and sections that do not describe the file', async () => {
      await expect(checkBackupFile(sectioned(whole, sections(2)))).rejects.toMatchObject({ message: expect.stringContaining('holds SQL other than what was dumped in table images (1 of 4 sections): the backup was written wrong') });
      const shifted = sections().map((s, i) => (i === 2 ? { ...s, offset: s.offset + 1 } : s));
      await expect(checkBackupFile(sectioned(whole, shifted))).rejects.toMatchObject({ message: expect.stringContaining("its manifest's sections do not follow one another (table images at") });
    });
  });
});
