import { describe as group, expect, it } from 'vitest';
import { GlowwormError } from '../errors.js';
import { fixtureReleases } from './glowworm-revisions.fixture.js';
import {
  buildGraph,
  describe,
  isAtHead,
  pendingRevisions,
  toPendingRevision,
  type Revision,
  type RevisionGraph,
} from './graph.js';

const image100 = buildGraph(fixtureReleases['1.0.0']);
const image110 = buildGraph(fixtureReleases['1.1.0']);
const image200 = buildGraph(fixtureReleases['2.0.0']);

const ids = (revisions: Revision[]): string[] => revisions.map((r) => r.id);

/** Every pending revision comes after each of its pending down revisions and dependencies. */
function expectApplicable(graph: RevisionGraph, pending: Revision[]): void {
  const position = new Map(pending.map((r, i) => [r.id, i]));
  for (const [i, revision] of pending.entries()) {
    for (const before of [...revision.downRevisions, ...(revision.dependsOn ?? [])]) {
      const at = position.get(before);
      if (at !== undefined) expect(at, `${before} before ${revision.id}`).toBeLessThan(i);
    }
    expect(graph.revisions.has(revision.id)).toBe(true);
  }
  expect(new Set(ids(pending)).size).toBe(pending.length);
}

function thrown(fn: () => unknown): GlowwormError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GlowwormError);
    return error as GlowwormError;
  }
  throw new Error('expected a GlowwormError');
}

group('buildGraph', () => {
  it('finds one head and one base per fixture release, the branch point and merge included', () => {
    expect(image100.heads).toEqual(['a1b2c3d4e5f6']);
    expect(image110.heads).toEqual(['ce5826f818f3']);
    expect(image200.heads).toEqual(['2024110901']);
    expect(image200.bases).toEqual(['000000000001']);
    expect(image200.revisions.size).toBe(8);
  });

  it('reports two heads while the branches are not merged yet', () => {
    const beforeMerge = fixtureReleases['1.1.0'].filter((r) => !['366388fee193', 'ce5826f818f3'].includes(r.id));
    expect(buildGraph(beforeMerge).heads).toEqual(['1c0cd51f0957', 'c2d3e4f5g6h7']);
  });

  it('rejects a down revision the image does not have', () => {
    const broken = fixtureReleases['2.0.0'].filter((r) => r.id !== '2024110900');
    const error = thrown(() => buildGraph(broken));
    expect(error.code).toBe('alembic.invalid-graph');
    expect(error.kind).toBe('external');
    expect(error.message).toContain('2024110901 revises 2024110900');
  });

  it('rejects a duplicate revision id', () => {
    const twice = [...fixtureReleases['1.0.0'], { id: 'a1b2c3d4e5f6', downRevisions: ['000000000001'], message: 'again' }];
    const error = thrown(() => buildGraph(twice));
    expect(error.code).toBe('alembic.invalid-graph');
    expect(error.message).toContain('a1b2c3d4e5f6 is defined more than once');
  });

  it('rejects a cycle', () => {
    const cycle: Revision[] = [
      { id: 'x1', downRevisions: ['x2'], message: '' },
      { id: 'x2', downRevisions: ['x1'], message: '' },
    ];
    expect(thrown(() => buildGraph(cycle)).message).toMatch(/cycle/);
  });

  it('resolves depends_on by id or branch label and rejects an unknown one', () => {
    const withDeps: Revision[] = [
      ...fixtureReleases['1.0.0'],
      { id: 'aux1', downRevisions: [], message: 'aux base', branchLabels: ['aux'] },
      { id: 'dep2', downRevisions: ['a1b2c3d4e5f6'], message: 'needs aux', dependsOn: ['aux'] },
    ];
    const graph = buildGraph(withDeps);
    expect(graph.revisions.get('dep2')?.dependsOn).toEqual(['aux1']);
    // From a database at a1b2c3d4e5f6 the dependency is applied first, although it is not a parent.
    expect(ids(pendingRevisions(graph, ['a1b2c3d4e5f6'], ['dep2']))).toEqual(['aux1', 'dep2']);
    const unknown = [...withDeps.slice(0, 2), { id: 'dep3', downRevisions: [], message: '', dependsOn: ['nope'] }];
    expect(thrown(() => buildGraph(unknown)).message).toContain('depends on nope');
  });
});

group('pendingRevisions', () => {
  // Orders below are what Alembic 1.8 printed for `upgrade head` on this history (history-probe.alembic.test.ts
  // checks them against a live Alembic): the second parent's branch of a merge is applied first.
  it('applies everything, in order, to a fresh database', () => {
    const pending = pendingRevisions(image200, []);
    expect(ids(pending)).toEqual([
      '000000000001',
      'a1b2c3d4e5f6',
      '1c0cd51f0957',
      'c2d3e4f5g6h7',
      '366388fee193',
      'ce5826f818f3',
      '2024110900',
      '2024110901',
    ]);
    expectApplicable(image200, pending);
  });

  it('from the branch point applies both branches, then the merge', () => {
    const pending = pendingRevisions(image110, ['a1b2c3d4e5f6']);
    expect(ids(pending)).toEqual(['1c0cd51f0957', 'c2d3e4f5g6h7', '366388fee193', 'ce5826f818f3']);
    expectApplicable(image110, pending);
  });

  it('from one branch head (the DB stopped mid-branch) applies only the other branch before the merge', () => {
    const pending = pendingRevisions(image200, ['c2d3e4f5g6h7']);
    expect(ids(pending)).toEqual(['1c0cd51f0957', '366388fee193', 'ce5826f818f3', '2024110900', '2024110901']);
  });

  it('from both branch heads (two alembic_version rows) starts at the merge', () => {
    const pending = pendingRevisions(image200, ['c2d3e4f5g6h7', '1c0cd51f0957']);
    expect(ids(pending)).toEqual(['366388fee193', 'ce5826f818f3', '2024110900', '2024110901']);
    expect(pending[0]?.downRevisions).toEqual(['c2d3e4f5g6h7', '1c0cd51f0957']);
  });

  it('ignores a current revision that is already an ancestor of another current one', () => {
    expect(ids(pendingRevisions(image200, ['a1b2c3d4e5f6', '1c0cd51f0957']))).toEqual(
      ids(pendingRevisions(image200, ['1c0cd51f0957'])),
    );
  });

  it('has nothing pending at head, and something one release behind', () => {
    expect(pendingRevisions(image200, ['2024110901'])).toEqual([]);
    expect(isAtHead(image200, ['2024110901'])).toBe(true);
    expect(isAtHead(image200, ['ce5826f818f3'])).toBe(false);
    expect(isAtHead(image200, [])).toBe(false);
    expect(ids(pendingRevisions(image200, ['ce5826f818f3']))).toEqual(['2024110900', '2024110901']);
  });

  it('stops at an explicit target', () => {
    expect(ids(pendingRevisions(image200, [], ['c2d3e4f5g6h7']))).toEqual([
      '000000000001',
      'a1b2c3d4e5f6',
      'c2d3e4f5g6h7',
    ]);
  });

  it('does not depend on the order the revisions were listed in', () => {
    const shuffled = buildGraph([...fixtureReleases['2.0.0']].reverse());
    expect(ids(pendingRevisions(shuffled, ['a1b2c3d4e5f6']))).toEqual(ids(pendingRevisions(image200, ['a1b2c3d4e5f6'])));
  });

  it('says the database is newer than the image when it sits at a revision the image lacks', () => {
    const error = thrown(() => pendingRevisions(image100, ['ce5826f818f3']));
    expect(error.kind).toBe('external');
    expect(error.code).toBe('alembic.unknown-revision');
    expect(error.message).toContain('ce5826f818f3');
    expect(error.message).toContain('does not know');
    expect(error.message).toMatch(/newer than the image/);
    expect(error.message).toMatch(/rolling the image back alone cannot work/);
    expect(error.hint).toMatch(/[Rr]estore the database backup/);
    expect(() => isAtHead(image100, ['ce5826f818f3'])).toThrow(GlowwormError);
  });

  it('names only the unknown one of two current revisions', () => {
    const error = thrown(() => pendingRevisions(image110, ['c2d3e4f5g6h7', 'zz99']));
    expect(error.message).toContain('revision zz99 (alembic_version: c2d3e4f5g6h7, zz99)');
  });

  it('treats an unknown target as our bug', () => {
    expect(thrown(() => pendingRevisions(image100, [], ['nope'])).kind).toBe('bug');
  });
});

group('describe and toPendingRevision', () => {
  const merge = image200.revisions.get('366388fee193') as Revision;
  const plain = image200.revisions.get('a1b2c3d4e5f6') as Revision;

  it('names the parents of a merge', () => {
    expect(describe(merge)).toBe('366388fee193 (merge of c2d3e4f5g6h7, 1c0cd51f0957): merge display mode and system settings');
    expect(describe(plain)).toBe('a1b2c3d4e5f6: create device logs table');
    expect(describe({ id: 'x1', downRevisions: [], message: '' })).toBe('x1');
  });

  it('maps to the plan type', () => {
    expect(toPendingRevision(merge)).toEqual({
      id: '366388fee193',
      message: 'merge display mode and system settings',
      downRevisions: ['c2d3e4f5g6h7', '1c0cd51f0957'],
      isMerge: true,
    });
    expect(toPendingRevision(plain).isMerge).toBe(false);
  });
});
