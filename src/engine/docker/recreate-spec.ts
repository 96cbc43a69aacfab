// How to recreate a container on a new image while keeping its compose config (design.md rule 3). Pure: the old
// container's inspect + the old and new image's defaults in, a create body + networks to connect out.
//
// Copy as watchtower does: every Config field the old container has, minus what it merely inherited from the old
// image, so the new image's defaults (CMD, ENTRYPOINT, HEALTHCHECK, ENV, WORKDIR) apply — a release that changes its
// start command must not be frozen on the old one. HostConfig (mounts, ports, restart policy, resources) is copied
// whole. Anonymous volumes are carried over by name, as compose does, so their data is not orphaned.
import { isDeepStrictEqual } from 'node:util';
import type { ImageDetails, RawContainerInspect } from './port.js';

export const GLOWWORM_RUN_LABEL = 'io.glowworm.run';
export const GLOWWORM_PREVIOUS_LABEL = 'io.glowworm.previous-container';

/** Config fields that fall back to the image's value when omitted at create. */
const IMAGE_DEFAULTED = ['Cmd', 'Entrypoint', 'WorkingDir', 'User', 'Healthcheck', 'StopSignal', 'Shell', 'OnBuild'];
/** Config fields never copied: derived by Docker, or replaced by us. */
const NOT_COPIED = new Set(['Image', 'Hostname', 'MacAddress', 'ArgsEscaped', 'Env', 'Labels', 'ExposedPorts', 'Volumes']);

export interface RecreateSpec {
  body: Record<string, unknown>;
  /** Networks beyond the primary one: Docker's create accepts one endpoint, the rest are connected after. */
  extraNetworks: { name: string; endpoint: Record<string, unknown> }[];
}

export interface RecreateInput {
  old: RawContainerInspect;
  oldImage: ImageDetails;
  newImage: ImageDetails;
  newImageRef: string;
  runId: string;
  /** Environment entries to set or replace (KEY=VALUE), e.g. from a deployment migration. */
  envOverrides?: string[];
}

function envKey(entry: string): string {
  const i = entry.indexOf('=');
  return i < 0 ? entry : entry.slice(0, i);
}

function withoutInherited<T>(values: Record<string, T> | undefined, inherited: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (!inherited || !(k in inherited) || !isDeepStrictEqual(inherited[k], v)) out[k] = v;
  }
  return out;
}

export function recreateSpec(input: RecreateInput): RecreateSpec {
  const { old, oldImage, newImage, newImageRef, runId } = input;
  const oldConfig = old.Config as Record<string, unknown>;
  const imageConfig = oldImage.config;
  const body: Record<string, unknown> = { Image: newImageRef };

  for (const [key, value] of Object.entries(oldConfig)) {
    if (NOT_COPIED.has(key)) continue;
    if (IMAGE_DEFAULTED.includes(key) && isDeepStrictEqual(value ?? null, imageConfig[key] ?? null)) continue;
    body[key] = value;
  }

  // A hostname equal to the old container's short id was Docker's default, not the user's choice.
  const hostname = oldConfig['Hostname'];
  if (typeof hostname === 'string' && hostname && !old.Id.startsWith(hostname)) body['Hostname'] = hostname;

  // Env: drop what the old image set (the new image brings its own), keep what compose/the user set.
  const imageEnv = new Set((imageConfig['Env'] as string[] | undefined) ?? []);
  const env = (old.Config.Env ?? []).filter((e) => !imageEnv.has(e));
  for (const override of input.envOverrides ?? []) {
    const key = envKey(override);
    const at = env.findIndex((e) => envKey(e) === key);
    if (at >= 0) env[at] = override;
    else env.push(override);
  }
  body['Env'] = env;

  const labels = withoutInherited(old.Config.Labels, oldImage.labels);
  labels[GLOWWORM_RUN_LABEL] = runId;
  labels[GLOWWORM_PREVIOUS_LABEL] = old.Name.replace(/^\//, '');
  // Compose v2 records the image id it created the container from; keep that label truthful.
  if ('com.docker.compose.image' in labels) labels['com.docker.compose.image'] = newImage.id;
  body['Labels'] = labels;

  const exposed = withoutInherited(oldConfig['ExposedPorts'] as Record<string, object> | undefined, imageConfig['ExposedPorts'] as Record<string, object> | undefined);
  if (Object.keys(exposed).length) body['ExposedPorts'] = exposed;

  body['HostConfig'] = hostConfigWithAnonymousVolumes(old);

  const { primary, extra } = networkEndpoints(old);
  if (primary) body['NetworkingConfig'] = { EndpointsConfig: { [primary.name]: primary.endpoint } };
  return { body, extraNetworks: extra };
}

/** Carry anonymous volumes (image VOLUMEs the user never named) over to the new container by name. */
function hostConfigWithAnonymousVolumes(old: RawContainerInspect): Record<string, unknown> {
  const hostConfig = structuredClone(old.HostConfig);
  const mounts = ((old as unknown as { Mounts?: { Type: string; Name?: string; Destination: string }[] }).Mounts ?? []);
  const binds = (hostConfig['Binds'] as string[] | null) ?? [];
  const declared = (hostConfig['Mounts'] as { Target: string }[] | null) ?? [];
  const covered = new Set([
    ...binds.map((b) => b.split(':')[1] ?? ''),
    ...declared.map((m) => m.Target),
  ]);
  const anonymous = mounts.filter((m) => m.Type === 'volume' && m.Name && !covered.has(m.Destination));
  if (anonymous.length) {
    hostConfig['Mounts'] = [
      ...declared,
      ...anonymous.map((m) => ({ Type: 'volume', Source: m.Name, Target: m.Destination })),
    ];
  }
  return hostConfig;
}

function networkEndpoints(old: RawContainerInspect): {
  primary: { name: string; endpoint: Record<string, unknown> } | null;
  extra: { name: string; endpoint: Record<string, unknown> }[];
} {
  const networks = Object.entries(old.NetworkSettings.Networks ?? {});
  const shortId = old.Id.slice(0, 12);
  const endpoints = networks.map(([name, n]) => {
    const endpoint: Record<string, unknown> = {};
    // Docker adds the container's short id as an alias; the new container gets its own.
    const aliases = ((n['Aliases'] as string[] | null) ?? []).filter((a) => a !== shortId);
    if (aliases.length) endpoint['Aliases'] = aliases;
    if (n['IPAMConfig']) endpoint['IPAMConfig'] = n['IPAMConfig'];
    if (Array.isArray(n['Links']) && n['Links'].length) endpoint['Links'] = n['Links'];
    return { name, endpoint };
  });
  const mode = String(old.HostConfig['NetworkMode'] ?? '');
  const primaryIndex = Math.max(0, endpoints.findIndex((e) => e.name === mode));
  const primary = endpoints[primaryIndex] ?? null;
  return { primary, extra: endpoints.filter((_, i) => i !== primaryIndex) };
}
