// Find and load the user's compose project exactly as `docker compose` would, without a compose CLI: files, `.env`,
// COMPOSE_* variables, interpolation, merging, project name, and the typed model.

import { resolve } from 'node:path';
import { userError } from '../errors.js';
import { readComposeFile } from './compose-yaml.js';
import { discoverComposeFiles, envDirectory, isFile } from './discover.js';
import { readEnvFile } from './env-file.js';
import { interpolateString, interpolateTree, type Location, type Lookup } from './interpolate.js';
import { mergeComposeFiles } from './merge.js';
import type { ComposeNetwork, ComposeProject, ComposeService, ComposeVolume, UnsetVariable } from './model.js';
import { normalizeService } from './normalize-service.js';
import { resolveProjectName } from './project-name.js';
import { defaultNetwork, topLevelResources } from './resources.js';
import { isRecord } from './tree.js';

export interface LoadProjectOptions {
  /** `--project-directory`: relative paths in the files resolve against it; its `.env` is read. */
  projectDir?: string;
  /** `-f` files, relative to cwd; later files override earlier ones. */
  files?: string[];
  projectName?: string;
  /** The environment compose runs in; wins over `.env`. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** `--env-file`, relative to cwd; replaces the project directory's `.env`. */
  envFile?: string;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

export async function loadProject(opts: LoadProjectOptions = {}): Promise<ComposeProject> {
  const cwd = opts.cwd ?? process.cwd();
  const explicitDir = opts.projectDir ? resolve(cwd, opts.projectDir) : null;
  const explicitFiles = opts.files ?? [];
  const processEnv = definedValues(opts.env ?? process.env);

  const unsetVariables: UnsetVariable[] = [];
  const onUnset = (name: string, location: Location) => unsetVariables.push({ name, ...location });
  const envFile = await locateEnvFile(cwd, opts.envFile, envDirectory(cwd, explicitDir, explicitFiles));
  const dotEnv = envFile ? await readEnvFile(envFile, { lookup: (name) => processEnv[name], onUnset }) : {};
  const environment: Record<string, string> = { ...dotEnv, ...processEnv };
  const lookup: Lookup = (name) => environment[name];

  const discovered = await discoverComposeFiles({
    cwd,
    projectDir: explicitDir,
    files: explicitFiles,
    composeFileVariable: environment['COMPOSE_FILE'],
    pathSeparator: environment['COMPOSE_PATH_SEPARATOR'],
  });
  const parsed = await Promise.all(discovered.files.map((file) => readComposeFile(file)));
  const name = resolveProjectName({
    explicit: opts.projectName,
    fromEnv: environment['COMPOSE_PROJECT_NAME'],
    fromFile: topLevelName(parsed, discovered.files, lookup),
    projectDir: discovered.projectDir,
  });

  const interpolated = parsed.map(
    (tree, i) => interpolateTree(tree, { lookup, onUnset, file: discovered.files[i] as string }) as Record<string, unknown>,
  );
  const raw = mergeComposeFiles(interpolated);
  const warnings: string[] = [];
  if ('version' in raw) warnings.push('The top-level "version" is obsolete; compose ignores it.');
  if ('include' in raw) warnings.push('The top-level "include" is not resolved by glowworm; included services are missing.');

  const volumes = topLevelResources(raw['volumes'], name) as Record<string, ComposeVolume>;
  const networks = topLevelResources(raw['networks'], name) as Record<string, ComposeNetwork>;
  const rawServices = isRecord(raw['services']) ? raw['services'] : {};
  if (usesDefaultNetwork(rawServices) && !networks['default']) networks['default'] = defaultNetwork(name);
  const activeProfiles = (environment['COMPOSE_PROFILES'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);

  const services: Record<string, ComposeService> = {};
  const knownServices = new Set(Object.keys(rawServices));
  for (const serviceName of [...knownServices].sort()) {
    services[serviceName] = await normalizeService(serviceName, rawServices[serviceName], {
      projectDir: discovered.projectDir,
      projectName: name,
      lookup,
      onUnset,
      knownServices,
      networks,
      volumes,
      activeProfiles,
      warnings,
    });
  }
  for (const unset of unsetVariables) {
    warnings.push(`The "${unset.name}" variable is not set. Defaulting to a blank string (${unset.file} at ${unset.path}).`);
  }

  return {
    name,
    workingDir: discovered.projectDir,
    composeFiles: discovered.files,
    envFile,
    activeProfiles,
    services,
    networks,
    volumes,
    unsetVariables,
    warnings,
    raw,
  };
}

async function locateEnvFile(cwd: string, explicit: string | undefined, directory: string): Promise<string | null> {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!(await isFile(path))) throw userError('compose.env-file-missing', `Env file not found: ${path}.`);
    return path;
  }
  const path = resolve(directory, '.env');
  return (await isFile(path)) ? path : null;
}

// `name:` is needed before the rest is interpolated (it decides COMPOSE_PROJECT_NAME); the last file setting it wins.
function topLevelName(trees: Array<Record<string, unknown>>, files: string[], lookup: Lookup): string | undefined {
  for (let i = trees.length - 1; i >= 0; i--) {
    const value = trees[i]?.['name'];
    if (typeof value === 'string' && value !== '') {
      return interpolateString(value, { lookup, location: { file: files[i] as string, path: 'name' } });
    }
  }
  return undefined;
}

function usesDefaultNetwork(services: Record<string, unknown>): boolean {
  return Object.values(services).some((service) => {
    if (!isRecord(service) || (service['network_mode'] ?? null) !== null) return false;
    const networks = service['networks'];
    return !isRecord(networks) || Object.keys(networks).length === 0 || 'default' in networks;
  });
}

function definedValues(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
