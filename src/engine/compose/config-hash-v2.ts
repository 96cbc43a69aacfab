// `com.docker.compose.config-hash` as docker compose v2 computes it (docker/compose pkg/compose/hash.go):
//
//   func ServiceHash(o types.ServiceConfig) (string, error) {
//       o.Build = nil; o.PullPolicy = ""; o.Scale = nil
//       if o.Deploy != nil { o.Deploy.Replicas = nil }
//       o.DependsOn = nil; o.Profiles = nil
//       data, err := json.Marshal(o)
//       return digest.SHA256.FromBytes(data).Encoded(), nil
//   }
//
// i.e. sha256 of Go's JSON of compose-go's ServiceConfig (compose-spec/compose-go types/types.go: fields in
// declaration order, nearly all `omitempty`, `command` and `entrypoint` always present, `null` when unset), after
// compose-go's loader normalised the service: shell-form commands split into words, environment values as strings
// (a bare unset KEY is null), ports as ServicePortConfig with mode "ingress" and protocol "tcp", volumes as
// ServiceVolumeConfig (bind sources absolute, `bind: {}` for the create_host_path default), healthcheck durations as
// Go duration strings, extra_hosts as sorted "host=ip", networks by their key (`default: null` when none is named).
//
// Pinned against docker/compose's own golden vector (hash_test.go `TestHashGoldenValues`, richServiceFixture). The
// normalisation from a compose file is read from compose-go and not checked against a docker compose v2 binary (none
// on this machine kind), and v2 releases have changed the hash before (a release that does recreates once after
// glowworm, as after any compose upgrade). A service using a key this does not model gets no hash (null): compose v2
// then recreates it once at its next `up` rather than glowworm claiming a hash it cannot vouch for.
import { createHash } from 'node:crypto';
import { shellWordsOf } from './shell-words.js';
import { GoStruct, goJson } from './go-json.js';
import type { ComposeService } from './model.js';
import { resolveHostPath } from './volumes.js';
import { isRecord } from './tree.js';

/** Service keys this reproduces; the ServiceHash-cleared ones (build, pull_policy, scale, depends_on, profiles) too. */
const MODELLED = new Set(['cap_add', 'cap_drop', 'command', 'container_name', 'dns', 'dns_search', 'domainname', 'entrypoint',
  'environment', 'expose', 'extra_hosts', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'labels', 'logging',
  'network_mode', 'networks', 'pid', 'platform', 'ports', 'privileged', 'read_only', 'restart', 'security_opt',
  'stdin_open', 'stop_grace_period', 'stop_signal', 'tmpfs', 'tty', 'user', 'volumes', 'working_dir',
  'build', 'pull_policy', 'scale', 'depends_on', 'profiles']);

export interface V2HashInput {
  /** The service's merged, interpolated, canonical tree (ComposeService.raw) and its model. */
  service: ComposeService;
  projectDir: string;
  lookup: (name: string) => string | undefined;
}

/** The v2 hash, or null when the service uses a key this does not reproduce. */
export function v2ConfigHash(input: V2HashInput): string | null {
  const config = v2ServiceConfig(input);
  return config ? createHash('sha256').update(goJson(config), 'utf8').digest('hex') : null;
}

export function v2ServiceConfig(input: V2HashInput): GoStruct | null {
  const raw = input.service.raw;
  if (Object.keys(raw).some((k) => !k.startsWith('x-') && !MODELLED.has(k))) return null;
  const str = (k: string) => (typeof raw[k] === 'string' || typeof raw[k] === 'number' ? String(raw[k]) : undefined);
  const bool = (k: string) => (raw[k] === true || raw[k] === 'true' ? true : undefined);
  const list = (k: string) => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).map(String) : typeof raw[k] === 'string' ? [raw[k] as string] : undefined);
  const nonEmpty = <T>(v: T[] | undefined) => (v && v.length ? v : undefined);
  return new GoStruct([
    ['cap_add', nonEmpty(list('cap_add'))],
    ['cap_drop', nonEmpty(list('cap_drop'))],
    ['command', command(raw['command'])],
    ['container_name', str('container_name')],
    ['dns', nonEmpty(list('dns'))],
    ['dns_search', nonEmpty(list('dns_search'))],
    ['domainname', str('domainname')],
    ['entrypoint', command(raw['entrypoint'])],
    ['environment', environment(raw['environment'], input.lookup)],
    ['expose', nonEmpty(list('expose'))],
    ['extra_hosts', extraHosts(raw['extra_hosts'])],
    ['hostname', str('hostname')],
    ['healthcheck', healthcheck(input.service)],
    ['image', str('image')],
    ['init', bool('init')],
    ['ipc', str('ipc')],
    ['labels', isRecord(raw['labels']) && Object.keys(raw['labels']).length ? raw['labels'] : undefined],
    ['logging', isRecord(raw['logging']) ? new GoStruct([['driver', raw['logging']['driver'] ?? undefined], ['options', raw['logging']['options'] ?? undefined]]) : undefined],
    ['network_mode', str('network_mode')],
    ['networks', networks(raw)],
    ['pid', str('pid')],
    ['platform', str('platform')],
    ['ports', nonEmpty(input.service.ports.length ? asList(raw['ports']).flatMap(ports) : undefined)],
    ['privileged', bool('privileged')],
    ['read_only', bool('read_only')],
    ['restart', str('restart')],
    ['security_opt', nonEmpty(list('security_opt'))],
    ['stdin_open', bool('stdin_open')],
    ['stop_grace_period', str('stop_grace_period') !== undefined ? goDuration(str('stop_grace_period')!) : undefined],
    ['stop_signal', str('stop_signal')],
    ['tmpfs', nonEmpty(list('tmpfs'))],
    ['tty', bool('tty')],
    ['user', str('user')],
    ['volumes', nonEmpty(asList(raw['volumes']).map((v) => volume(v, input.projectDir)))],
    ['working_dir', str('working_dir')],
  ]);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// ShellCommand: a string is split into shell words; absent is null (the field is not omitempty).
function command(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.map(String) : shellWordsOf(String(value));
}

// MappingWithEquals: map[string]*string; a bare KEY takes its value from the environment, else stays nil.
function environment(value: unknown, lookup: (name: string) => string | undefined): Record<string, string | null> | undefined {
  if (!isRecord(value) || !Object.keys(value).length) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? lookup(k) ?? null : String(v)]));
}

// HostsList marshals as a sorted list of "host=ip".
function extraHosts(value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((a) => `${host}=${String(a)}`));
  return entries.length ? entries.sort() : undefined;
}

/** A duration in Go's time.Duration.String() form: "2s", "1m30s", "1h0m0s", "500ms". */
export function goDuration(text: string | number): string {
  const ms = typeof text === 'number' ? text : parseDurationMs(text);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

function parseDurationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

function healthcheck(service: ComposeService): GoStruct | undefined {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  const d = (ms: number | null) => (ms === null ? undefined : goDuration(ms));
  return new GoStruct([
    ['test', hc.test ?? undefined],
    ['timeout', d(hc.timeoutMs)],
    ['interval', d(hc.intervalMs)],
    ['retries', hc.retries ?? undefined],
    ['start_period', d(hc.startPeriodMs)],
    ['start_interval', d(hc.startIntervalMs)],
    ['disable', isRecord(service.raw['healthcheck']) && service.raw['healthcheck']['disable'] === true ? true : undefined],
  ]);
}

// Networks by key; a service naming none joins `default`.
function networks(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof raw['network_mode'] === 'string') return undefined;
  const declared = isRecord(raw['networks']) ? raw['networks'] : {};
  const keys = Object.keys(declared).length ? Object.entries(declared) : [['default', null] as const];
  return Object.fromEntries(keys.map(([key, config]) => [key, isRecord(config) ? new GoStruct([
    ['aliases', Array.isArray(config['aliases']) && config['aliases'].length ? config['aliases'].map(String) : undefined],
    ['ipv4_address', config['ipv4_address'] ?? undefined],
    ['ipv6_address', config['ipv6_address'] ?? undefined],
    ['priority', config['priority'] ?? undefined],
  ]) : null]));
}

// ParsePortConfig (nat.ParsePortSpecs): one entry per container port, sorted by "port/proto", mode "ingress".
function ports(entry: unknown): GoStruct[] {
  const port = (mode: unknown, hostIp: unknown, target: number, published: unknown, protocol: unknown) => new GoStruct([
    ['mode', mode || undefined], ['host_ip', hostIp || undefined], ['target', target || undefined],
    ['published', published === null || published === undefined || published === '' ? undefined : String(published)],
    ['protocol', protocol || undefined],
  ]);
  if (isRecord(entry)) return [port(entry['mode'] ?? 'ingress', entry['host_ip'], Number(entry['target']), entry['published'], entry['protocol'] ?? 'tcp')];
  const spec = String(entry);
  const slash = spec.lastIndexOf('/');
  const protocol = (slash >= 0 ? spec.slice(slash + 1) : 'tcp').toLowerCase();
  const parts = (slash >= 0 ? spec.slice(0, slash) : spec).split(':');
  const container = parts[parts.length - 1]!;
  const host = parts.length >= 2 ? parts[parts.length - 2]! : '';
  const ip = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : '';
  const span = (t: string) => { const m = /^(\d+)-(\d+)$/.exec(t); return m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : [Number(t)]; };
  const targets = span(container);
  const hosts = host ? span(host) : null;
  return targets
    .map((target, i) => ({ target, published: hosts ? (hosts.length === targets.length ? String(hosts[i]) : host) : '' }))
    .sort((a, b) => (`${a.target}/${protocol}` < `${b.target}/${protocol}` ? -1 : 1))
    .map((p) => port('ingress', ip, p.target, p.published, protocol));
}

// ServiceVolumeConfig as compose-go's format.ParseVolume makes it from the short syntax (populateType adds an empty
// `bind` or `volume` section), or the long syntax as written (`bind:` gets its create_host_path default, omitted).
function volume(entry: unknown, projectDir: string): GoStruct {
  let type: string; let source: string | undefined; let target: string; let readOnly = false; let selinux: string | undefined;
  if (isRecord(entry)) {
    source = typeof entry['source'] === 'string' ? entry['source'] : undefined;
    type = typeof entry['type'] === 'string' ? entry['type'] : source && /^[./~]/.test(source) ? 'bind' : 'volume';
    if (type === 'bind' && source) source = resolveHostPath(source, projectDir);
    const bind = isRecord(entry['bind']) ? entry['bind'] : null;
    const vol = isRecord(entry['volume']) ? entry['volume'] : null;
    return new GoStruct([
      ['type', type], ['source', source], ['target', String(entry['target'])], ['read_only', entry['read_only'] === true || undefined],
      ['consistency', entry['consistency'] ?? undefined],
      ['bind', bind ? new GoStruct([['selinux', bind['selinux'] ?? undefined], ['propagation', bind['propagation'] ?? undefined],
        ['create_host_path', bind['create_host_path'] === false ? false : undefined], ['recursive', bind['recursive'] ?? undefined]]) : undefined],
      ['volume', vol ? new GoStruct([['labels', vol['labels'] ?? undefined], ['nocopy', vol['nocopy'] === true || undefined], ['subpath', vol['subpath'] ?? undefined]]) : undefined],
    ]);
  } else {
    const parts = String(entry).split(':');
    if (parts.length === 1) { type = 'volume'; target = parts[0]!; }
    else {
      source = parts[0]!;
      target = parts[1]!;
      type = /^[./~]/.test(source) ? 'bind' : 'volume';
      for (const option of (parts[2] ?? '').split(',')) {
        if (option === 'ro') readOnly = true;
        if (option === 'z' || option === 'Z') selinux = option;
      }
    }
  }
  if (type === 'bind' && source) source = resolveHostPath(source, projectDir);
  return new GoStruct([
    ['type', type], ['source', source], ['target', target], ['read_only', readOnly || undefined],
    ['bind', type === 'bind' ? new GoStruct([['selinux', selinux]]) : undefined],
    ['volume', type === 'volume' ? new GoStruct([]) : undefined],
  ]);
}
