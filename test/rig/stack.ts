import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readEnvFile } from './env-file.js';
import type { RigVersion } from './releases.js';
import type { RealReleaseName, RealShape } from './real-releases.js';
import type { StackService } from './compose-blocks.js';

/** A rig-model version (1.0.0 …) or a real-shaped release (oct-2025 …). */
export type ReleaseName = RigVersion | RealReleaseName;
/** 'rig': the rig's own model; otherwise the real deployment shape the stack's compose file has. */
export type StackShape = 'rig' | RealShape;

export interface StackImages {
  backend: string;
  frontend: string;
  mysql: string;
  redis?: string;
}

/** What `up` prints as its last stdout line. */
export interface StackSummary {
  dir: string;
  project: string;
  /** service → container name */
  containers: Partial<Record<StackService, string>>;
  frontendPort: number;
  /** Host port of the backend: only the October shape publishes it. */
  backendPort?: number;
  release: ReleaseName;
  /** The same as release (older callers read this name). */
  version: ReleaseName;
  shape: StackShape;
  /** Registry namespace of the backend and frontend images ('glowworm' for the rig model). */
  namespace: string;
  /** The image references the compose file names. */
  images: StackImages;
  head: string;
}

/** A running rig stack, as integration tests use it. Secrets are read from DIR/.env when needed. */
export interface Stack extends StackSummary {
  prefix: string;
  admin: { username: string; password: string };
}

/** Kept beside the compose file: what `up` chose, so `down` and the TS API find the stack again. */
export const RIG_STATE_FILE = 'rig-stack.json';
export type RigStackState = Pick<Stack, 'prefix' | 'release' | 'namespace' | 'admin'>;

/** The project name docker-compose 1.29 derives from the directory (lower-case, only [-_a-z0-9] kept). */
export function composeProjectName(dir: string): string {
  return basename(dir).toLowerCase().replace(/[^-_a-z0-9]/g, '');
}

export function readRigState(dir: string): RigStackState | undefined {
  const file = join(dir, RIG_STATE_FILE);
  if (!existsSync(file)) return undefined;
  // Files written before real-shaped releases existed name the release `version` and have no namespace.
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<RigStackState> & { version?: ReleaseName };
  return {
    prefix: state.prefix ?? '',
    release: (state.release ?? state.version) as ReleaseName,
    namespace: state.namespace ?? 'glowworm',
    admin: state.admin as RigStackState['admin'],
  };
}

/** The stack's .env as compose reads it (re-read on each call: the tool under test may change it). */
export function stackEnv(stack: Pick<Stack, 'dir'>): Record<string, string> {
  return readEnvFile(join(stack.dir, '.env'));
}

export function containerName(stack: Pick<Stack, 'prefix'>, service: StackService): string {
  return `${stack.prefix}${service}`;
}
