// Alembic revisions as a graph: which revisions a backend image will apply to a database before we change anything.
// Revision ids are opaque strings (GlowWorm's are hand-made: `c2d3e4f5g6h7`, `2024110900`, `000000000001`), a merge
// revision has several down revisions, and `alembic_version` holds one row per applied branch head.

import { GlowwormError, externalError } from '../errors.js';

export type Revision = {
  id: string;
  /** Empty for a base revision; two or more for a merge. Order as in the file (`down_revision = ('a', 'b')`). */
  downRevisions: string[];
  message: string;
  branchLabels?: string[];
  /** Revision ids or branch labels this one needs applied first, without being its parent (`depends_on`). */
  dependsOn?: string[];
};

/** A revision the database has yet to reach, in the order Alembic will apply it. */
export interface PendingRevision {
  id: string;
  message: string;
  downRevisions: string[];
  isMerge: boolean;
}

export interface RevisionGraph {
  readonly revisions: ReadonlyMap<string, Revision>;
  /** Revisions nothing revises: what `alembic upgrade heads` reaches. Sorted by id. */
  readonly heads: string[];
  /** Revisions with no down revision. Sorted by id. */
  readonly bases: string[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function invalidGraph(message: string): GlowwormError {
  return externalError(
    'alembic.invalid-graph',
    message,
    'The backend image ships a broken set of Alembic migrations; `alembic upgrade head` would fail in it too. Use another image tag.',
  );
}

/** Validates the revisions (no duplicate ids, every down revision and dependency known, no cycle) and indexes them. */
export function buildGraph(revisions: readonly Revision[]): RevisionGraph {
  const byRevisionId = new Map<string, Revision>();
  const labels = new Map<string, string>();
  for (const revision of revisions) {
    if (byRevisionId.has(revision.id)) throw invalidGraph(`Alembic revision ${revision.id} is defined more than once.`);
    byRevisionId.set(revision.id, revision);
    for (const label of revision.branchLabels ?? []) labels.set(label, revision.id);
  }

  // `depends_on` may name a branch label; store resolved ids so the walks below only deal with ids.
  const resolved = new Map<string, Revision>();
  const revised = new Set<string>();
  for (const revision of revisions) {
    for (const down of revision.downRevisions) {
      if (!byRevisionId.has(down)) {
        throw invalidGraph(`Alembic revision ${revision.id} revises ${down}, which is not among the image's migrations.`);
      }
      revised.add(down);
    }
    const dependsOn = (revision.dependsOn ?? []).map((dep) => {
      const id = byRevisionId.has(dep) ? dep : labels.get(dep);
      if (id === undefined) {
        throw invalidGraph(`Alembic revision ${revision.id} depends on ${dep}, which is neither a revision nor a branch label.`);
      }
      return id;
    });
    resolved.set(revision.id, revision.dependsOn ? { ...revision, dependsOn } : revision);
  }

  const graph: RevisionGraph = {
    revisions: resolved,
    heads: revisions.map((r) => r.id).filter((id) => !revised.has(id)).sort(byId),
    bases: revisions.filter((r) => r.downRevisions.length === 0).map((r) => r.id).sort(byId),
  };
  assertAcyclic(graph);
  return graph;
}

/** The revisions a revision needs applied before it: its down revisions and dependencies. */
function prerequisites(revision: Revision): string[] {
  return [...revision.downRevisions, ...(revision.dependsOn ?? [])];
}

function assertAcyclic(graph: RevisionGraph): void {
  const done = new Set<string>();
  const onPath = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    if (onPath.has(id)) throw invalidGraph(`Alembic revisions form a cycle through ${id}.`);
    onPath.add(id);
    for (const before of prerequisites(revisionOf(graph, id))) visit(before);
    onPath.delete(id);
    done.add(id);
  };
  for (const id of graph.revisions.keys()) visit(id);
}

function revisionOf(graph: RevisionGraph, id: string): Revision {
  const revision = graph.revisions.get(id);
  if (!revision) throw new Error(`Revision ${id} is not in the graph.`);
  return revision;
}

function ancestorsOrSelf(graph: RevisionGraph, ids: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...prerequisites(revisionOf(graph, id)));
  }
  return seen;
}

function unknownRevisionError(graph: RevisionGraph, unknown: string[], current: readonly string[]): GlowwormError {
  const heads = graph.heads.join(', ') || 'none';
  return externalError(
    'alembic.unknown-revision',
    `The database is at Alembic revision ${unknown.join(', ')} (alembic_version: ${current.join(', ')}), which this ` +
      `backend image does not know (its head: ${heads}). The database is probably newer than the image, so rolling ` +
      `the image back alone cannot work: this image's migrations would stop with "Can't locate revision".`,
    `Restore the database backup taken with the older version together with that version's image, or use an image ` +
      `whose migrations include ${unknown.join(', ')}.`,
  );
}

/**
 * What `alembic upgrade head` will apply, in the order Alembic applies it: every ancestor of `target` (itself
 * included) that is not an ancestor-or-self of a `current` revision. `current = []` is a fresh database.
 *
 * The order is a depth-first walk from the targets that visits a merge's parents last-to-first, which is what
 * Alembic 1.x does (checked against `alembic upgrade` in history-probe.alembic.test.ts): one branch is applied whole
 * before the other, every revision after all its down revisions and dependencies, a merge after both branches.
 */
export function pendingRevisions(
  graph: RevisionGraph,
  current: readonly string[],
  target: readonly string[] = graph.heads,
): Revision[] {
  const unknown = current.filter((id) => !graph.revisions.has(id));
  if (unknown.length > 0) throw unknownRevisionError(graph, unknown, current);
  const unknownTarget = target.filter((id) => !graph.revisions.has(id));
  if (unknownTarget.length > 0) {
    throw new GlowwormError(`Target Alembic revision ${unknownTarget.join(', ')} is not in the image's migrations.`, {
      kind: 'bug',
      code: 'alembic.unknown-target',
    });
  }

  const applied = ancestorsOrSelf(graph, current);
  const pending: Revision[] = [];
  const visit = (id: string): void => {
    if (applied.has(id)) return;
    applied.add(id);
    const revision = revisionOf(graph, id);
    for (const down of [...revision.downRevisions].reverse()) visit(down);
    for (const dep of revision.dependsOn ?? []) visit(dep);
    pending.push(revision);
  };
  for (const id of target) visit(id);
  return pending;
}

/** Whether `alembic upgrade heads` would do nothing. Throws like `pendingRevisions` for a revision the image lacks. */
export function isAtHead(graph: RevisionGraph, current: readonly string[]): boolean {
  return pendingRevisions(graph, current).length === 0;
}

export function isMerge(revision: Revision): boolean {
  return revision.downRevisions.length > 1;
}

/** `366388fee193 (merge of c2d3e4f5g6h7, 1c0cd51f0957): merge display mode` or `a1b2c3d4e5f6: create device logs`. */
export function describe(revision: Revision): string {
  const merge = isMerge(revision) ? ` (merge of ${revision.downRevisions.join(', ')})` : '';
  return revision.message ? `${revision.id}${merge}: ${revision.message}` : `${revision.id}${merge}`;
}

/** The plan's view of a pending revision (plan.ts `PendingRevision`). */
export function toPendingRevision(revision: Revision): PendingRevision {
  return {
    id: revision.id,
    message: revision.message,
    downRevisions: [...revision.downRevisions],
    isMerge: isMerge(revision),
  };
}
