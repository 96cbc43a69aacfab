// The compose project name, which prefixes volume and network names and labels every container. Precedence as in
// compose: the explicit name, else COMPOSE_PROJECT_NAME, else top-level `name:`, else the project directory's
// basename. Names given explicitly must already be valid; a directory name is normalised.

import { basename } from 'node:path';
import { userError } from '../errors.js';

export interface ProjectNameSources {
  explicit?: string | undefined;
  /** COMPOSE_PROJECT_NAME from the environment, else `.env`. */
  fromEnv?: string | undefined;
  /** Top-level `name:` of the merged files (interpolated). */
  fromFile?: string | undefined;
  projectDir: string;
}

/** Lowercase, only `[a-z0-9_-]`, no leading `-`/`_` — compose's NormalizeProjectName. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

export function resolveProjectName(sources: ProjectNameSources): string {
  const candidates: Array<[string | undefined, string]> = [
    [sources.explicit, 'the project name option'],
    [sources.fromEnv, 'COMPOSE_PROJECT_NAME'],
    [sources.fromFile, 'the top-level "name:" of the compose file'],
  ];
  for (const [name, origin] of candidates) {
    if (!name) continue;
    if (normalizeProjectName(name) !== name) {
      throw userError(
        'compose.project-name-invalid',
        `Invalid project name ${JSON.stringify(name)} (from ${origin}): it must contain only lowercase letters, ` +
          'digits, "-" and "_", and start with a letter or digit.',
        `Use ${JSON.stringify(normalizeProjectName(name) || 'glowworm')} instead.`,
      );
    }
    return name;
  }
  const fromDir = normalizeProjectName(basename(sources.projectDir));
  if (!fromDir) {
    throw userError(
      'compose.project-name-missing',
      `Cannot derive a project name from the directory ${sources.projectDir}.`,
      'Set COMPOSE_PROJECT_NAME in .env or pass a project name.',
    );
  }
  return fromDir;
}
