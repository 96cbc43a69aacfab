import { describe, expect, it } from 'vitest';
import { buildGraph } from '../alembic/graph.js';
import { fixtureReleases } from '../alembic/glowworm-revisions.fixture.js';
import type { RevisionEffects } from '../alembic/schema-effects.js';
import { diagnoseHalfApplied, leftoversToRemove, liveOf, revisionTraces, stampVerdict } from './half-applied.js';

const NONE = { creates: [], drops: [], columns: [], indexes: [], tableColumns: [], dropColumns: [], dropIndexes: [], dataSteps: [], opaque: [], otherOps: [] };
const fx = (id: string, e: Partial<RevisionEffects> = {}): RevisionEffects => ({ id, ...NONE, ...e });

// 1.1.0's history (its merge included) and 1.2.0-broken's revision: creates two tables, then adds a column the
// initial schema already had (the real app's "Duplicate column").
const graph = buildGraph([...fixtureReleases['1.1.0'], { id: '2024110900', downRevisions: ['ce5826f818f3'], message: 'add display daemon tables' }]);
const HISTORY_110 = [
  fx('000000000001', { creates: ['users', 'display_devices'], tableColumns: [['users', 'id'], ['display_devices', 'id'], ['display_devices', 'resolution_width']] }),
  fx('a1b2c3d4e5f6', { creates: ['device_logs'] }),
  fx('c2d3e4f5g6h7', { creates: ['user_logs'], dataSteps: ['op.execute'] }),
  fx('1c0cd51f0957', { creates: ['scheduled_playlists'] }),
  fx('366388fee193'),
  fx('ce5826f818f3', { creates: ['playlist_variants'] }),
];
const broken = fx('2024110900', { creates: ['device_daemon_status', 'device_commands'], columns: [['display_devices', 'resolution_width']] });
const effectsWith = (next: RevisionEffects, history = HISTORY_110) => new Map([...history, next].map((e) => [e.id, e]));
const effects = effectsWith(broken);

const base = ['users', 'display_devices', 'device_logs', 'user_logs', 'scheduled_playlists', 'playlist_variants', 'alembic_version'];
const before = { tables: base, columns: ['users.id', 'display_devices.id', 'display_devices.resolution_width'], indexes: [] };
const after = { ...before, tables: [...base, 'device_daemon_status', 'device_commands'] };
const AT_110 = ['ce5826f818f3'];

describe('diagnoseHalfApplied without a recorded "before" (the doctor)', () => {
  const d = diagnoseHalfApplied(graph, effects, AT_110, liveOf(after))!;

  it('decides from the schema the migrations define at the revision: the initial schema\'s column existed before', () => {
    expect(d.revision).toBe('2024110900');
    expect(d.present).toEqual(['table device_daemon_status', 'table device_commands']);
    expect(d.preexisting).toEqual(['column display_devices.resolution_width']);
    expect(d.unverified).toEqual([]);
    expect(d.absent).toEqual([]);
  });

  it('never offers to remove a pre-existing object, and does not offer stamp on the revision that failed on it', () => {
    expect(d.options.join('\n')).toMatch(/remove only what 2024110900 left \(table device_daemon_status, table device_commands\)/);
    for (const o of d.options.filter((o) => /resolution_width/.test(o))) expect(o).not.toMatch(/remove|drop/i);
    expect(d.options.join('\n')).not.toMatch(/stamp/i);
    expect(d.stamp).toMatchObject({ offered: false, reason: expect.stringMatching(/failed on what was there before it \(column display_devices\.resolution_width\)/) });
  });

  it('a table the app creates itself, or one an earlier revision changed unreadably, is unverified, never a leftover', () => {
    const next = fx('2024110900', { creates: ['user_sessions', 'device_commands'], columns: [['images', 'dominant_colors']] });
    const opaqueHistory = [...HISTORY_110.slice(0, -1), fx('ce5826f818f3', { opaque: ['images'] })];
    const live = liveOf({ tables: [...base, 'user_sessions', 'device_commands', 'images'], columns: ['images.dominant_colors'], indexes: [] });
    const h = diagnoseHalfApplied(graph, effectsWith(next, opaqueHistory), AT_110, live)!;
    expect(h.present).toEqual(['table device_commands']);
    expect(h.unverified).toEqual(['table user_sessions', 'column images.dominant_colors']);
    expect(h.options.join('\n')).not.toMatch(/user_sessions|dominant_colors/);
  });

  it('says nothing when none of the next revision is there (what was there before is no trace), or at head', () => {
    expect(diagnoseHalfApplied(graph, effects, AT_110, liveOf(before))).toBeNull();
    expect(diagnoseHalfApplied(graph, effects, ['2024110900'], liveOf(after))).toBeNull();
  });
});

describe('diagnoseHalfApplied with the schema recorded before the upgrade', () => {
  it('tells the failed revision\'s leftovers from what was there before it ran', () => {
    const d = diagnoseHalfApplied(graph, effects, AT_110, liveOf(after), liveOf(before))!;
    expect(d.present).toEqual(['table device_daemon_status', 'table device_commands']);
    expect(d.preexisting).toEqual(['column display_devices.resolution_width']);
    expect(d.options.join('\n')).toMatch(/collides with what was there before it ran \(column display_devices.resolution_width\): keep that/);
  });

  it('an object "before" had counts as pre-existing even when the migrations do not name it', () => {
    const live = liveOf({ ...after, columns: [...after.columns, 'users.legacy'] });
    const next = fx('2024110900', { creates: ['device_commands'], columns: [['users', 'legacy']] });
    const d = diagnoseHalfApplied(graph, effectsWith(next), AT_110, live, liveOf({ ...before, columns: [...before.columns, 'users.legacy'] }))!;
    expect(d.preexisting).toEqual(['column users.legacy']);
    expect(leftoversToRemove(graph, effectsWith(next), AT_110, live)).toContainEqual({ kind: 'column', table: 'users', name: 'legacy' });
    expect(leftoversToRemove(graph, effectsWith(next), AT_110, live, liveOf({ ...before, columns: [...before.columns, 'users.legacy'] }))).toEqual([
      { kind: 'table', table: 'device_commands', name: 'device_commands' },
    ]);
  });
});

describe('leftoversToRemove', () => {
  it('is exactly the failed revision\'s leftovers, typed, tables newest first; never the pre-existing column', () => {
    expect(leftoversToRemove(graph, effects, AT_110, liveOf(after))).toEqual([
      { kind: 'table', table: 'device_commands', name: 'device_commands' },
      { kind: 'table', table: 'device_daemon_status', name: 'device_daemon_status' },
    ]);
  });

  it('indexes and columns first; one on a leftover table goes with its table; what is absent is not listed', () => {
    const next = fx('2024110900', {
      creates: ['device_commands', 'never_made'],
      columns: [['users', 'daemon_enabled'], ['device_commands', 'extra']],
      indexes: [['ix_cmd', 'device_commands'], ['ix_users_daemon', 'users']],
    });
    const live = liveOf({
      tables: [...base, 'device_commands'],
      columns: [...before.columns, 'users.daemon_enabled', 'device_commands.extra'],
      indexes: ['device_commands.ix_cmd', 'users.ix_users_daemon'],
    });
    expect(leftoversToRemove(graph, effectsWith(next), AT_110, live)).toEqual([
      { kind: 'index', table: 'users', name: 'ix_users_daemon' },
      { kind: 'column', table: 'users', name: 'daemon_enabled' },
      { kind: 'table', table: 'device_commands', name: 'device_commands' },
    ]);
  });

  it('is empty at head', () => {
    expect(leftoversToRemove(graph, effects, ['2024110900'], liveOf(after))).toEqual([]);
  });
});

describe('stampVerdict', () => {
  const traces = (next: RevisionEffects, live = after) => revisionTraces(graph, effectsWith(next), AT_110, liveOf(live))!;
  const tables = fx('2024110900', { creates: ['device_daemon_status', 'device_commands'] });

  it('offers stamp only when everything the revision creates is verifiably present and it has no data steps', () => {
    expect(stampVerdict(traces(tables))).toMatchObject({ offered: true });
    expect(diagnoseHalfApplied(graph, effectsWith(tables), AT_110, liveOf(after))!.options.join('\n')).toMatch(/Stamp: .*`alembic stamp 2024110900`/);
  });

  it('refuses a revision with a data step it cannot verify, and says so', () => {
    const v = stampVerdict(traces({ ...tables, dataSteps: ['op.execute', 'op.bulk_insert'] }));
    expect(v).toEqual({ offered: false, reason: expect.stringContaining('cannot verify its data steps (op.execute, op.bulk_insert)') });
  });

  it('refuses when something is missing, collided, unreadable or unchecked', () => {
    expect(stampVerdict(traces(tables, { ...after, tables: [...base, 'device_commands'] })).reason).toMatch(/missing: table device_daemon_status/);
    expect(stampVerdict(traces(broken)).offered).toBe(false);
    expect(stampVerdict(traces({ ...tables, opaque: ['images'] })).reason).toMatch(/changes images in ways glowworm cannot read/);
    expect(stampVerdict(traces({ ...tables, otherOps: ['op.create_foreign_key'] })).reason).toMatch(/does not check what op.create_foreign_key did/);
  });
});
