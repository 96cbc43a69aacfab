// One service of the merged, interpolated, canonical tree → the typed ComposeService.

import { userError } from '../errors.js';
import { parseHealthcheck } from './healthcheck.js';
import type { ComposeNetwork, ComposeService, ComposeVolume, ExtraHost } from './model.js';
import { parsePortEntry } from './ports.js';
import { serviceNetworks } from './resources.js';
import { serviceDependencies } from './service-dependencies.js';
import { resolveServiceEnvironment, type ServiceEnvironmentContext } from './service-environment.js';
import { isRecord } from './tree.js';
import { parseMountSpec, resolveMount } from './volumes.js';

export interface NormalizeContext extends Omit<ServiceEnvironmentContext, 'serviceName'> {
  projectName: string;
  knownServices: ReadonlySet<string>;
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  activeProfiles: readonly string[];
  warnings: string[];
}

export async function normalizeService(name: string, raw: unknown, ctx: NormalizeContext): Promise<ComposeService> {
  const at = (key: string) => `services.${name}.${key}`;
  if (!isRecord(raw)) throw userError('compose.service-invalid', `Service "${name}" must be a mapping (services.${name}).`);
  if ('extends' in raw) ctx.warnings.push(`Service "${name}" uses "extends", which glowworm does not resolve.`);
  const { environment, envFiles } = await resolveServiceEnvironment(raw, { ...ctx, serviceName: name });
  const networkMode = optionalString(raw, 'network_mode', at);
  const profiles = stringList(raw['profiles']);
  return {
    name,
    image: optionalString(raw, 'image', at),
    hasBuild: raw['build'] !== undefined && raw['build'] !== null,
    containerName: optionalString(raw, 'container_name', at),
    command: commandField(raw, 'command', at),
    entrypoint: commandField(raw, 'entrypoint', at),
    environment,
    envFiles,
    dependsOn: serviceDependencies(name, raw, ctx.knownServices, ctx.warnings),
    healthcheck: parseHealthcheck(raw['healthcheck'], at('healthcheck')),
    ports: listField(raw, 'ports', at).flatMap((entry, i) => parsePortEntry(entry, `${at('ports')}[${i}]`)),
    expose: stringList(raw['expose']),
    volumes: listField(raw, 'volumes', at).map((entry, i) =>
      resolveMount(parseMountSpec(entry, `${at('volumes')}[${i}]`), { ...ctx, serviceName: name }),
    ),
    networks: serviceNetworks(name, raw['networks'], networkMode, ctx.networks),
    networkMode,
    restart: optionalString(raw, 'restart', at),
    labels: stringMapping(raw['labels']),
    profiles,
    active: profiles.length === 0 || profiles.some((profile) => ctx.activeProfiles.includes(profile)),
    user: optionalString(raw, 'user', at),
    workingDir: optionalString(raw, 'working_dir', at),
    extraHosts: extraHosts(raw['extra_hosts']),
    raw,
  };
}

function optionalString(raw: Record<string, unknown>, key: string, at: (key: string) => string): string | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw userError('compose.service-invalid', `${at(key)} must be a string, not ${JSON.stringify(value)}.`);
}

function commandField(raw: Record<string, unknown>, key: string, at: (key: string) => string): string | string[] | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String);
  throw userError('compose.service-invalid', `${at(key)} must be a string or a list, not ${JSON.stringify(value)}.`);
}

function listField(raw: Record<string, unknown>, key: string, at: (key: string) => string): unknown[] {
  const value = raw[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw userError('compose.service-invalid', `${at(key)} must be a list.`);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function stringMapping(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? '' : String(item)]));
}

function extraHosts(value: unknown): ExtraHost[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([host, ip]) =>
    (Array.isArray(ip) ? ip : [ip]).map((address) => ({ host, ip: String(address) })),
  );
}
