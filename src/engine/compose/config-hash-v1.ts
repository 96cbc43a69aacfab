// `com.docker.compose.config-hash` as docker-compose v1 (1.29, Debian's `docker-compose`) computes it, so that a
// container glowworm creates is one v1's `up` finds up to date. v1 recreates a container exactly when this label
// differs from the service's hash (service.py `_containers_have_diverged`).
//
// The algorithm, read from docker-compose 1.29.2 (compose/service.py, compose/utils.py, compose/project.py,
// compose/config/config.py and types.py):
//
//   Service.config_hash = json_hash(self.config_dict())
//   config_dict() = {'options': self.options, 'image_id': self.image()['Id'], 'links': self.get_link_names(),
//                    'net': self.network_mode.id, 'ipc_mode': self.ipc_mode.mode, 'networks': self.networks,
//                    'secrets': self.secrets, 'volumes_from': [...]}
//   json_hash(obj) = sha256(json.dumps(obj, sort_keys=True, separators=(',', ':'), default=lambda x: x.repr()))
//
// `options` is the service as written after v1's config pipeline: interpolation (values keep their YAML types: an
// unquoted `MYSQL_PORT: 3306` stays the integer 3306), process_service (bind paths made absolute, labels and
// depends_on lists turned into mappings, healthcheck durations into integer nanoseconds and `disable` into
// test ["NONE"], ports into ServicePort tuples), finalize_service (env_file + environment resolved into one mapping,
// volumes into VolumeSpec tuples, restart into {Name, MaximumRetryCount}), then Project.from_config (named volumes
// namespaced, `networks`, `network_mode`, `links`, `ipc`, `pid`, `volumes_from`, `secrets`, `scale`, `configs`,
// `deploy` and `name` taken out, `platform` and `device_requests` added, `volumes` always present).
//
// Not reproduced, so such a service gets no hash: `extends`, `deploy`, `links`, `volumes_from`, `secrets`, `ipc`,
// `pid`, `network_mode: service:…`; nor Windows paths. Pinned against hashes docker-compose 1.29.2 printed for the rig's
// files (config-hash-v1.test.ts).
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, normalize, resolve } from 'node:path';
import type { ComposeNetwork, ComposeService, ComposeVolume } from './model.js';
import { parseDuration } from './healthcheck.js';
import { pythonJsonDumps } from './python-json.js';
import { isRecord } from './tree.js';
import { keyValues } from './written-services.js';

export interface V1HashInput {
  /** The service as written: its files' trees interpolated and merged, with YAML's own scalar types. */
  written: Record<string, unknown>;
  /** The same service as glowworm's model has it (env_file contents, the networks it joins). */
  service: ComposeService;
  project: { workingDir: string; networks: Record<string, ComposeNetwork>; volumes: Record<string, ComposeVolume> };
  /** `Id` of the image the service's `image:` names on the engine (null when absent, as v1 hashes it). */
  imageId: string | null;
  /** The environment compose runs in (process env over `.env`): a bare `KEY` takes its value from here. */
  lookup: (name: string) => string | undefined;
}

/** Keys Project.from_config and translate_deploy_keys_to_container_config take out of `options`. */
const NOT_IN_OPTIONS = ['networks', 'network_mode', 'links', 'ipc', 'pid', 'volumes_from', 'secrets', 'scale', 'configs',
  'credential_spec', 'deploy', 'env_file', 'name', 'platform', 'extends'];
/** Keys whose effect on the hash glowworm does not reproduce: a service using one gets no hash (v1ConfigHash null). */
const V1_UNSUPPORTED = ['extends', 'deploy', 'links', 'volumes_from', 'secrets', 'ipc', 'pid'];

export function v1ConfigDict(input: V1HashInput): Record<string, unknown> {
  const { written } = input;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(written)) if (!NOT_IN_OPTIONS.includes(key)) options[key] = value;

  if ('environment' in written || 'env_file' in written) options['environment'] = environment(input);
  if ('labels' in written) options['labels'] = labels(written['labels']);
  if ('depends_on' in written) options['depends_on'] = dependsOn(written['depends_on']);
  if ('healthcheck' in written && isRecord(written['healthcheck'])) options['healthcheck'] = healthcheck(written['healthcheck']);
  if ('ports' in written) options['ports'] = (asList(written['ports'])).flatMap(servicePorts);
  if (typeof written['restart'] === 'string') options['restart'] = restartSpec(written['restart']);
  for (const key of ['dns', 'dns_search', 'tmpfs']) if (key in written) options[key] = toList(written[key]);
  options['volumes'] = asList(written['volumes']).map((v) => volumeSpec(v, input));
  options['platform'] = written['platform'] ?? null;
  options['device_requests'] = null;

  const networks = networkDefs(input);
  const networkMode = typeof written['network_mode'] === 'string' ? written['network_mode'] : null;
  return {
    options,
    image_id: input.imageId,
    links: [],
    net: networkMode ?? Object.keys(networks)[0] ?? 'none',
    ipc_mode: typeof written['ipc'] === 'string' ? written['ipc'] : null,
    networks,
    secrets: [],
    volumes_from: [],
  };
}

/** The v1 hash, or null for a service using a key this does not reproduce (v1 then recreates it once at `up`). */
export function v1ConfigHash(input: V1HashInput): string | null {
  if (V1_UNSUPPORTED.some((key) => key in input.written)) return null;
  if (typeof input.written['network_mode'] === 'string' && input.written['network_mode'].startsWith('service:')) return null;
  return createHash('sha256').update(pythonJsonDumps(v1ConfigDict(input)), 'utf8').digest('hex');
}

// resolve_environment: env_file lines first (strings), then `environment:` with its YAML types; a bare KEY resolves
// from the environment compose runs in, else stays None (JSON null) — unlike the container env, which drops it.
function environment(input: V1HashInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const written = input.written['environment'];
  const own = keyValues(written, null);
  // The model's environment is env_file + environment as strings: keep what came from the env files only.
  for (const [key, value] of Object.entries(input.service.environment)) if (!(key in own)) out[key] = value;
  for (const [key, value] of Object.entries(own)) out[key] = value ?? input.lookup(key) ?? null;
  return out;
}

function labels(value: unknown): Record<string, unknown> {
  const parsed = keyValues(value, '');
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), { condition: 'service_started' }]));
  return value;
}

// process_healthcheck: `disable` → test ["NONE"]; string durations → integer nanoseconds (parse_nanoseconds_int).
function healthcheck(hc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...hc };
  if ('disable' in out) {
    delete out['disable'];
    out['test'] = ['NONE'];
  }
  for (const field of ['interval', 'timeout', 'start_period']) {
    const value = out[field];
    if (typeof value === 'string') {
      const ms = parseDuration(value);
      if (ms !== null) out[field] = Math.round(ms * 1_000_000);
    }
  }
  if (typeof out['retries'] === 'string' && /^\d+$/.test(out['retries'])) out['retries'] = Number(out['retries']);
  return out;
}

// ServicePort(target, published, protocol, mode, external_ip), a namedtuple (JSON list). Short syntax goes through
// docker-py's build_port_bindings, which groups host bindings by container port; ranges expand one port each.
function servicePorts(entry: unknown): unknown[][] {
  if (isRecord(entry)) {
    return [[intOrSelf(entry['target']), publishedPort(entry['published']), entry['protocol'] ?? null, entry['mode'] ?? null, null]];
  }
  const spec = String(entry);
  const slash = spec.lastIndexOf('/');
  const protocol = slash >= 0 ? spec.slice(slash + 1) : null;
  const parts = (slash >= 0 ? spec.slice(0, slash) : spec).split(':');
  const container = parts[parts.length - 1]!;
  const host = parts.length >= 2 ? parts[parts.length - 2]! : null;
  const ip = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : null;
  const targets = range(container);
  const hosts = host ? range(host) : null;
  return targets.map((target, i) => {
    const published = hosts === null ? null : hosts.length === targets.length ? hosts[i]! : host;
    return [intOrSelf(target), publishedPort(published === '' ? null : published), protocol, null, ip || null];
  });
}

function range(text: string): string[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) return [text];
  const out: string[] = [];
  for (let p = Number(m[1]); p <= Number(m[2]); p++) out.push(String(p));
  return out;
}

function intOrSelf(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value ?? null;
}

// A published port is an int, except a host range ("8000-8010") which stays a string.
function publishedPort(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' && value.includes('-') ? value : intOrSelf(value);
}

function restartSpec(text: string): Record<string, unknown> {
  const [name, retries] = text.split(':');
  return { Name: name, MaximumRetryCount: retries === undefined ? 0 : Number(retries) };
}

function toList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// resolve_volume_path + VolumeSpec._parse_unix + ProjectVolumes.namespace_spec: a short entry becomes the tuple
// [external, internal, mode] (mode "rw" unless given; a bare path is an anonymous volume with no mode from the file);
// a long entry becomes MountSpec.repr(): its truthy fields among type/source/target/read_only/consistency.
function volumeSpec(entry: unknown, input: V1HashInput): unknown {
  if (isRecord(entry)) {
    const type = entry['type'];
    let source = typeof entry['source'] === 'string' ? entry['source'] : null;
    if (source && type === 'bind' && /^[.~]/.test(source)) source = expandPath(input.project.workingDir, source);
    else if (source && type === 'bind') source = normalize(source);
    if (source && type === 'volume') source = input.project.volumes[source]?.name ?? source;
    const out: Record<string, unknown> = {};
    const fields: Record<string, unknown> = { type, source, target: entry['target'], read_only: entry['read_only'], consistency: entry['consistency'] };
    for (const [k, v] of Object.entries(fields)) if (v) out[k] = v;
    const options = typeof type === 'string' ? entry[type] : undefined;
    if (options) out[type as string] = options;
    return out;
  }
  const parts = String(entry).split(':');
  if (parts.length === 1) return [null, normalize(parts[0]!), 'rw'];
  let external = parts[0]!;
  if (external.startsWith('.')) external = expandPath(input.project.workingDir, external);
  if (external.startsWith('~')) external = expandHome(external);
  external = normalize(external);
  const named = !/^[./~]/.test(external);
  if (named) external = input.project.volumes[external]?.name ?? external;
  return [external, normalize(parts[1]!), parts[2] ?? 'rw'];
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function expandPath(workingDir: string, path: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? normalize(expanded) : resolve(workingDir, expanded);
}

// get_networks: {true network name: its definition or {}} sorted by name (or by priority when one is set).
function networkDefs(input: V1HashInput): Record<string, unknown> {
  const written = input.written['networks'];
  if (typeof input.written['network_mode'] === 'string') return {};
  const defs: Array<[string, unknown, number]> = [];
  const entries: Array<[string, unknown]> = Array.isArray(written)
    ? written.map((n) => [String(n), null])
    : isRecord(written) ? Object.entries(written) : [['default', null]];
  for (const [key, config] of entries) {
    const name = input.project.networks[key]?.name ?? key;
    const def = isRecord(config) ? config : {};
    defs.push([name, def, typeof def['priority'] === 'number' ? def['priority'] : 0]);
  }
  const byPriority = defs.some(([, , p]) => p !== 0);
  defs.sort((a, b) => (byPriority ? b[2] - a[2] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(defs.map(([name, def]) => [name, def]));
}
