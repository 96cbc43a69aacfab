// Parse argv for one command with node:util's parseArgs (strict: an unknown flag is an error naming it), plus the
// options every command shares. Bad input becomes a usage error with a hint, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { userError } from '../engine/errors.js';

export type Mode = 'tui' | 'plain' | 'json';

/** The project options are docker compose's own (`docker compose --help`); `--project-dir` is glowworm's older name. */
export const COMMON_OPTIONS = {
  'project-dir': { type: 'string' },
  'project-directory': { type: 'string' },
  'project-name': { type: 'string', short: 'p' },
  'env-file': { type: 'string', multiple: true },
  file: { type: 'string', short: 'f', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  plain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The project as the user named it; src/cli/project-args.ts resolves it with compose's rules. */
export interface ProjectArgs {
  /** `--project-directory` (or `--project-dir`), as given; null: compose decides (first -f file's directory, or cwd). */
  projectDirectory: string | null;
  /** `-f`, as given (relative to the current directory). */
  files: string[];
  /** `-p/--project-name`. */
  projectName: string | null;
  /** `--env-file`. */
  envFile: string | null;
}

export interface CommonArgs {
  project: ProjectArgs;
  yes: boolean;
  mode: Mode;
  help: boolean;
}

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw userError('usage.bad-flag', `glowworm ${command}: ${(error as Error).message}`, `Run "glowworm ${command} --help" for the options.`);
  }
}

export function commonArgs(values: Record<string, unknown>, io: { stdoutIsTTY: boolean; stdinIsTTY: boolean }): CommonArgs {
  const mode: Mode = values['json'] ? 'json' : values['plain'] || !io.stdoutIsTTY || !io.stdinIsTTY ? 'plain' : 'tui';
  return { project: projectArgs(values), yes: Boolean(values['yes']), mode, help: Boolean(values['help']) };
}

function projectArgs(values: Record<string, unknown>): ProjectArgs {
  const dirs = [values['project-directory'], values['project-dir']].filter((v): v is string => typeof v === 'string');
  if (dirs.length === 2 && dirs[0] !== dirs[1]) {
    throw userError('usage.bad-flag', `--project-directory ${dirs[0]} and --project-dir ${dirs[1]} name two directories.`, 'Pass one of them (they are the same option).');
  }
  for (const [flag, value] of [['--project-directory', dirs[0]], ['-p/--project-name', values['project-name']]] as const) {
    if (value === '') throw userError('usage.bad-flag', `${flag} needs a value.`);
  }
  const envFiles = (values['env-file'] as string[] | undefined) ?? [];
  // compose merges several --env-file; glowworm edits the project's one env file when a release needs it, so it takes one.
  if (envFiles.length > 1) throw userError('usage.bad-flag', `glowworm takes one --env-file (got ${envFiles.length}).`, 'Merge them into one file, or pass the one your compose file is run with.');
  return {
    projectDirectory: dirs[0] ?? null,
    files: (values['file'] as string[] | undefined) ?? [],
    projectName: (values['project-name'] as string | undefined) ?? null,
    envFile: envFiles[0] ?? null,
  };
}

/** Seconds from a flag, as milliseconds; `fallbackSeconds` when the flag is absent. */
export function parseSeconds(flag: string, value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw userError('usage.bad-number', `--${flag} needs a positive number of seconds, got "${value}".`);
  return n * 1000;
}

/** The project options every command's help refers to as "[project options]". */
export const PROJECT_OPTIONS_HELP = `Project options (as docker compose's; docs/upgrading.md, "Which project"):
  -f, --file FILE            compose file, repeatable (default: COMPOSE_FILE, or compose.yaml/docker-compose.yml
                             and its override, searched from the current directory upwards)
  --project-directory DIR    the project directory (default: the first file's directory); also --project-dir
  -p, --project-name NAME    default: COMPOSE_PROJECT_NAME, then the file's name:, then the directory's name
  --env-file FILE            instead of the project directory's .env`;
