// Parse argv for one command with node:util's parseArgs (strict: an unknown flag is an error naming it), plus the
// options every command shares. Bad input becomes a usage error with a hint, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { userError } from '../engine/errors.js';

export type Mode = 'tui' | 'plain' | 'json';

export const COMMON_OPTIONS = {
  'project-dir': { type: 'string' },
  file: { type: 'string', short: 'f', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  plain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface CommonArgs {
  projectDir: string;
  files: string[];
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
  return {
    projectDir: resolve(String(values['project-dir'] ?? process.cwd())),
    files: (values['file'] as string[] | undefined) ?? [],
    yes: Boolean(values['yes']),
    mode,
    help: Boolean(values['help']),
  };
}

/** Seconds from a flag, as milliseconds; `fallbackSeconds` when the flag is absent. */
export function parseSeconds(flag: string, value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw userError('usage.bad-number', `--${flag} needs a positive number of seconds, got "${value}".`);
  return n * 1000;
}
