// Which compose files make up the project, and which directory is the project directory, decided as `docker compose`
// decides (compose-go cli/options.go): explicit files (`-f`) first, else COMPOSE_FILE (`WithConfigFileEnv`, split on
// COMPOSE_PATH_SEPARATOR), else the default names searched from the working directory upwards (`WithDefaultConfigPath`:
// the first of DefaultFileNames in the nearest directory, with the first DefaultOverrideFileNames beside it). The
// project directory is `--project-directory`, else the first file's directory (`GetWorkingDir`).

import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { userError } from '../errors.js';

export const DEFAULT_COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const DEFAULT_OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

export interface DiscoveredFiles {
  /** Absolute paths, in merge order. */
  files: string[];
  /** Absolute project directory. */
  projectDir: string;
  /** Where the files came from, for messages. */
  source: 'explicit' | 'COMPOSE_FILE' | 'default-names';
}

export interface DiscoverOptions {
  cwd: string;
  /** Absolute `--project-directory`, if given. */
  projectDir: string | null;
  /** `-f` files, relative to cwd. */
  files: string[];
  /** COMPOSE_FILE / COMPOSE_PATH_SEPARATOR from the environment or `.env`. */
  composeFileVariable: string | undefined;
  pathSeparator: string | undefined;
}

/** The directory whose `.env` applies before the compose files are known: compose reads it from the project directory,
 * else the first `-f` file's directory, else the current directory. */
export function envDirectory(cwd: string, projectDir: string | null, files: string[]): string {
  if (projectDir) return projectDir;
  const first = files[0];
  return first ? dirname(resolve(cwd, first)) : cwd;
}

export async function discoverComposeFiles(opts: DiscoverOptions): Promise<DiscoveredFiles> {
  const searchFrom = envDirectory(opts.cwd, opts.projectDir, opts.files);
  let files: string[];
  let source: DiscoveredFiles['source'];
  if (opts.files.length > 0) {
    files = opts.files.map((file) => resolve(opts.cwd, file));
    source = 'explicit';
  } else if (opts.composeFileVariable) {
    // compose-go resolves these with filepath.Abs, against its cwd; we resolve them against the project (or current)
    // directory, which is the same when the user runs compose from the project directory, and right when glowworm
    // runs elsewhere with --project-directory (the COMPOSE_FILE of the project's .env names the project's files).
    const separator = opts.pathSeparator || ':';
    files = opts.composeFileVariable
      .split(separator)
      .filter((file) => file.trim() !== '')
      .map((file) => resolve(searchFrom, file));
    source = 'COMPOSE_FILE';
  } else {
    files = await findDefaultFiles(searchFrom);
    source = 'default-names';
  }
  for (const file of files) {
    if (!(await isFile(file))) {
      throw userError(
        'compose.file-not-found',
        `Compose file not found: ${file}${source === 'COMPOSE_FILE' ? ' (listed in COMPOSE_FILE)' : ''}.`,
        'Check the path, or run from the directory that holds docker-compose.yml (or pass the project directory).',
      );
    }
  }
  const first = files[0] as string;
  return { files, projectDir: opts.projectDir ?? dirname(first), source };
}

async function findDefaultFiles(start: string): Promise<string[]> {
  for (let dir = start; ; dir = dirname(dir)) {
    const winner = await firstExisting(dir, DEFAULT_COMPOSE_FILE_NAMES);
    if (winner) {
      const override = await firstExisting(dir, DEFAULT_OVERRIDE_FILE_NAMES);
      return override ? [winner, override] : [winner];
    }
    if (dirname(dir) === dir) break;
  }
  throw userError(
    'compose.not-found',
    `No compose file found in ${start} or any parent directory (looked for ${DEFAULT_COMPOSE_FILE_NAMES.join(', ')}).`,
    'Run glowworm from the directory of your GlowWorm docker-compose.yml, or pass the project directory or file.',
  );
}

async function firstExisting(dir: string, names: string[]): Promise<string | null> {
  for (const name of names) {
    const path = join(dir, name);
    if (await isFile(path)) return path;
  }
  return null;
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
