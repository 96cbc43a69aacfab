import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGraph } from './graph.js';
import { fixtureReleases } from './glowworm-revisions.fixture.js';
import { EFFECTS_SCRIPT, droppedTables, expectedSchemaAt, tablesAfter, type RevisionEffects } from './schema-effects.js';

const NONE = { creates: [], drops: [], columns: [], indexes: [], tableColumns: [], dropColumns: [], dropIndexes: [], dataSteps: [], opaque: [], otherOps: [] };
const fx = (id: string, e: Partial<RevisionEffects> = {}): RevisionEffects => ({ id, ...NONE, ...e });
const effect = (id: string, creates: string[] = [], drops: string[] = []): RevisionEffects => fx(id, { creates, drops });
const effects = new Map([
  effect('r1', ['user_logs']),
  effect('r2', [], ['legacy_tokens']),
  effect('r3', ['scratch'], []),
  effect('r4', [], ['scratch']),
].map((e) => [e.id, e]));

describe('tablesAfter', () => {
  it("keeps what was there (the app's own tables too), drops what the pending revisions drop, adds what they create", () => {
    const before = ['alembic_version', 'images', 'legacy_tokens', 'user_sessions'];
    expect(tablesAfter(before, [{ id: 'r1' }, { id: 'r2' }], effects)).toEqual(['alembic_version', 'images', 'user_logs', 'user_sessions']);
  });

  it('follows the order: a table created then dropped is not expected; an unreadable revision changes nothing', () => {
    expect(tablesAfter(['images'], [{ id: 'r3' }, { id: 'r4' }, { id: 'unknown' }], effects)).toEqual(['alembic_version', 'images']);
    expect(tablesAfter(['images'], [], effects)).toEqual(['images']);
  });
});

describe('droppedTables', () => {
  it('names tables the pending revisions drop for good', () => {
    expect(droppedTables([{ id: 'r1' }, { id: 'r2' }], effects)).toEqual(['legacy_tokens']);
    expect(droppedTables([{ id: 'r4' }, { id: 'r3' }], effects)).toEqual([]); // dropped, then created again
  });
});

describe('expectedSchemaAt', () => {
  // 1.1.0's history: the initial schema, device logs, two branches (user logs | scheduled playlists), their merge, variants.
  const graph = buildGraph([...fixtureReleases['1.1.0'], { id: 'next', downRevisions: ['ce5826f818f3'], message: 'after' }]);
  const history = new Map([
    fx('000000000001', { creates: ['display_devices', 'legacy'], tableColumns: [['display_devices', 'id'], ['display_devices', 'resolution_width'], ['legacy', 'id']] }),
    fx('a1b2c3d4e5f6', { creates: ['device_logs'], indexes: [['ix_device_logs', 'device_logs']], columns: [['display_devices', 'old_flag']] }),
    fx('c2d3e4f5g6h7', { creates: ['user_logs'], dropColumns: [['display_devices', 'old_flag']] }),
    fx('1c0cd51f0957', { columns: [['display_devices', 'schedule_id']], drops: ['legacy'], dropIndexes: [['ix_device_logs', '']] }),
    fx('366388fee193'),
    fx('ce5826f818f3', { opaque: ['images'] }),
    fx('next', { creates: ['after_only'], columns: [['display_devices', 'later']] }),
  ].map((e) => [e.id, e]));

  it('folds every revision up to the current one: create_table columns, both branches of a merge, drops of each kind', () => {
    const s = expectedSchemaAt(graph, history, ['ce5826f818f3']);
    expect([...s.tables].sort()).toEqual(['device_logs', 'display_devices', 'user_logs']);
    expect([...s.columns].sort()).toEqual(['display_devices.id', 'display_devices.resolution_width', 'display_devices.schedule_id']);
    expect([...s.indexes]).toEqual([]); // dropped without a table name
    expect([...s.opaque]).toEqual(['images']);
  });

  it('on one branch only, the other branch is not in it; nothing after the current revision is', () => {
    const s = expectedSchemaAt(graph, history, ['c2d3e4f5g6h7']);
    expect([...s.tables].sort()).toEqual(['device_logs', 'display_devices', 'legacy', 'user_logs']);
    expect(s.columns.has('display_devices.schedule_id')).toBe(false);
    expect(s.columns.has('display_devices.old_flag')).toBe(false);
    expect(s.indexes.has('device_logs.ix_device_logs')).toBe(true);
    expect(s.tables.has('after_only')).toBe(false);
    expect(expectedSchemaAt(graph, history, []).tables.size).toBe(0);
  });

  it('a revision whose effects are unknown makes every table opaque (absence from the fold would be a guess)', () => {
    const partial = new Map([...history].filter(([id]) => id !== 'a1b2c3d4e5f6'));
    expect(expectedSchemaAt(graph, partial, ['ce5826f818f3']).opaque.has('*')).toBe(true);
    expect(expectedSchemaAt(graph, history, ['ce5826f818f3']).opaque.has('*')).toBe(false);
  });
});

// The script against a real Alembic (Debian's python3-alembic) on the rig's own migration files: what it reads of them.
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import alembic']).status === 0);
const MIGRATIONS = fileURLToPath(new URL('../../../test/rig/fixtures/backend/migrations/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'glowworm-effects-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readEffects(files: string[], extra: Record<string, string> = {}): Map<string, RevisionEffects> {
  const dir = mkdtempSync(join(root, 'p-'));
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), '[alembic]\nscript_location = migrations\n');
  for (const f of files) copyFileSync(join(MIGRATIONS, f), join(dir, 'migrations', 'versions', f.replace(/^real\//, '')));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, 'migrations', 'versions', name), text);
  const r = spawnSync(python as string, ['-c', EFFECTS_SCRIPT, dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return new Map((JSON.parse(r.stdout) as RevisionEffects[]).map((e) => [e.id, e]));
}

const BROKEN_120 = ['0001_initial_schema.py', 'a1b2_device_logs.py', 'c2d3_user_activity_logs.py', '1c0c_playlist_schedules.py', '3663_merge_heads.py', 'ce58_playlist_variants.py', '2024_11_09_daemon_tables_broken.py'];

describe.skipIf(!python)('EFFECTS_SCRIPT on the rig\'s migrations', () => {
  it("reads the initial schema's create_table columns, so the fold knows display_devices.resolution_width existed", () => {
    const e = readEffects(BROKEN_120);
    expect(e.get('000000000001')!.tableColumns).toContainEqual(['display_devices', 'resolution_width']);
    expect(e.get('2024110900')).toMatchObject({ creates: ['device_daemon_status', 'device_commands'], columns: [['display_devices', 'resolution_width']], dataSteps: [], opaque: [] });
    expect(e.get('ce5826f818f3')!.dataSteps).toEqual(['op.execute']);
    const graph = buildGraph([...fixtureReleases['1.1.0'], { id: '2024110900', downRevisions: ['ce5826f818f3'], message: '' }]);
    const s = expectedSchemaAt(graph, e, ['ce5826f818f3']);
    expect(s.columns.has('display_devices.resolution_width')).toBe(true);
    expect(s.tables.has('device_daemon_status')).toBe(false);
    expect(s.opaque.size).toBe(0);
  });

  it('names what it cannot follow: columns added in a loop, DDL in raw SQL, renames; and every data step', () => {
    const real = readdirSync(join(MIGRATIONS, 'real')).map((f) => `real/${f}`);
    const e = readEffects(['0001_initial_schema.py', ...real], {
      'x1.py': 'from alembic import op\nimport sqlalchemy as sa\nrevision = "x1"\ndown_revision = "d2ccc3099d51"\n\ndef upgrade():\n' +
        '    op.execute("ALTER TABLE `albums` ADD COLUMN cover INT")\n    op.get_bind().execute(sa.text("DELETE FROM users"))\n' +
        '    op.rename_table("images", "photos")\n    op.alter_column("users", "email", nullable=False)\n\ndef downgrade():\n    op.drop_table("albums")\n',
    });
    expect(e.get('d2ccc3099d51')!.opaque).toEqual(['display_devices']);
    expect(e.get('f123456789ab')!.dataSteps).toEqual(['op.execute', 'op.bulk_insert']);
    expect(e.get('f123456789ab')!.opaque).toEqual([]); // ALTER … MODIFY changes no column's existence
    expect(e.get('x1')).toMatchObject({ opaque: ['albums', 'images', 'photos'], dataSteps: ['op.execute', 'raw SQL'], otherOps: ['op.alter_column'], drops: [] });
  });
});
