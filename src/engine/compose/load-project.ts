// Find and load the user's compose project exactly as `docker compose` would, without a compose CLI: files, `.env`,
// COMPOSE_* variables, interpolation, merging, project name, and the typed model.
//
// The order is docker compose v2's (cmd/compose/compose.go `toProjectOptions`, over compose-go's cli/options.go): the
// process environment first (it always wins), then the env file of the working directory known so far (the project
// directory, else the first -f file's directory, else the current directory), then COMPOSE_FILE, then the default
// names searched upwards, and then — the project directory may only now be known — that directory's `.env` once more,
// filling in only what is still unset (compose-go's Mapping.Merge never overwrites).

import { stat } from 'node:fs/promises';
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
  /** `-p/--project-name`: must be a valid name already (compose never rewrites it). */
  projectName?: string | undefined;
  /** The environment compose runs in; wins over `.env`. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** `--env-file`, relative to cwd; replaces the project directory's `.env`. */
  envFile?: string | undefined;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

export async function loadProject(opts: LoadProjectOptions = {}): Promise<ComposeProject> {
  const cwd = opts.cwd ?? process.cwd();
  const explicitDir = opts.projectDir ? resolve(cwd, opts.projectDir) : null;
  if (explicitDir) await requireDirectory(explicitDir);
  const explicitFiles = opts.files ?? [];
  const processEnv = definedValues(opts.env ?? process.env);
  const useDefaultEnvFile = !opts.envFile && !isTrue(processEnv['COMPOSE_DISABLE_ENV_FILE']);

  const unsetVariables: UnsetVariable[] = [];
  const onUnset = (name: string, location: Location) => unsetVariables.push({ name, ...location });
  const firstDir = envDirectory(cwd, explicitDir, explicitFiles);
  let envFile = useDefaultEnvFile ? await defaultEnvFile(firstDir) : await explicitEnvFile(cwd, opts.envFile);
  const environment: Record<string, string> = { ...processEnv };
  const readInto = async (file: string) => {
    const values = await readEnvFile(file, { lookup: (name) => environment[name], onUnset });
    for (const [key, value] of Object.entries(values)) if (!(key in environment)) environment[key] = value;
  };
  if (envFile) await readInto(envFile);
  const lookup: Lookup = (name) => environment[name];

  const discovered = await discoverComposeFiles({
    cwd,
    projectDir: explicitDir,
    files: explicitFiles,
    composeFileVariable: environment['COMPOSE_FILE'],
    pathSeparator: environment['COMPOSE_PATH_SEPARATOR'],
  });
  if (useDefaultEnvFile && discovered.projectDir !== firstDir) {
    const second = await defaultEnvFile(discovered.projectDir);
    if (second) {
      await readInto(second);
      envFile ??= second;
    }
  }
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
  warnings.push(...unsetVariableWarnings(unsetVariables));

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

/**
 * compose prints `The "X" variable is not set. Defaulting to a blank string.` for each use; one line per variable
 * is enough to act on, with where it is used first (and how many more uses there are).
 */
export function unsetVariableWarnings(unset: UnsetVariable[]): string[] {
  const byName = new Map<string, UnsetVariable[]>();
  for (const u of unset) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  return [...byName.entries()].map(([name, uses]) => {
    const first = uses[0] as UnsetVariable;
    const more = uses.length > 1 ? `, and ${uses.length - 1} more use${uses.length > 2 ? 's' : ''}` : '';
    return `The "${name}" variable is not set. Defaulting to a blank string (${first.file} at ${first.path}${more}).`;
  });
}

/**
 * A project directory that does not exist is refused here, before anything can write into it. (compose-go would search
 * upwards from it and find a parent's file; glowworm keeps its journal and backups in the project directory, so a typo
 * must not become a new directory beside someone else's compose file.)
 */
async function requireDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info?.isDirectory()) return;
  throw userError(
    'compose.project-dir-missing',
    info ? `The project directory ${dir} is not a directory.` : `The project directory ${dir} does not exist.`,
    'Pass the directory that holds your GlowWorm docker-compose.yml (--project-directory DIR), or the file itself (-f FILE).',
  );
}

async function explicitEnvFile(cwd: string, explicit: string | undefined): Promise<string | null> {
  if (!explicit) return null;
  const path = resolve(cwd, explicit);
  if (!(await isFile(path))) {
    throw userError('compose.env-file-missing', `Env file not found: ${path}.`, 'Check the --env-file path (it is relative to the current directory).');
  }
  return path;
}

async function defaultEnvFile(directory: string): Promise<string | null> {
  const path = resolve(directory, '.env');
  return (await isFile(path)) ? path : null;
}

/** compose-go reads COMPOSE_DISABLE_ENV_FILE with Go's strconv.ParseBool. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
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
