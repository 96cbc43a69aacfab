// After a failed migration on MySQL the schema sits between two revisions: the failed one's DDL stayed, its
// alembic_version row did not. This compares the live schema with what the next revision creates, so the user
// hears what is half there and the three ways out (restore, fix forward, stamp).
import type { HalfApplied } from '../api.js';
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

/** The next revision's changes already in the schema (MySQL keeps a failed migration's DDL), with the ways out. */
export function diagnoseHalfApplied(graph: RevisionGraph, effects: Map<string, RevisionEffects>, revisions: string[], live: LiveSchema): HalfApplied | null {
  const next = pendingRevisions(graph, revisions)[0];
  const e = next ? effects.get(next.id) : undefined;
  if (!next || !e) return null;
  const { present, absent } = presentEffects(e, live);
  if (!present.length) return null;
  return {
    revision: next.id,
    message: next.message,
    present,
    absent,
    options: [
      'Restore the backup taken before the upgrade: `glowworm restore <file>` (the safe way back).',
      `Fix forward: remove what ${next.id} already created (${present.join(', ')}), then run the migrations again (\`glowworm doctor\` → Run migrations).`,
      absent.length === 0
        ? `Stamp: everything ${next.id} creates is present; \`alembic stamp ${next.id}\` marks it applied (only if its data steps are done too).`
        : `Stamp only after finishing by hand what is missing (${absent.join(', ')}): \`alembic stamp ${next.id}\`.`,
    ],
  };
}

