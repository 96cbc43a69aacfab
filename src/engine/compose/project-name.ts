// The compose project name, which prefixes volume and network names and labels every container. The rules are
// compose-go's (cli/options.go `withNamePrecedenceLoad`, loader/loader.go `projectName`/`NormalizeProjectName`):
// - `-p/--project-name`, else COMPOSE_PROJECT_NAME (environment, then the env file) are set "imperatively": they
//   must already be valid, or compose fails with "is not a valid project name";
// - otherwise the top-level `name:` of the files (the last file that sets it wins, interpolated) is NORMALISED;
// - otherwise the project directory's basename, normalised.
// An empty result is compose's "project name must not be empty".

import { basename } from 'node:path';
import { userError } from '../errors.js';

export interface ProjectNameSources {
  explicit?: string | undefined;
  /** COMPOSE_PROJECT_NAME from the environment, else the env file. */
  fromEnv?: string | undefined;
  /** Top-level `name:` of the merged files (interpolated). */
  fromFile?: string | undefined;
  projectDir: string;
}

/** Lowercase, only `[a-z0-9_-]` kept, leading `-`/`_` trimmed: compose-go's NormalizeProjectName. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

/** A name given with -p or COMPOSE_PROJECT_NAME, checked as compose checks it (it is never rewritten). */
export function checkExplicitProjectName(name: string, origin: string): string {
  if (normalizeProjectName(name) === name && name !== '') return name;
  throw userError(
    'compose.project-name-invalid',
    `Invalid project name ${JSON.stringify(name)} (from ${origin}): it must contain only lowercase letters, ` +
      'digits, "-" and "_", and start with a letter or digit.',
    `Use ${JSON.stringify(normalizeProjectName(name) || 'glowworm')} instead.`,
  );
}

export function resolveProjectName(sources: ProjectNameSources): string {
  if (sources.explicit) return checkExplicitProjectName(sources.explicit, '-p/--project-name');
  if (sources.fromEnv) return checkExplicitProjectName(sources.fromEnv, 'COMPOSE_PROJECT_NAME');
  const fromFile = normalizeProjectName(sources.fromFile ?? '');
  if (fromFile) return fromFile;
  const fromDir = normalizeProjectName(basename(sources.projectDir));
  if (!fromDir) {
    throw userError(
      'compose.project-name-missing',
      `Cannot derive a project name from the directory ${sources.projectDir} (compose: "project name must not be empty").`,
      'Pass -p NAME, or set COMPOSE_PROJECT_NAME in .env.',
    );
  }
  return fromDir;
}
