// The real-shaped releases' definitions: the Alembic graphs their images ship and the compose files of their shapes.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphHeads, revisionGraph, revisionsBetween, shippedMigrationText } from './migration-graph.js';
import { REAL_RELEASES, REAL_RELEASE_NAMES } from './real-releases.js';

const OCTOBER_HEAD = REAL_RELEASES['oct-2025'].head;
const NEWEST_HEAD = REAL_RELEASES['nov-2025'].head;
const graphOf = (name: keyof typeof REAL_RELEASES) => revisionGraph(REAL_RELEASES[name].migrations);

/** Tables the upgrade() bodies create minus those they drop, in order (what the database has at the head). */
function tablesAtHead(name: keyof typeof REAL_RELEASES): string[] {
  const tables = new Set<string>();
  for (const migration of REAL_RELEASES[name].migrations) {
    const upgrade = shippedMigrationText(migration).split('\ndef upgrade')[1]?.split('\ndef downgrade')[0] ?? '';
    for (const [, verb, table] of upgrade.matchAll(/op\.(create|drop)_table\(\s*"([^"]+)"/g)) {
      if (verb === 'create') tables.add(table ?? '');
      else tables.delete(table ?? '');
    }
  }
  return [...tables].sort();
}

describe('the real-shaped Alembic histories', () => {
  it('end each at its one head', () => {
    for (const name of REAL_RELEASE_NAMES) expect(graphHeads(graphOf(name)), name).toEqual([REAL_RELEASES[name].head]);
  });

  it('have 18 linear revisions between the October head and the newest, with upstream ids (not all hex)', () => {
    const between = revisionsBetween(graphOf('nov-2025'), OCTOBER_HEAD, NEWEST_HEAD);
    expect(between.length).toBeGreaterThanOrEqual(15);
    expect(between).toEqual([
      'd2ccc3099d51', 'ce5826f818f3', '2cfb3ac760a2', 'a1b2c3d4e5f6', 'b2c3d4e5f6g7', 'c2d3e4f5g6h7',
      '255babe9922e', '75b7a1da5c06', 'abc123def456', 'e1f2a3b4c5d6', 'f9a8b7c6d5e4', 'g8h9i0j1k2l3',
      '8e979971ad76', '2d718ca13543', '1c0cd51f0957', '2024110900_daemon', '2024110901_actions', '2024111000_exec_tracking',
    ]);
    expect(between.filter((id) => !/^[0-9a-f]{12}$/.test(id)).length).toBeGreaterThanOrEqual(4);
  });

  it('keep the merge below the October head, so no real upgrade crosses it', () => {
    const graph = graphOf('nov-2025');
    expect(graph.get('366388fee193')?.downRevisions).toEqual(['606a912adbee', 'f123456789ab']);
    expect(revisionsBetween(graph, '366388fee193', OCTOBER_HEAD)).toEqual([OCTOBER_HEAD]);
  });

  it('name no file after its revision id, as upstream', () => {
    for (const revision of graphOf('nov-2025').values()) expect(basename(revision.file, '.py')).not.toBe(revision.id);
  });

  it('ship the broken revision under the id the next release fixes, one revision above where it leaves the database', () => {
    const failure = REAL_RELEASES['nov-2025-1064'].failure!;
    const broken = graphOf('nov-2025-1064').get(failure.revision)!;
    expect(broken.downRevisions).toEqual([failure.leavesDatabaseAt]);
    expect(graphOf('nov-2025').get(failure.revision)?.downRevisions).toEqual([failure.leavesDatabaseAt]);
    const text = (name: 'nov-2025' | 'nov-2025-1064') =>
      shippedMigrationText(REAL_RELEASES[name].migrations.find((m) => m.file === broken.file)!);
    expect(text('nov-2025-1064')).toMatch(/DROP TYPE IF EXISTS/);
    expect(text('nov-2025')).not.toMatch(/DROP TYPE/);
    expect(revisionsBetween(graphOf('nov-2025-1064'), OCTOBER_HEAD, failure.revision)).toHaveLength(16);
  });

  it('leave the tables the facts list at the newest head, and fewer at the October one', () => {
    expect(tablesAtHead('nov-2025')).toEqual(
      [
        'users', 'playlists', 'albums', 'images', 'display_devices', 'system_settings', 'playlist_variants', 'device_logs',
        'user_logs', 'scheduled_playlists', 'device_daemon_status', 'device_commands', 'scheduled_actions',
      ].sort(),
    );
    expect(tablesAtHead('oct-2025')).toEqual(['albums', 'display_devices', 'images', 'playlists', 'system_settings', 'users']);
  });
});
