// Reads the fixture migrations a release ships, as Alembic would: revision ids and down_revisions from the files
// (names differ from ids), and the text the image gets (a broken body is the corrected file plus its prologue).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './paths.js';
import type { MigrationFile } from './releases.js';

export const MIGRATIONS_DIR = join(FIXTURES_DIR, 'backend', 'migrations');

export interface Revision {
  id: string;
  downRevisions: string[];
  file: string;
}

/** The migration's text as the release ships it in app/alembic/versions/. */
export function shippedMigrationText(migration: MigrationFile): string {
  const text = readFileSync(join(MIGRATIONS_DIR, migration.file), 'utf8');
  if (!migration.brokenPrologue) return text;
  const marker = '\ndef upgrade():\n';
  if (!text.includes(marker)) throw new Error(`${migration.file} has no upgrade() to put the broken prologue into`);
  return text.replace(marker, `${marker}${migration.brokenPrologue.map((line) => `    ${line}\n`).join('')}`);
}

function pythonStrings(expression: string): string[] {
  return [...expression.matchAll(/["']([^"']+)["']/g)].map((match) => match[1] ?? '');
}

export function readRevision(migration: MigrationFile): Revision {
  const text = shippedMigrationText(migration);
  const id = /^revision(?:: [^=]+)? = ["']([^"']+)["']/m.exec(text)?.[1];
  const down = /^down_revision(?:: [^=]+)? = (.+)$/m.exec(text)?.[1];
  if (!id || down === undefined) throw new Error(`${migration.file}: no revision / down_revision`);
  return { id, downRevisions: down.trim() === 'None' ? [] : pythonStrings(down), file: migration.file };
}

/** revision id → revision, refusing two files with one id (Alembic does too). */
export function revisionGraph(migrations: readonly MigrationFile[]): Map<string, Revision> {
  const graph = new Map<string, Revision>();
  for (const migration of migrations) {
    const revision = readRevision(migration);
    const clash = graph.get(revision.id);
    if (clash) throw new Error(`revision ${revision.id} is in both ${clash.file} and ${revision.file}`);
    graph.set(revision.id, revision);
  }
  return graph;
}

/** Revisions nothing revises: Alembic's heads. */
export function graphHeads(graph: Map<string, Revision>): string[] {
  const revised = new Set([...graph.values()].flatMap((revision) => revision.downRevisions));
  return [...graph.keys()].filter((id) => !revised.has(id));
}

/** The revisions an upgrade from `from` to `to` applies, oldest first; throws unless the stretch is linear. */
export function revisionsBetween(graph: Map<string, Revision>, from: string, to: string): string[] {
  const path: string[] = [];
  for (let id = to; id !== from; ) {
    const revision = graph.get(id);
    if (!revision) throw new Error(`${id} is not in the graph (${from} is not below ${to}?)`);
    const [down, ...others] = revision.downRevisions;
    if (down === undefined || others.length > 0) throw new Error(`${id} is a base or a merge: not a linear stretch`);
    path.unshift(id);
    id = down;
  }
  return path;
}
