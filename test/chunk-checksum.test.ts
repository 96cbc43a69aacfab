// The chunk comparison (pt-table-checksum's method) between a live rig database and its copy in the throwaway
// verification server: equal after a restore, and one changed byte, one row gone or one row added in the copy is
// named down to its primary-key chunk; a table without a primary key is compared whole.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCopy, describeDifferences } from '../src/engine/backup/compare-copy.js';
import { takeBackup } from '../src/engine/backup/take-backup.js';
import { openDb, type Db } from '../src/engine/db/connection.js';
import { stackDown, tmpStackDir } from './rig/index.js';
import { stackWithVerifier, type StackWithVerifier } from './support/stack-with-verifier.js';

describe('chunk checksums: the live database against its copy', () => {
  const dir = tmpStackDir('chunk-checksum');
  const prefix = `k${randomBytes(3).toString('hex')}-`;
  let rig: StackWithVerifier | undefined;
  let live: Db;
  let copy: Db;
  // 250-row chunks, so the seeded images table (3,000 rows) is cut into many.
  const compare = () => compareWithCopy(live, copy, { chunkRows: 250 });

  beforeAll(async () => {
    rig = await stackWithVerifier({ version: '1.1.0', dir, prefix });
    const { docker, db, creds, verifier } = rig;
    live = await openDb(creds);
    // A table without a primary key, on both sides (the copy gets it from the dump).
    await live.query('CREATE TABLE gw_test_no_key (note VARCHAR(40), n INT)');
    await live.query("INSERT INTO gw_test_no_key VALUES ('a', 1), ('b', NULL), (NULL, 3)");
    const taken = await takeBackup({ docker, db, creds, project: 'chunk-test', projectDir: dir, images: {} });
    expect((await verifier.verify(taken.manifest, taken.file)).ok).toBe(true);
    copy = await openDb(await verifier.credentials('glowworm'));
  });
  afterAll(async () => {
    await live?.end();
    await copy?.end();
    await (rig ? rig.down() : stackDown(dir, prefix));
  });

  it('finds no difference in a fresh copy, over every table and many chunks', async () => {
    const result = await compare();
    expect(result.differences).toEqual([]);
    expect(result.tables).toBeGreaterThanOrEqual(10);
    expect(result.chunks).toBeGreaterThan(result.tables + 5);
  });

  it('catches one changed byte in the copy and names its chunk', async () => {
    const [[row]] = await copy.query<any[]>('SELECT id, filename FROM images ORDER BY id LIMIT 1 OFFSET 1500');
    const name = String(row.filename);
    const flipped = name.slice(0, -1) + String.fromCharCode(name.charCodeAt(name.length - 1) ^ 1);
    await copy.query('UPDATE images SET filename = ? WHERE id = ?', [flipped, row.id]);
    const result = await compare();
    expect(result.differences).toHaveLength(1);
    const d = result.differences[0]!;
    expect(d).toMatchObject({ table: 'images', whole: false });
    if (d.whole) throw new Error('unreachable');
    expect(d.chunks).toHaveLength(1);
    const [inChunk] = (await live.query<any[]>(`SELECT COUNT(*) AS n FROM images WHERE id = ? AND ${d.chunks[0]!.where}`, [row.id]))[0];
    expect(Number(inChunk.n)).toBe(1);
    expect(d.chunks[0]!.live.rows).toBe(d.chunks[0]!.copy.rows);
    expect(describeDifferences(result.differences)[0]).toMatch(/^images: 1 of \d+ chunks differ \(`id` >= /);
    await copy.query('UPDATE images SET filename = ? WHERE id = ?', [name, row.id]);
    expect((await compare()).differences).toEqual([]);
  });

  it('answers the same, chunk for chunk, when several readers on each side sum chunks at once', async () => {
    const lanes = await Promise.all([1, 2].map(async () => ({ live: await openDb(rig!.creds), copy: await openDb(await rig!.verifier.credentials('glowworm')) })));
    let ids: unknown[] | undefined;
    try {
      ids = await Promise.all([700, 701, 2600].map(async (offset) => (await copy.query<any[]>('SELECT id FROM images ORDER BY id LIMIT 1 OFFSET ?', [offset]))[0][0].id));
      await copy.query('UPDATE images SET filename = CONCAT(filename, \'~\') WHERE id IN (?)', [ids]);
      const one = await compare();
      const three = await compareWithCopy(live, copy, { chunkRows: 250, lanes });
      expect(three).toEqual(one);
      const images = three.differences.find((d) => d.table === 'images');
      expect(images && !images.whole && images.chunks.length).toBe(2);
    } finally {
      if (ids) await copy.query('UPDATE images SET filename = LEFT(filename, CHAR_LENGTH(filename) - 1) WHERE id IN (?)', [ids]);
      await Promise.all(lanes.flatMap((l) => [l.live.end(), l.copy.end()]));
    }
    expect((await compare()).differences).toEqual([]);
  });

  it('catches a row gone from the copy and a row only the copy has past the last key', async () => {
    await copy.query('DELETE FROM device_logs ORDER BY id LIMIT 1');
    await copy.query('INSERT INTO users (id, username, email, hashed_password) SELECT MAX(id) + 1000, \'extra\', \'extra@x\', \'x\' FROM users');
    const result = await compare();
    expect(result.differences.map((d) => d.table)).toEqual(['device_logs', 'users']);
    for (const d of result.differences) {
      if (d.whole) throw new Error(`${d.table} compared whole`);
      expect(d.chunks).toHaveLength(1);
    }
    const [logs, users] = result.differences as Extract<(typeof result.differences)[number], { whole: false }>[];
    expect(logs!.chunks[0]!.range.lower).toBeNull(); // the first chunk: the row with the lowest id
    expect(logs!.chunks[0]!.copy.rows).toBe(logs!.chunks[0]!.live.rows - 1);
    expect(users!.chunks[0]!.range.upper).toBeNull(); // the last chunk has no upper bound
    expect(users!.chunks[0]!.copy.rows).toBe(users!.chunks[0]!.live.rows + 1);
  });

  it('compares a table without a primary key whole, NULL told from the empty string', async () => {
    expect((await compare()).differences.map((d) => d.table)).not.toContain('gw_test_no_key');
    await copy.query("UPDATE gw_test_no_key SET note = '' WHERE note IS NULL");
    const d = (await compare()).differences.find((x) => x.table === 'gw_test_no_key');
    expect(d).toMatchObject({ whole: true, why: 'no-primary-key', live: { rows: 3 }, copy: { rows: 3 } });
  });
});
