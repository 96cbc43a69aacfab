// The deployment migrations glowworm ships: `migrations/NNN-<slug>.ts`, compiled to `dist/migrations/*.js`.
// Both this module and the migrations sit at the same depth under the repository root and under dist/, so one
// relative URL finds them from the sources (vitest, tsx) and from the build.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GlowwormError } from '../errors.js';
import type { DeployMigration, DeployMigrationModule } from './types.js';

const MIGRATION_FILE = /^(\d{3}-.+)\.(?:ts|js)$/;

export function shippedMigrationsDir(): string {
  return fileURLToPath(new URL('../../../migrations/', import.meta.url));
}

function invalid(file: string, problem: string): GlowwormError {
  return new GlowwormError(`The deployment migration ${file} ${problem}.`, {
    kind: 'bug',
    code: 'deploy-migrations.invalid-migration',
    hint: 'This is a bug in glowworm; please report it.',
  });
}

function validate(file: string, name: string, module: Partial<DeployMigrationModule> & { version?: unknown }): DeployMigration {
  const { description, imageFiles, needed, up, down } = module;
  // Migrations once ran by version; a release is known by what it holds, not by how a tag is spelled.
  if (module.version !== undefined) throw invalid(file, 'exports a `version`: say when it is needed with `needed()` instead');
  if (typeof description !== 'string' || !description) throw invalid(file, 'exports no `description`');
  if (typeof needed !== 'function') throw invalid(file, 'exports no `needed(ctx)`');
  if (imageFiles !== undefined && !(Array.isArray(imageFiles) && imageFiles.every((f) => typeof f === 'string' && f.startsWith('/')))) {
    throw invalid(file, 'has `imageFiles` that are not absolute paths');
  }
  if (typeof up !== 'function' || typeof down !== 'function') throw invalid(file, 'must export both `up` and `down`');
  return { name, description, ...(imageFiles ? { imageFiles } : {}), needed, up, down };
}

/** Every migration in `dir`, in name order (which is the order they run in). */
export async function loadMigrations(dir = shippedMigrationsDir()): Promise<DeployMigration[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const byName = new Map<string, string>();
  for (const file of files.sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (match && !file.endsWith('.d.ts') && !file.includes('.test.')) byName.set(match[1]!, file);
  }
  const migrations: DeployMigration[] = [];
  for (const [name, file] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Partial<DeployMigrationModule>;
    migrations.push(validate(file, name, module));
  }
  return migrations;
}
