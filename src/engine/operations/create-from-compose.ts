// Every container an upgrade creates or recreates is made from its service's definition in the target compose file, as
// `docker compose up` would make it: name, command, entrypoint, env, labels (compose's own included, compose-labels.ts),
// healthcheck, ports, mounts, networks with aliases, restart policy and the runtime settings (service-runtime-config.ts).
// Like compose, a recreated container takes over its predecessor's anonymous volumes (v1 service.py
// `get_container_data_volumes`, v2 `mergeMounts` from the replaced container), so their data is not orphaned.
import type { ComposeProject, ComposeService } from '../compose/model.js';
import { GLOWWORM_RUN_LABEL } from '../docker/recreate-spec.js';
import { restartPolicy, runtimeConfig } from './service-runtime-config.js';
import { shellWordsOf } from '../compose/shell-words.js';

export interface ComposeCreateOptions {
  /** The `com.docker.compose.*` labels (compose-labels.ts). */
  composeLabels: Record<string, string>;
  /** Volumes of the container being replaced that the file does not name (anonymous, or the image's VOLUMEs). */
  keptVolumes?: { name: string; target: string }[];
}

/** The anonymous volumes of a container (mounts of type volume that are not named volumes of the project). */
export function anonymousVolumes(mounts: ReadonlyArray<{ Type?: string; Name?: string; Destination?: string }>, project: Pick<ComposeProject, 'volumes'>): { name: string; target: string }[] {
  const named = new Set(Object.values(project.volumes).map((v) => v.name));
  return mounts
    .filter((m) => m.Type === 'volume' && m.Name && m.Destination && !named.has(m.Name))
    .map((m) => ({ name: m.Name!, target: m.Destination! }));
}

function asArgv(value: string | string[] | null): string[] | undefined {
  if (value === null) return undefined;
  return Array.isArray(value) ? value : shellWordsOf(value);
}

const NS_PER_MS = 1_000_000;

export function defaultContainerName(project: ComposeProject, service: ComposeService): string {
  return service.containerName ?? `${project.name}-${service.name}-1`;
}

export function createBodyFromCompose(project: ComposeProject, service: ComposeService, imageRef: string, runId: string, opts: ComposeCreateOptions): {
  name: string;
  body: Record<string, unknown>;
  extraNetworks: { name: string; endpoint: Record<string, unknown> }[];
} {
  const labels: Record<string, string> = { ...service.labels, ...opts.composeLabels, [GLOWWORM_RUN_LABEL]: runId };
  const runtime = runtimeConfig(service.raw);
  const body: Record<string, unknown> = {
    ...runtime.config,
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
      ...(hc.startIntervalMs !== null ? { StartInterval: hc.startIntervalMs * NS_PER_MS } : {}),
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
  // An anonymous volume of the file (no source), or one only the image declares, reuses the old container's volume.
  const declared = new Set(service.volumes.filter((v) => v.source || v.type !== 'volume').map((v) => v.target));
  for (const kept of opts.keptVolumes ?? []) {
    if (declared.has(kept.target)) continue;
    const at = mounts.findIndex((m) => m['Target'] === kept.target);
    const mount = { Type: 'volume', Source: kept.name, Target: kept.target, ReadOnly: at >= 0 ? mounts[at]!['ReadOnly'] : false };
    if (at >= 0) mounts[at] = mount;
    else mounts.push(mount);
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
    ...runtime.hostConfig,
    Binds: binds,
    Mounts: mounts,
    PortBindings: portBindings,
    RestartPolicy: restartPolicy(service.restart),
    NetworkMode: service.networkMode ?? primary?.name ?? 'default',
    ExtraHosts: service.extraHosts.map((h) => `${h.host}:${h.ip}`),
  };
  if (primary && !service.networkMode) body['NetworkingConfig'] = { EndpointsConfig: { [primary.name]: primary.endpoint } };
  return { name: defaultContainerName(project, service), body, extraNetworks: service.networkMode ? [] : networks.slice(1) };
}
