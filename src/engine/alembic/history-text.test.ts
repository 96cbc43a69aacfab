import { describe, expect, it } from 'vitest';
import { fixtureReleases } from './glowworm-revisions.fixture.js';
import { buildGraph, pendingRevisions } from './graph.js';
import { parseHistoryText } from './history-text.js';

// Printed by Alembic 1.8.1 (`python3 -m alembic history`) for the fixture's 2.0.0 migrations.
const release200History = `2024110900 -> 2024110901 (head), add scheduled actions table
ce5826f818f3 -> 2024110900, add device daemon tables
366388fee193 -> ce5826f818f3, add playlist variants for resolution
c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193 (mergepoint), merge display mode and system settings
a1b2c3d4e5f6 -> c2d3e4f5g6h7, create user logs table
a1b2c3d4e5f6 -> 1c0cd51f0957, add scheduled playlists table
000000000001 -> a1b2c3d4e5f6 (branchpoint), create device logs table
<base> -> 000000000001, initial schema
`;

describe('parseHistoryText', () => {
  it('reads the fixture history into the same graph as the revisions themselves', () => {
    const parsed = parseHistoryText(release200History);
    expect(parsed.heads).toEqual(['2024110901']);
    const sortById = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(sortById(parsed.revisions)).toEqual(sortById(fixtureReleases['2.0.0']));
    expect(pendingRevisions(buildGraph(parsed.revisions), ['c2d3e4f5g6h7']).map((r) => r.id)).toEqual([
      '1c0cd51f0957',
      '366388fee193',
      'ce5826f818f3',
      '2024110900',
      '2024110901',
    ]);
  });

  it('reads a base printed without <base>, a missing message, and a message with commas and parentheses', () => {
    const parsed = parseHistoryText(' -> 000000000001, initial\n000000000001 -> a1b2c3d4e5f6 (head)\n');
    expect(parsed.revisions).toEqual([
      { id: '000000000001', downRevisions: [], message: 'initial' },
      { id: 'a1b2c3d4e5f6', downRevisions: ['000000000001'], message: '' },
    ]);
    const tricky = parseHistoryText('a1 -> b2 (head), fix (again), really -> now\n');
    expect(tricky.revisions).toEqual([{ id: 'b2', downRevisions: ['a1'], message: 'fix (again), really -> now' }]);
  });

  it('reads branch labels, dependencies and the other indicators', () => {
    const parsed = parseHistoryText(
      [
        'a1b2c3d4e5f6 (aux1, aux2) -> dep2 (glowworm, extra) (head) (current), needs aux',
        '<base> -> aux1 (aux) (effective head) (branchpoint), aux base',
        '<base> (aux1) -> solo (head) (current) (mergepoint), odd but legal',
      ].join('\n'),
    );
    expect(parsed.revisions).toEqual([
      {
        id: 'dep2',
        downRevisions: ['a1b2c3d4e5f6'],
        dependsOn: ['aux1', 'aux2'],
        branchLabels: ['glowworm', 'extra'],
        message: 'needs aux',
      },
      { id: 'aux1', downRevisions: [], branchLabels: ['aux'], message: 'aux base' },
      { id: 'solo', downRevisions: [], dependsOn: ['aux1'], message: 'odd but legal' },
    ]);
    expect(parsed.heads).toEqual(['dep2', 'solo']);
  });

  it('skips what is not a history line', () => {
    const noisy = [
      "/usr/lib/python3/dist-packages/alembic/script/revision.py:195: UserWarning: Revision x is present more than once",
      '  util.warn(',
      'INFO  [alembic.runtime.migration] Running upgrade a1 -> b2, not history',
      '',
      '<base> -> a1, only line',
    ].join('\n');
    expect(parseHistoryText(noisy).revisions.map((r) => r.id)).toEqual(['a1']);
    expect(parseHistoryText('').revisions).toEqual([]);
  });
});
