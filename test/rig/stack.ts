import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readEnvFile } from './env-file.js';
import type { RigVersion } from './releases.js';
import type { StackService } from './compose-file.js';

/** What `up` prints as its last stdout line. */
export interface StackSummary {
  dir: string;
  project: string;
  /** service → container name */
  containers: Partial<Record<StackService, string>>;
  frontendPort: number;
  version: RigVersion;
  head: string;
}

/** A running rig stack, as integration tests use it. Secrets are read from DIR/.env when needed. */
export interface Stack extends StackSummary {
  prefix: string;
  admin: { username: string; password: string };
}

/** Kept beside the compose file: what `up` chose, so `down` and the TS API find the stack again. */
export const RIG_STATE_FILE = 'rig-stack.json';
export type RigStackState = Pick<Stack, 'prefix' | 'version' | 'admin'>;

/** The project name docker-compose 1.29 derives from the directory (lower-case, only [-_a-z0-9] kept). */
export function composeProjectName(dir: string): string {
  return basename(dir).toLowerCase().replace(/[^-_a-z0-9]/g, '');
}

export function readRigState(dir: string): RigStackState | undefined {
  const file = join(dir, RIG_STATE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RigStackState) : undefined;
}

/** The stack's .env as compose reads it (re-read on each call: the tool under test may change it). */
export function stackEnv(stack: Pick<Stack, 'dir'>): Record<string, string> {
  return readEnvFile(join(stack.dir, '.env'));
}

export function containerName(stack: Pick<Stack, 'prefix'>, service: StackService): string {
  return `${stack.prefix}${service}`;
}
