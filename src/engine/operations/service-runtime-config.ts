// The runtime settings of a compose service beyond image, command, env, ports, volumes and networks — what compose
// passes to the engine's create call (v1 service.py `_get_container_create_options` / `_get_container_host_config`,
// v2 create.go `getCreateConfigs`) — read from the service's merged tree. Split out of create-from-compose.ts.
import { parseDuration } from '../compose/healthcheck.js';
import { isRecord } from '../compose/tree.js';

export interface RuntimeConfig {
  config: Record<string, unknown>;
  hostConfig: Record<string, unknown>;
}

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `512m`, `1g`, `1024` → bytes, as compose parses a byte size. */
export function byteSize(value: unknown): number | null {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(String(value ?? '').trim());
  return m ? Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1)) : null;
}

/** `unless-stopped`, `on-failure:3` → the engine's restart policy. */
export function restartPolicy(restart: string | null): { Name: string; MaximumRetryCount?: number } {
  if (!restart) return { Name: 'no' };
  const [name, retries] = restart.split(':');
  return retries === undefined ? { Name: name! } : { Name: name!, MaximumRetryCount: Number(retries) };
}

export function runtimeConfig(raw: Record<string, unknown>): RuntimeConfig {
  const config: Record<string, unknown> = {};
  const host: Record<string, unknown> = {};
  const str = (key: string) => (typeof raw[key] === 'string' || typeof raw[key] === 'number' ? String(raw[key]) : null);
  const bool = (key: string) => (raw[key] === true || raw[key] === 'true' ? true : raw[key] === false || raw[key] === 'false' ? false : null);
  const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as unknown[]).map(String) : typeof raw[key] === 'string' ? [raw[key] as string] : null);

  const set = (target: Record<string, unknown>, key: string, value: unknown) => { if (value !== null && value !== undefined) target[key] = value; };
  set(config, 'Hostname', str('hostname'));
  set(config, 'Domainname', str('domainname'));
  set(config, 'Tty', bool('tty'));
  set(config, 'OpenStdin', bool('stdin_open'));
  set(config, 'StopSignal', str('stop_signal'));
  const grace = str('stop_grace_period');
  if (grace !== null) { const ms = parseDuration(grace); if (ms !== null) config['StopTimeout'] = Math.round(ms / 1000); }

  set(host, 'Privileged', bool('privileged'));
  set(host, 'ReadonlyRootfs', bool('read_only'));
  set(host, 'Init', bool('init'));
  set(host, 'CapAdd', list('cap_add'));
  set(host, 'CapDrop', list('cap_drop'));
  set(host, 'Dns', list('dns'));
  set(host, 'DnsSearch', list('dns_search'));
  set(host, 'DnsOptions', list('dns_opt'));
  set(host, 'SecurityOpt', list('security_opt'));
  set(host, 'GroupAdd', list('group_add'));
  set(host, 'PidMode', str('pid'));
  set(host, 'IpcMode', str('ipc'));
  set(host, 'ShmSize', raw['shm_size'] !== undefined ? byteSize(raw['shm_size']) : null);
  set(host, 'Memory', raw['mem_limit'] !== undefined ? byteSize(raw['mem_limit']) : null);
  const tmpfs = list('tmpfs');
  if (tmpfs) host['Tmpfs'] = Object.fromEntries(tmpfs.map((t) => { const at = t.indexOf(':'); return at < 0 ? [t, ''] : [t.slice(0, at), t.slice(at + 1)]; }));
  const devices = list('devices');
  if (devices) host['Devices'] = devices.map((d) => { const [from, to, perms] = d.split(':'); return { PathOnHost: from, PathInContainer: to ?? from, CgroupPermissions: perms ?? 'rwm' }; });
  if (isRecord(raw['sysctls'])) host['Sysctls'] = Object.fromEntries(Object.entries(raw['sysctls']).map(([k, v]) => [k, String(v)]));
  else if (Array.isArray(raw['sysctls'])) host['Sysctls'] = Object.fromEntries(raw['sysctls'].map((e) => String(e).split('=', 2)));
  const logging = raw['logging'];
  if (isRecord(logging)) host['LogConfig'] = { Type: String(logging['driver'] ?? 'json-file'), Config: isRecord(logging['options']) ? Object.fromEntries(Object.entries(logging['options']).map(([k, v]) => [k, String(v)])) : {} };
  if (isRecord(raw['ulimits'])) {
    host['Ulimits'] = Object.entries(raw['ulimits']).map(([name, v]) => isRecord(v)
      ? { Name: name, Soft: Number(v['soft']), Hard: Number(v['hard']) }
      : { Name: name, Soft: Number(v), Hard: Number(v) });
  }
  return { config, hostConfig: host };
}
