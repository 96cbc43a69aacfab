// After a failed migration on MySQL the schema sits between two revisions: the failed one's DDL stayed, its
// alembic_version row did not. This compares the live schema with what the next revision creates and with the schema
// the image's own migrations define at the database's revision, so the user hears what the failed revision left,
// what was there before it (never offered for removal: it holds data), and the ways out that cannot cost data.
import { pendingRevisions, type Revision, type RevisionGraph } from '../alembic/graph.js';
import {
  createdObjects, describeObject, expectedSchemaAt, hasObject, type RevisionEffects, type SchemaObject, type SchemaSets,
} from '../alembic/schema-effects.js';
import type { Db } from '../db/connection.js';
import { listColumns, listIndexes, listTables } from '../db/schema.js';

export type { SchemaObject };
export type LiveSchema = SchemaSets;

/** Tables the app makes itself at start-up, which no migration names: the reading cannot vouch for them. */
export const APP_CREATED_TABLES: readonly string[] = ['user_sessions'];

export async function readLiveSchema(db: Db): Promise<LiveSchema> {
  return {
    tables: new Set(await listTables(db)),
    columns: new Set((await listColumns(db)).map((c) => `${c.table}.${c.column}`)),
    indexes: new Set((await listIndexes(db)).map((i) => `${i.table}.${i.index}`)),
  };
}

/** A failed migration's traces in the schema, and the ways out (the `schema.half-applied` event carries it). */
export interface HalfApplied {
  revision: string;
  message: string | null;
  /** What the revision creates that is in the schema now, and was not before it ran: its leftovers. */
  present: string[];
  /** What it creates that is missing. */
  absent: string[];
  /** What it creates that was there before it ran (it collides with it): never to be removed. */
  preexisting: string[];
  /** In the schema, but glowworm cannot tell whether the revision made it (see RevisionEffects.opaque): not removed. */
  unverified?: string[];
  /** Whether `alembic stamp` is among the options, and why (not). */
  stamp?: { offered: boolean; reason: string };
  options: string[];
}

/** Plain arrays of a LiveSchema, for the journal (a run resumed after a crash still knows the schema it started from). */
export interface SchemaSnapshot {
  tables: string[];
  columns: string[];
  indexes: string[];
}

export function snapshotOf(live: LiveSchema): SchemaSnapshot {
  return { tables: [...live.tables], columns: [...live.columns], indexes: [...live.indexes] };
}

export function liveOf(snapshot: SchemaSnapshot): LiveSchema {
  return { tables: new Set(snapshot.tables), columns: new Set(snapshot.columns), indexes: new Set(snapshot.indexes) };
}

/** What of the next revision is in the schema, each object told apart by whether it was there before it. */
export interface RevisionTraces {
  revision: Revision;
  effects: RevisionEffects;
  /** Its leftovers: created by it (not in the schema before it), and there now. */
  present: SchemaObject[];
  preexisting: SchemaObject[];
  unverified: SchemaObject[];
  absent: SchemaObject[];
}

/**
 * The next revision's objects, sorted: `preexisting` when the schema the image's migrations define at `revisions`
 * has it (or `before`, the schema recorded before the upgrade ran, had it: a migration that adds an existing column
 * fails on it, it did not make it); `unverified` when that reading cannot vouch for its table; else `present` or
 * `absent` by the live schema. Null at head, or when the image's effects do not name the revision.
 */
export function revisionTraces(
  graph: RevisionGraph,
  effects: ReadonlyMap<string, RevisionEffects>,
  revisions: readonly string[],
  live: LiveSchema,
  before?: LiveSchema,
): RevisionTraces | null {
  const next = pendingRevisions(graph, revisions)[0];
  const e = next ? effects.get(next.id) : undefined;
  if (!next || !e) return null;
  const expected = expectedSchemaAt(graph, effects, revisions);
  const unreadable = (o: SchemaObject) =>
    expected.opaque.has('*') || expected.opaque.has(o.table) || APP_CREATED_TABLES.includes(o.table);
  const t: RevisionTraces = { revision: next, effects: e, present: [], preexisting: [], unverified: [], absent: [] };
  for (const o of createdObjects(e)) {
    if (!hasObject(live, o)) t.absent.push(o);
    else if (hasObject(expected, o) || (before && hasObject(before, o))) t.preexisting.push(o);
    else if (unreadable(o)) t.unverified.push(o);
    else t.present.push(o);
  }
  return t;
}

/**
 * Exactly what to drop to undo the failed (next) revision: its leftovers, nothing that was there before it and
 * nothing unverified. Indexes and columns first, then tables newest first (a later table may refer to an earlier
 * one); a column or index of a table that is itself a leftover goes with its table.
 */
export function leftoversToRemove(
  graph: RevisionGraph,
  effects: ReadonlyMap<string, RevisionEffects>,
  revisions: readonly string[],
  live: LiveSchema,
  before?: LiveSchema,
): SchemaObject[] {
  const present = revisionTraces(graph, effects, revisions, live, before)?.present ?? [];
  const tables = new Set(present.filter((o) => o.kind === 'table').map((o) => o.table));
  const inTables = present.filter((o) => o.kind !== 'table' && !tables.has(o.table));
  const rank = { index: 0, column: 1, table: 2 } as const;
  return [...inTables.sort((a, b) => rank[a.kind] - rank[b.kind]), ...present.filter((o) => o.kind === 'table').reverse()];
}

/**
 * `alembic stamp` records a revision as applied without running it: only right when every object it creates is
 * verifiably there as it makes it (not the older object it collided with), and it has no step glowworm cannot check.
 */
export function stampVerdict(t: RevisionTraces): { offered: boolean; reason: string } {
  const list = (os: SchemaObject[]) => os.map(describeObject).join(', ');
  const e = t.effects;
  const why = [
    t.absent.length ? `not everything it creates is there (missing: ${list(t.absent)})` : '',
    t.preexisting.length ? `it failed on what was there before it (${list(t.preexisting)}): that is the older object, not the one it makes` : '',
    t.unverified.length ? `glowworm cannot tell whether it made ${list(t.unverified)}` : '',
    e.opaque.length ? `it changes ${e.opaque.join(', ')} in ways glowworm cannot read by name` : '',
    e.otherOps.length ? `glowworm does not check what ${e.otherOps.join(', ')} did` : '',
    e.dataSteps.length ? `glowworm cannot verify its data steps (${e.dataSteps.join(', ')})` : '',
  ].filter(Boolean);
  return why.length
    ? { offered: false, reason: `Stamp is not offered: ${why.join('; ')}.` }
    : { offered: true, reason: `everything ${t.revision.id} creates is present and it has no data steps` };
}

/**
 * The next revision's traces as a report, with the ways out. No option removes an object that was there before
 * the revision; stamp is offered only by `stampVerdict`.
 */
export function diagnoseHalfApplied(
  graph: RevisionGraph,
  effects: ReadonlyMap<string, RevisionEffects>,
  revisions: string[],
  live: LiveSchema,
  before?: LiveSchema,
): HalfApplied | null {
  const t = revisionTraces(graph, effects, revisions, live, before);
  // What was there before is no trace of it: a revision not run yet that would collide is not half applied.
  if (!t || !(t.present.length || t.unverified.length)) return null;
  const id = t.revision.id;
  const words = (os: SchemaObject[]) => os.map(describeObject);
  const [present, preexisting, unverified, absent] = [words(t.present), words(t.preexisting), words(t.unverified), words(t.absent)];
  const options = [
    'Restore the backup taken before the upgrade: `glowworm restore <file>` (the safe way back).',
    present.length
      ? `Fix forward: remove only what ${id} left (${present.join(', ')}), then run the migrations again with a release whose ${id} is fixed (\`glowworm doctor\` → Run migrations).`
      : `Fix forward: run the migrations again once ${id} is fixed (\`glowworm doctor\` → Run migrations).`,
  ];
  if (preexisting.length) {
    options.push(`${id} collides with what was there before it ran (${preexisting.join(', ')}): keep that, it holds your data; ${id} needs a release that skips existing objects; report it upstream.`);
  }
  const stamp = stampVerdict(t);
  if (stamp.offered) options.push(`Stamp: ${stamp.reason}; \`alembic stamp ${id}\` marks it applied.`);
  return { revision: id, message: t.revision.message, present, absent, preexisting, unverified, stamp, options };
}
