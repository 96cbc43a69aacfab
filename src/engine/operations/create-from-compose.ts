// A service that has no container yet (a release added it: Redis, the worker), or one whose definition the upgrade's
// edits change (a port removed, a variable added), is created from its compose definition, as `docker compose up`
// would: same name, labels, networks with aliases, mounts, ports, healthcheck. A service whose definition is the same
// keeps its running config on the new image (recreate-spec.ts).
import type { ComposeProject, ComposeService } from '../compose/model.js';
import { GLOWWORM_RUN_LABEL } from '../docker/recreate-spec.js';

/** Split a shell-form command the way compose does (shell words, no shell): quotes group, backslash escapes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function asArgv(value: string | string[] | null): string[] | undefined {
  if (value === null) return undefined;
  return Array.isArray(value) ? value : shellWords(value);
}

const NS_PER_MS = 1_000_000;

export function defaultContainerName(project: ComposeProject, service: ComposeService): string {
  return service.containerName ?? `${project.name}-${service.name}-1`;
}

export function createBodyFromCompose(project: ComposeProject, service: ComposeService, imageRef: string, runId: string, composeVersion: string | null = null): {
  name: string;
  body: Record<string, unknown>;
  extraNetworks: { name: string; endpoint: Record<string, unknown> }[];
} {
  const labels: Record<string, string> = {
    ...service.labels,
    'com.docker.compose.project': project.name,
    'com.docker.compose.service': service.name,
    'com.docker.compose.container-number': '1',
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.project.working_dir': project.workingDir,
    'com.docker.compose.project.config_files': project.composeFiles.join(','),
    // docker-compose 1.29 reads this label from every container of the project and crashes where it is missing.
    ...(composeVersion ? { 'com.docker.compose.version': composeVersion } : {}),
    [GLOWWORM_RUN_LABEL]: runId,
  };
  const body: Record<string, unknown> = {
    Image: imageRef,
    Env: Object.entries(service.environment).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
  };
  const cmd = asArgv(service.command);
  const entrypoint = asArgv(service.entrypoint);
  if (cmd) body['Cmd'] = cmd;
  if (entrypoint) body['Entrypoint'] = entrypoint;
  if (service.user) body['User'] = service.user;
  if (service.workingDir) body['WorkingDir'] = service.workingDir;
  const hc = service.healthcheck;
  if (hc?.disabled) body['Healthcheck'] = { Test: ['NONE'] };
  else if (hc) {
    body['Healthcheck'] = {
      ...(hc.test ? { Test: hc.test } : {}),
      ...(hc.intervalMs !== null ? { Interval: hc.intervalMs * NS_PER_MS } : {}),
      ...(hc.timeoutMs !== null ? { Timeout: hc.timeoutMs * NS_PER_MS } : {}),
      ...(hc.retries !== null ? { Retries: hc.retries } : {}),
      ...(hc.startPeriodMs !== null ? { StartPeriod: hc.startPeriodMs * NS_PER_MS } : {}),
    };
  }

  const exposed: Record<string, object> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of service.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    (portBindings[key] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.published ?? '' });
  }
  for (const e of service.expose) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  if (Object.keys(exposed).length) body['ExposedPorts'] = exposed;

  const binds: string[] = [];
  const mounts: Record<string, unknown>[] = [];
  for (const v of service.volumes) {
    if (v.type === 'bind' && v.source) binds.push(`${v.source}:${v.target}${v.readOnly ? ':ro' : ':rw'}`);
    else if (v.type === 'volume') mounts.push({ Type: 'volume', ...(v.source ? { Source: v.source } : {}), Target: v.target, ReadOnly: v.readOnly });
    else if (v.type === 'tmpfs') mounts.push({ Type: 'tmpfs', Target: v.target });
  }

  const networks = service.networks.map((n) => ({
    name: n.name,
    endpoint: {
      Aliases: [service.name, ...n.aliases],
      ...(n.ipv4Address || n.ipv6Address ? { IPAMConfig: { ...(n.ipv4Address ? { IPv4Address: n.ipv4Address } : {}), ...(n.ipv6Address ? { IPv6Address: n.ipv6Address } : {}) } } : {}),
    },
  }));
  const primary = networks[0];
  body['HostConfig'] = {
    Binds: binds,
    Mounts: mounts,
    PortBindings: portBindings,
    RestartPolicy: { Name: service.restart ?? 'no' },
    NetworkMode: service.networkMode ?? primary?.name ?? 'default',
    ExtraHosts: service.extraHosts.map((h) => `${h.host}:${h.ip}`),
  };
  if (primary && !service.networkMode) body['NetworkingConfig'] = { EndpointsConfig: { [primary.name]: primary.endpoint } };
  return { name: defaultContainerName(project, service), body, extraNetworks: service.networkMode ? [] : networks.slice(1) };
}
