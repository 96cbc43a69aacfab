// The bulk copy while the app serves, only the changes at the stop: an online backup is loaded into the throwaway
// server under a writer committing throughout; at the stop (the writer ends) the copy catches up by re-copying only
// the chunks and tables that differ — here also a byte flipped in the copy and a table only the copy has — and the
// final comparison over every table proves it equal to the live database: every committed row is in the copy.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDbTools } from '../src/engine/backup/db-tools.js';
import { catchUpCopy } from '../src/engine/backup/delta-copy.js';
import { tableMismatches } from '../src/engine/backup/manifest-compare.js';
import { takeBackup } from '../src/engine/backup/take-backup.js';
import { openDb, type Db } from '../src/engine/db/connection.js';
import { tableChecksums } from '../src/engine/db/schema.js';
import { stackDown, tmpStackDir } from './rig/index.js';
import { startWriter } from './support/db-writer.js';
import { stackWithVerifier, type StackWithVerifier } from './support/stack-with-verifier.js';

describe('the copy catches up at the stop, chunk by chunk', () => {
  const dir = tmpStackDir('backup-delta');
  const prefix = `d${randomBytes(3).toString('hex')}-`;
  let rig: StackWithVerifier | undefined;
  let live: Db;
  let copy: Db;

  beforeAll(async () => {
    rig = await stackWithVerifier({ version: '1.1.0', dir, prefix });
  });
  afterAll(async () => {
    await live?.end();
    await copy?.end();
    await (rig ? rig.down() : stackDown(dir, prefix));
  });

  it('copies again only what changed since the online dump, and proves the copy equal to the database at the stop', async () => {
    const { docker, db, creds, verifier } = rig!;
    const writer = startWriter(creds);
    await new Promise((r) => setTimeout(r, 300));
    // The bulk copy, while the app serves.
    const taken = await takeBackup({ docker, db, creds, project: 'delta-test', projectDir: dir, images: {}, online: true });
    expect((await verifier.verify(taken.manifest, taken.file)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    // The stop.
    await writer.stop();
    expect(writer.inserted).toBeGreaterThan(taken.manifest.tables['device_logs']!.rows - 2500);

    live = await openDb(creds);
    copy = await openDb(await verifier.credentials('glowworm'));
    const [[victim]] = await copy.query<any[]>('SELECT id, filename FROM images ORDER BY id LIMIT 1 OFFSET 2000');
    await copy.query('UPDATE images SET filename = ? WHERE id = ?', [`${String(victim.filename).slice(0, -1)}#`, victim.id]);
    await copy.query('CREATE TABLE gw_test_copy_only (id INT PRIMARY KEY)');

    const result = await catchUpCopy({
      docker,
      live: { container: db.id, creds, tool: (await findDbTools(docker, db.id)).dump },
      copy: { container: verifier.container, creds: await verifier.credentials('glowworm'), tool: (await findDbTools(docker, verifier.container)).client },
      liveDb: live, copyDb: copy, compare: { chunkRows: 250 },
    });
    expect(result.before.differences.map((d) => d.table)).toEqual(['device_logs', 'gw_test_copy_only', 'images', 'users']);
    expect(result.after.differences).toEqual([]);
    // Nothing wrote to live during the catch-up (the server's row counters stood still): only what was copied
    // again was compared again.
    expect(result.finalComparison).toBe('copied-again');
    expect(result.tablesCopiedWhole).toBe(1); // the copy-only table, dropped
    // Only the changed chunks were copied again, not the tables: the chunks the writer's new device logs fill (250
    // rows each; how many depends on how long the verification took, so the bound is counted, not a share of the
    // table: CI once wrote 36 chunks' worth on a busy machine), the users it updated, the flipped image, and the
    // chunk each of those ranges may straddle.
    const newLogs = Number((await live.query<any[]>('SELECT COUNT(*) AS n FROM device_logs'))[0][0].n) - taken.manifest.tables['device_logs']!.rows;
    expect(result.chunksCopied).toBeGreaterThanOrEqual(3);
    expect(result.chunksCopied).toBeLessThanOrEqual(Math.ceil(newLogs / 250) + 4);
    expect(result.chunksCopied).toBeLessThan(result.before.chunks);

    // Proof by a second method: CHECKSUM TABLE of every table on both servers, and every row the writer committed.
    expect(await tableChecksums(copy)).toEqual(await tableChecksums(live));
    const writes = async (d: Db) => Number((await d.query<any[]>("SELECT COUNT(*) AS n FROM device_logs WHERE message LIKE 'writer %'"))[0][0].n);
    expect(await writes(copy)).toBe(writer.inserted);
    expect(await writes(live)).toBe(writer.inserted);

    // The backup of the stop is a dump of the copy (it need not hold up production): its manifest matches live.
    const throwaway = (await docker.inspectContainer(verifier.container))!;
    const atStop = await takeBackup({ docker, db: throwaway, creds: await verifier.credentials('glowworm'), project: 'delta-test', projectDir: dir, images: {} });
    const liveLogs = Number((await live.query<any[]>('SELECT COUNT(*) AS n FROM device_logs'))[0][0].n);
    expect(atStop.manifest.tables['device_logs']!.rows).toBe(liveLogs);
    expect(liveLogs).toBeGreaterThan(taken.manifest.tables['device_logs']!.rows);
    expect(await tableMismatches(live, atStop.manifest)).toEqual([]);
  });

  it('refuses when the copy cannot be made equal: the final comparison names what still differs', async () => {
    const { docker, db, creds, verifier } = rig!;
    // A copy that changes what it is given (a trigger only it has, which no comparison of rows looks at): every row
    // copied into device_logs again arrives altered.
    await copy.query("CREATE TRIGGER gw_test_alter BEFORE INSERT ON device_logs FOR EACH ROW SET NEW.message = CONCAT(NEW.message, '!')");
    await live.query("INSERT INTO device_logs (device_id, log_level, message) VALUES (1, 'info', 'just before the stop')");
    try {
      await expect(catchUpCopy({
        docker,
        live: { container: db.id, creds, tool: (await findDbTools(docker, db.id)).dump },
        copy: { container: verifier.container, creds: await verifier.credentials('glowworm'), tool: (await findDbTools(docker, verifier.container)).client },
        liveDb: live, copyDb: copy, compare: { chunkRows: 250 },
      })).rejects.toMatchObject({ code: 'backup.delta-mismatch', message: expect.stringMatching(/still differs from the database after copying the changes: device_logs: 1 of \d+ chunks differ/) });
    } finally {
      await copy.query('DROP TRIGGER gw_test_alter');
    }
  });

  it('compares every table again when something wrote to live during the catch-up, and catches a write the first comparison had passed', async () => {
    const { docker, db, creds, verifier } = rig!;
    const sides = async () => ({
      live: { container: db.id, creds, tool: (await findDbTools(docker, db.id)).dump },
      copy: { container: verifier.container, creds: await verifier.credentials('glowworm'), tool: (await findDbTools(docker, verifier.container)).client },
      liveDb: live, copyDb: copy,
    });
    // The copy level with live again (what the test before left differing is copied), with nothing writing.
    expect((await catchUpCopy({ docker, ...(await sides()), compare: { chunkRows: 250 } })).after.differences).toEqual([]);
    const other = await openDb(creds);
    let wrote: Promise<unknown> | null = null;
    try {
      // A writer the stop did not stop: it changes the first table right after the first comparison found it equal,
      // so that comparison finds nothing to copy. Its answer is no proof then: every table is compared again.
      const onTable = (table: string) => {
        if (table === 'albums') wrote ??= other.query("UPDATE albums SET name = CONCAT(name, ' (renamed)') WHERE id = 1");
      };
      await expect(catchUpCopy({ docker, ...(await sides()), compare: { chunkRows: 250, onTable } }))
        .rejects.toMatchObject({ code: 'backup.delta-mismatch', message: expect.stringMatching(/after copying the changes: albums: 1 of 1 chunks differ/) });
      expect(wrote).not.toBeNull();
    } finally {
      await wrote;
      await other.end();
    }
  });
});
