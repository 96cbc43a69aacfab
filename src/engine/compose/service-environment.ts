// A service's container environment as compose builds it: the `env_file` files in order (later win, paths relative
// to the project directory, `required: false` files may be missing), then `environment:` on top. `KEY` without a
// value takes the value from the environment compose runs in (process env, then `.env`), or is left out when unset.

import { resolve } from 'node:path';
import { userError } from '../errors.js';
import { isFile } from './discover.js';
import { readEnvFile } from './env-file.js';
import type { Location, Lookup } from './interpolate.js';
import { isRecord } from './tree.js';

export interface ServiceEnvironmentContext {
  projectDir: string;
  serviceName: string;
  /** The interpolation environment (process env over `.env`). */
  lookup: Lookup;
  onUnset?: (name: string, location: Location) => void;
}

export interface ServiceEnvironment {
  environment: Record<string, string>;
  envFiles: string[];
}

/** `raw` is the service's canonical tree (environment as a mapping, env_file as a list). */
export async function resolveServiceEnvironment(
  raw: Record<string, unknown>,
  ctx: ServiceEnvironmentContext,
): Promise<ServiceEnvironment> {
  const environment: Record<string, string> = {};
  const envFiles: string[] = [];
  const envFileEntries = Array.isArray(raw['env_file']) ? raw['env_file'] : [];
  for (const [index, entry] of envFileEntries.entries()) {
    const { path, required } = envFileEntry(entry, `services.${ctx.serviceName}.env_file[${index}]`);
    const absolute = resolve(ctx.projectDir, path);
    if (!(await isFile(absolute))) {
      if (!required) continue;
      throw userError(
        'compose.env-file-missing',
        `Env file ${absolute} not found (services.${ctx.serviceName}.env_file).`,
        'Create the file, or mark it `required: false` in the compose file.',
      );
    }
    const values = await readEnvFile(absolute, {
      lookup: (name) => environment[name] ?? ctx.lookup(name),
      fileValuesFirst: true,
      onUnset: ctx.onUnset,
    });
    Object.assign(environment, values);
    envFiles.push(absolute);
  }

  const declared = isRecord(raw['environment']) ? raw['environment'] : {};
  for (const [key, value] of Object.entries(declared)) {
    const resolved = value === null || value === undefined ? ctx.lookup(key) : String(value);
    if (resolved === undefined) delete environment[key];
    else environment[key] = resolved;
  }
  return { environment, envFiles };
}

function envFileEntry(entry: unknown, path: string): { path: string; required: boolean } {
  if (typeof entry === 'string') return { path: entry, required: true };
  if (isRecord(entry) && typeof entry['path'] === 'string') {
    return { path: entry['path'], required: entry['required'] !== false && entry['required'] !== 'false' };
  }
  throw userError('compose.env-file-invalid', `Invalid env_file entry ${JSON.stringify(entry)} at ${path}.`);
}
