// After a failed migration on MySQL the schema sits between two revisions: the failed one's DDL stayed, its
// alembic_version row did not. This compares the live schema with what the next revision creates, so the user
// hears what is half there and the three ways out (restore, fix forward, stamp).
import { pendingRevisions, type RevisionGraph } from '../alembic/graph.js';
import { presentEffects, type RevisionEffects } from '../alembic/schema-effects.js';
import type { Db } from '../db/connection.js';
import { listColumns, listIndexes, listTables } from '../db/schema.js';

export interface LiveSchema {
  tables: Set<string>;
  columns: Set<string>;
  indexes: Set<string>;
}

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
  /** What it creates that was there before it ran (it collides with it). Empty when the earlier schema is unknown. */
  preexisting: string[];
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

/**
 * The next revision's changes already in the schema (MySQL keeps a failed migration's DDL), with the ways out.
 * With `before` (the schema before the upgrade ran), what was there already is told apart from what the failed
 * revision created: a migration that adds an existing column fails on it ("Duplicate column"), it did not make it.
 */
export function diagnoseHalfApplied(
  graph: RevisionGraph,
  effects: ReadonlyMap<string, RevisionEffects>,
  revisions: string[],
  live: LiveSchema,
  before?: LiveSchema,
): HalfApplied | null {
  const next = pendingRevisions(graph, revisions)[0];
  const e = next ? effects.get(next.id) : undefined;
  if (!next || !e) return null;
  const now = presentEffects(e, live);
  const earlier = before ? new Set(presentEffects(e, before).present) : new Set<string>();
  const present = now.present.filter((p) => !earlier.has(p));
  const preexisting = now.present.filter((p) => earlier.has(p));
  if (!present.length && !preexisting.length) return null;
  const options = [
    'Restore the backup taken before the upgrade: `glowworm restore <file>` (the safe way back).',
    present.length
      ? `Fix forward: remove what ${next.id} already created (${present.join(', ')}), then run the migrations again (\`glowworm doctor\` → Run migrations).`
      : `Fix forward: run the migrations again once ${next.id} is fixed (\`glowworm doctor\` → Run migrations).`,
  ];
  if (preexisting.length) {
    options.push(`${next.id} collides with what was there before it ran (${preexisting.join(', ')}): it needs a release that skips existing objects; report it upstream.`);
  }
  options.push(
    now.absent.length === 0
      ? `Stamp: everything ${next.id} creates is present; \`alembic stamp ${next.id}\` marks it applied (only if its data steps are done too).`
      : `Stamp only after finishing by hand what is missing (${now.absent.join(', ')}): \`alembic stamp ${next.id}\`.`,
  );
  return { revision: next.id, message: next.message, present, absent: now.absent, preexisting, options };
}
