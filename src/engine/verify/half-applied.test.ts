import { describe, expect, it } from 'vitest';
import { buildGraph } from '../alembic/graph.js';
import { fixtureReleases } from '../alembic/glowworm-revisions.fixture.js';
import type { RevisionEffects } from '../alembic/schema-effects.js';
import { diagnoseHalfApplied, liveOf } from './half-applied.js';

// 1.2.0-broken's revision: creates two tables, then adds a column 1.0.0 already had (the real app's "Duplicate column").
const graph = buildGraph([...fixtureReleases['1.1.0'], { id: '2024110900', downRevisions: ['ce5826f818f3'], message: 'add display daemon tables' }]);
const effects = new Map<string, RevisionEffects>([
  ['2024110900', { id: '2024110900', creates: ['device_daemon_status', 'device_commands'], drops: [], columns: [['display_devices', 'resolution_width']], indexes: [] }],
]);
const before = { tables: ['users', 'display_devices'], columns: ['display_devices.resolution_width'], indexes: [] };
const after = { ...before, tables: [...before.tables, 'device_daemon_status', 'device_commands'] };

describe('diagnoseHalfApplied', () => {
  it('tells the failed revision\'s leftovers from what was there before it ran', () => {
    const d = diagnoseHalfApplied(graph, effects, ['ce5826f818f3'], liveOf(after), liveOf(before))!;
    expect(d.revision).toBe('2024110900');
    expect(d.present).toEqual(['table device_daemon_status', 'table device_commands']);
    expect(d.preexisting).toEqual(['column display_devices.resolution_width']);
    expect(d.absent).toEqual([]);
    expect(d.options.join('\n')).toMatch(/remove what 2024110900 already created \(table device_daemon_status, table device_commands\)/);
    expect(d.options.join('\n')).toMatch(/collides with what was there before it ran \(column display_devices.resolution_width\)/);
  });

  it('without the earlier schema (the doctor), everything present counts as present', () => {
    const d = diagnoseHalfApplied(graph, effects, ['ce5826f818f3'], liveOf(after))!;
    expect(d.present).toHaveLength(3);
    expect(d.preexisting).toEqual([]);
  });

  it('says nothing when none of the next revision is there, or the database is at head', () => {
    expect(diagnoseHalfApplied(graph, effects, ['ce5826f818f3'], liveOf({ tables: ['users'], columns: [], indexes: [] }))).toBeNull();
    expect(diagnoseHalfApplied(graph, effects, ['2024110900'], liveOf(after))).toBeNull();
  });
});
