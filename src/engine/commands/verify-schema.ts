// Compare the live schema with what the applied migrations should have built (tables), and when the database sits
// between revisions — a migration failed half way, MySQL kept its DDL, alembic_version stayed behind — say what of
// the next revision it left there and what was there before it (never offered for removal), next to the ways out:
// restore, fix forward, or — only when nothing about the revision is unverifiable — stamp.
import type { ProjectOptions, SchemaReport } from '../api.js';
import { expectedTables } from '../alembic/schema-effects.js';
import { withDb } from '../db/connection.js';
import { APP_CREATED_TABLES, diagnoseHalfApplied, readLiveSchema } from '../verify/half-applied.js';
import type { DockerPort } from '../docker/port.js';
import { Redactor } from '../secrets.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { openDeployment, requireDb } from './deployment.js';

export async function verifySchema(opts: ProjectOptions, docker?: DockerPort): Promise<SchemaReport> {
  const d = await openDeployment(opts, new Redactor(), docker);
  const { creds } = requireDb(d);
  const { graph, effects } = await backendMigrations(d.docker, backendImageOf(d.observed));
  return withDb(creds, async (db) => {
    const revisions = d.observed.db!.revisions;
    const live = await readLiveSchema(db);
    const tables = [...live.tables].sort();
    const expected = expectedTables(graph, effects, revisions);
    const missingTables = expected.filter((t) => !live.tables.has(t));
    const unexpectedTables = tables.filter((t) => !expected.includes(t) && !APP_CREATED_TABLES.includes(t));

    const halfApplied = diagnoseHalfApplied(graph, effects, revisions, live);
    return {
      revisions,
      expectedTables: expected,
      presentTables: tables,
      missingTables,
      unexpectedTables,
      halfApplied,
      ok: missingTables.length === 0 && halfApplied === null,
    };
  });
}
