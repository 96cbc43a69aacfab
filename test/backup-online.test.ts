// A backup taken while the app serves (--single-transaction): a writer inserts and updates rows throughout, yet the
// manifest's rows and checksums describe exactly what the dump holds (read in the dump's own snapshot), so the
// restore into the throwaway server matches; the writers wait only for the moment the snapshot is shared; a table
// that is not InnoDB is named and keeps the backup from being taken online.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackupFile } from '../src/engine/backup/check-file.js';
import { compareWithCopy } from '../src/engine/backup/compare-copy.js';
import { onlineBackupBlockers, takeBackup, type TakeBackupOptions } from '../src/engine/backup/take-backup.js';
import { defaultMemoryCap } from '../src/engine/backup/disposable-server.js';
import { takeAndReportBackup } from '../src/engine/backup/verified-backup.js';
import type { EngineEvent } from '../src/engine/events.js';
import { openDb } from '../src/engine/db/connection.js';
import { startWriter } from './support/db-writer.js';
import type { DbCredentials } from '../src/engine/db/credentials.js';
import { dbQuery, stackDown, tmpStackDir, type Stack } from './rig/index.js';
import { stackWithVerifier, type StackWithVerifier } from './support/stack-with-verifier.js';

describe('online backup while the app serves', () => {
  const dir = tmpStackDir('backup-online');
  const prefix = `o${randomBytes(3).toString('hex')}-`;
  let rig: StackWithVerifier | undefined;
  let stack: Stack;
  let creds: DbCredentials;
  let opts: TakeBackupOptions;

  beforeAll(async () => {
    rig = await stackWithVerifier({ version: '1.1.0', dir, prefix, seedMb: 40 });
    ({ stack, creds } = rig);
    opts = { docker: rig.docker, db: rig.db, creds, project: 'online-test', projectDir: dir, images: {}, online: true };
  });
  afterAll(() => (rig ? rig.down() : stackDown(dir, prefix)));

  it('every table of the real schema is InnoDB', async () => {
    expect(await onlineBackupBlockers(creds)).toEqual([]);
  });

  it('dumps under a writer committing throughout, and the copy restores to exactly the snapshot the manifest describes', async () => {
    // Text beyond ASCII, up to four bytes a character: the loader passes the dump's bytes through as they are.
    const text = 'Zoë’s café ☕ 🐛';
    await dbQuery(stack, `UPDATE system_settings SET setting_value = '${text}' WHERE setting_key = 'site_name'`);
    const writer = startWriter(creds);
    await new Promise((r) => setTimeout(r, 300));
    const before = writer.commits;
    const taken = await takeBackup(opts);
    const during = writer.commits - before;
    await new Promise((r) => setTimeout(r, 300));
    await writer.stop();
    expect(during).toBeGreaterThan(10); // the app kept writing while the dump ran
    expect(taken.manifest).toMatchObject({ checksumMethod: 'crc32-xor', online: { writersWaitedMs: expect.any(Number) } });
    const result = await rig!.verifier.verify(taken.manifest, taken.file);
    expect(result.mismatches).toEqual([]);
    expect(result.ok).toBe(true);
    const copied = await openDb(await rig!.verifier.credentials('glowworm'));
    try {
      const [[row]] = await copied.query<any[]>("SELECT setting_value AS v FROM system_settings WHERE setting_key = 'site_name'");
      expect(row.v).toBe(text);
    } finally {
      await copied.end();
    }
    // The writes after the snapshot are not in the copy, and the comparison names the tables the writer touched.
    const [liveLogs] = await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM device_logs');
    expect(Number(liveLogs!.n)).toBeGreaterThan(taken.manifest.tables['device_logs']!.rows);
    const [live, copy] = [await openDb(creds), await openDb(await rig!.verifier.credentials('glowworm'))];
    try {
      const diff = await compareWithCopy(live, copy);
      expect(diff.differences.map((d) => d.table)).toEqual(['device_logs', 'users']);
    } finally {
      await Promise.all([live.end(), copy.end()]);
    }
  });

  it('loads every kind of value a dump writes byte for byte, sent as statement parameters', async () => {
    // --hex-blob writes a BIT column as hex too: gw_test_bits goes as parameters (a Buffer into a BIT) as well.
    await dbQuery(stack, `CREATE TABLE gw_test_values (id INT PRIMARY KEY, s VARCHAR(100), t TEXT, b BLOB, d DECIMAL(12,3),
      f DOUBLE, ft FLOAT, dt DATETIME(6), ts TIMESTAMP NULL, j JSON, e ENUM('one','two'), n INT NULL) ENGINE=InnoDB`);
    await dbQuery(stack, 'CREATE TABLE gw_test_bits (id INT PRIMARY KEY, flags BIT(8)) ENGINE=InnoDB');
    try {
      await dbQuery(stack, `INSERT INTO gw_test_values VALUES
        (1, 'quote \\' dq \\" back \\\\ tab \\t nl \\n cr \\r nul \\0 ctrlz \\Z 50\\% \\_', 'Zoë’s café ☕ 🐛', 0x00275C0A0D1A22FF, -123456789.125, 1.7976931348623157e308, 1.1, '2026-12-01 10:00:00.123456', '2026-06-30 23:59:59', '{"a": [1, "b"]}', 'two', NULL),
        (2, '', '', '', 0, -0.0, 0, '1000-01-01 00:00:00', NULL, 'null', 'one', -2147483648),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
      await dbQuery(stack, "INSERT INTO gw_test_bits VALUES (1, b'10100101'), (2, b'0')");
      const taken = await takeBackup(opts);
      const result = await rig!.verifier.verify(taken.manifest, taken.file);
      expect(result.mismatches).toEqual([]);
      const [live, copy] = [await openDb(creds), await openDb(await rig!.verifier.credentials('glowworm'))];
      try {
        const tables = ['gw_test_values', 'gw_test_bits'];
        expect((await compareWithCopy(live, copy, { tables })).differences).toEqual([]);
        const all = 'SELECT id, HEX(s), HEX(t), HEX(b), d, f, ft, dt, ts, j, e, n FROM gw_test_values ORDER BY id';
        expect((await copy.query(all))[0]).toEqual((await live.query(all))[0]);
      } finally {
        await Promise.all([live.end(), copy.end()]);
      }
    } finally {
      await dbQuery(stack, 'DROP TABLE IF EXISTS gw_test_values, gw_test_bits');
    }
  });

  it('sends as SQL what it cannot read as rows, and refuses a statement longer than the server takes (as a restore would)', async () => {
    const dump = (...lines: string[]) => Readable.from([Buffer.from([...lines, ''].join('\n'))]);
    const database = { database: 'gw_fallback', createDatabase: 'CREATE DATABASE `gw_fallback`' };
    await rig!.verifier.load(database, dump(
      '/*!40101 SET NAMES utf8mb4 */;',
      'CREATE TABLE `t` (`id` int PRIMARY KEY, `v` varchar(20));',
      "INSERT INTO `t` VALUES (1,CONCAT('a','b')),(2,'it''s');",
      "INSERT INTO `t` VALUES (3,'x');",
    ));
    const copy = await openDb(await rig!.verifier.credentials('gw_fallback'));
    try {
      expect((await copy.query('SELECT id, v FROM t ORDER BY id'))[0]).toEqual([{ id: 1, v: 'ab' }, { id: 2, v: "it's" }, { id: 3, v: 'x' }]);
      const [[{ limit }]] = await copy.query<any[]>('SELECT @@max_allowed_packet AS `limit`');
      // One row whose hex literal makes the statement a byte longer than the limit; as a parameter it would be half.
      const hexDigits = Number(limit) - 'INSERT INTO `b` VALUES (1,0x)'.length;
      await expect(rig!.verifier.load(database, dump(
        'CREATE TABLE `b` (`id` int PRIMARY KEY, `v` longblob);',
        `INSERT INTO \`b\` VALUES (1,0x${'AB'.repeat(Math.ceil(hexDigits / 2))});`,
      ))).rejects.toMatchObject({ code: 'backup.statement-too-long' });
    } finally {
      await copy.end();
    }
  });

  it('does not wait on a copy that stops taking the dump: the backup completes, whole, without it', async () => {
    const stalled = { ...rig!.verifier, load: async (_d: unknown, sql: AsyncIterable<Buffer>) => {
      // A load stuck in a query the throwaway never answers.
      for await (const _ of sql) await new Promise(() => undefined);
    } };
    const taken = await takeBackup({ ...opts, into: stalled, copyStallMs: 500 });
    expect(taken.loadedInto).toBeNull();
    expect((await checkBackupFile(taken.file)).dump.sha256).toBe(taken.manifest.dump.sha256);
  }, 60_000); // it hung (for good) when the backup waited on such a copy

  it('loads the copy as it dumps (into): the throwaway holds the snapshot without reading the file, and a failing load leaves the backup whole', async () => {
    const writer = startWriter(creds);
    await new Promise((r) => setTimeout(r, 300));
    const taken = await takeBackup({ ...opts, into: rig!.verifier });
    await writer.stop();
    expect(taken.loadedInto).toBe((await rig!.docker.inspectContainer(rig!.verifier.container))!.id);
    // The file is no part of it: gone, and the copy still equals the manifest's snapshot.
    await rm(taken.file);
    const loaded = await rig!.verifier.compare(taken.manifest);
    expect(loaded.mismatches).toEqual([]);
    expect(loaded.ok).toBe(true);

    // A copy that fails to load: the dump goes on to the end, complete, and nothing claims it was loaded.
    const failing = { ...rig!.verifier, load: async (_d: unknown, sql: AsyncIterable<Buffer>) => {
      for await (const _ of sql) throw new Error('the copy went away');
    } };
    const whole = await takeBackup({ ...opts, into: failing });
    expect(whole.loadedInto).toBeNull();
    expect((await checkBackupFile(whole.file)).dump.sha256).toBe(whole.manifest.dump.sha256);
    expect((await rig!.verifier.verify(whole.manifest, whole.file)).ok).toBe(true);
  });

  it('reports the dump\'s progress at most ten times a second, with the expected total and the time left', async () => {
    const events: EngineEvent[] = [];
    const started = Date.now();
    const taken = await takeAndReportBackup(opts, (e) => events.push({ ...e, ts: Date.now() } as EngineEvent));
    const seconds = (Date.now() - started) / 1000;
    const progress = events.filter((e): e is Extract<EngineEvent, { type: 'backup.progress' }> => e.type === 'backup.progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ bytes: taken.manifest.dump.uncompressedBytes, etaSeconds: 0 });
    // The estimate from the table sizes is within a factor of two of what was dumped.
    expect(last.total).toBeGreaterThanOrEqual(last.bytes);
    const estimate = progress[0]!.total!;
    expect(estimate / last.bytes).toBeGreaterThan(0.5);
    expect(estimate / last.bytes).toBeLessThan(2);
  });

  it('the throwaway server runs as a disposable copy: no doublewrite, no flush at commit, half its memory cap as buffer pool', async () => {
    const copy = await openDb(await rig!.verifier.credentials('glowworm'));
    try {
      const [[v]] = await copy.query<any[]>('SELECT @@innodb_doublewrite AS dw, @@innodb_flush_log_at_trx_commit AS flush, @@innodb_buffer_pool_size AS pool, @@log_bin AS binlog');
      const memory = (await rig!.docker.inspectContainer(rig!.verifier.container))!.raw.HostConfig['Memory'];
      expect({ dw: Number(v.dw), flush: Number(v.flush), binlog: Number(v.binlog), pool: Number(v.pool) }).toEqual({ dw: 0, flush: 0, binlog: 0, pool: defaultMemoryCap() / 2 });
      expect(memory).toBe(defaultMemoryCap());
    } finally {
      await copy.end();
    }
  });

  it('holds the writers up no longer than the wait allowed for the dump to begin, and then keeps nothing', async () => {
    const before = (await readdir(join(dir, '.glowworm', 'backups'))).filter((f) => f.endsWith('.sql.gz'));
    await expect(takeBackup({ ...opts, snapshotWaitMs: 1 })).rejects.toMatchObject({ code: 'backup.snapshot-failed' });
    expect((await readdir(join(dir, '.glowworm', 'backups'))).filter((f) => f.endsWith('.sql.gz'))).toEqual(before);
    // The lock is gone: a write goes through.
    await dbQuery(stack, "INSERT INTO device_logs (device_id, log_level, message) VALUES (1, 'info', 'after the give-up')");
  });

  it('names a table that is not InnoDB and refuses to dump online, writing nothing', async () => {
    await dbQuery(stack, 'CREATE TABLE gw_test_myisam (id INT PRIMARY KEY) ENGINE=MyISAM');
    try {
      expect(await onlineBackupBlockers(creds)).toEqual([{ table: 'gw_test_myisam', engine: 'MyISAM' }]);
      await expect(takeBackup(opts)).rejects.toMatchObject({ kind: 'user', code: 'backup.not-innodb', message: expect.stringContaining('gw_test_myisam (MyISAM)') });
    } finally {
      await dbQuery(stack, 'DROP TABLE gw_test_myisam');
    }
  });
});
