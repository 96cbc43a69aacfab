// The services as their files write them: each compose file read and interpolated, but not brought to glowworm's
// canonical forms (canonical.ts), because docker-compose v1 hashes what was written — a list stays a list, an
// unquoted number stays a number (config-hash-v1.ts). Several files merge by v1's merge_service_dicts rules for the
// keys a service commonly overrides: mappings (environment, labels, healthcheck, …) key by key, volumes by container
// path, ports/expose/dns/… appended without duplicates, everything else replaced.
import { readComposeFile } from './compose-yaml.js';
import { readEnvFile } from './env-file.js';
import { interpolateTree, type Lookup } from './interpolate.js';
import type { ComposeProject } from './model.js';
import { isRecord } from './tree.js';

export interface WrittenServices {
  services: Record<string, Record<string, unknown>>;
  /** The environment the files were interpolated with (process env over `.env`). */
  lookup: Lookup;
}

const MAPPING_KEYS = new Set(['environment', 'labels', 'healthcheck', 'depends_on', 'logging', 'ulimits', 'sysctls', 'extra_hosts', 'build', 'networks']);
const UNIQUE_LIST_KEYS = new Set(['ports', 'expose', 'dns', 'dns_search', 'cap_add', 'cap_drop', 'devices', 'env_file', 'tmpfs', 'security_opt', 'external_links']);

export async function readWrittenServices(project: Pick<ComposeProject, 'composeFiles' | 'envFile'>, env: Record<string, string | undefined> = process.env): Promise<WrittenServices> {
  const processEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) processEnv[k] = v;
  const dotEnv = project.envFile ? await readEnvFile(project.envFile, { lookup: (name) => processEnv[name] }).catch(() => ({})) : {};
  const environment: Record<string, string> = { ...dotEnv, ...processEnv };
  const lookup: Lookup = (name) => environment[name];
  const services: Record<string, Record<string, unknown>> = {};
  for (const file of project.composeFiles) {
    const tree = interpolateTree(await readComposeFile(file), { lookup, file }) as Record<string, unknown>;
    const fileServices = isRecord(tree['services']) ? tree['services'] : {};
    for (const [name, service] of Object.entries(fileServices)) {
      if (!isRecord(service)) continue;
      services[name] = services[name] ? mergeService(services[name]!, service) : { ...service };
    }
  }
  return { services, lookup };
}

function mergeService(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const before = out[key];
    if (MAPPING_KEYS.has(key)) out[key] = { ...keyValues(before, null), ...keyValues(value, null) };
    else if (UNIQUE_LIST_KEYS.has(key) && Array.isArray(before) && Array.isArray(value)) {
      out[key] = [...before, ...value.filter((v) => !before.some((b) => JSON.stringify(b) === JSON.stringify(v)))];
    } else if (key === 'volumes' && Array.isArray(before) && Array.isArray(value)) {
      const byTarget = new Map(before.map((v) => [mountTarget(v), v]));
      for (const v of value) byTarget.set(mountTarget(v), v);
      out[key] = [...byTarget.values()];
    } else out[key] = value;
  }
  return out;
}

/** `["A=1", "B"]` → {A: "1", B: missing}, as v1's split_kv reads a list; a mapping is kept with its values' types. */
export function keyValues(value: unknown, missing: string | null): Record<string, unknown> {
  if (isRecord(value)) return { ...value };
  if (!Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const item of value) {
    const text = String(item);
    const at = text.indexOf('=');
    if (at < 0) out[text] = missing;
    else out[text.slice(0, at)] = text.slice(at + 1);
  }
  return out;
}

function mountTarget(entry: unknown): string {
  if (isRecord(entry)) return String(entry['target']);
  const parts = String(entry).split(':');
  return parts.length === 1 ? parts[0]! : parts[1]!;
}
