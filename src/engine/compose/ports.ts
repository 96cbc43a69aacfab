// Service `ports:` in short (`"127.0.0.1:8001:8001/tcp"`, `"${FRONTEND_PORT:-3003}:3003"`, `"3000-3005"`) and long
// (`{target, published, host_ip, protocol, mode}`) syntax. Container-port ranges expand to one mapping per port, as
// compose does, so callers compare ports one by one.

import { userError } from '../errors.js';
import type { PortMapping } from './model.js';
import { isRecord } from './tree.js';

export function parsePortEntry(entry: unknown, path: string): PortMapping[] {
  if (typeof entry === 'number') return [mapping(checkPort(String(entry), entry, path), null, null, 'tcp', null, entry)];
  if (typeof entry === 'string') return parseShortSyntax(entry, path);
  if (isRecord(entry)) return [parseLongSyntax(entry, path)];
  throw invalidPort(entry, path);
}

/** The key compose merges `ports` by: host IP, published port, target port and protocol. */
export function portMergeKey(entry: unknown, path: string): string {
  return parsePortEntry(entry, path)
    .map((p) => `${p.hostIp ?? '0.0.0.0'}:${p.published ?? ''}:${p.target}/${p.protocol}`)
    .join(',');
}

function parseShortSyntax(spec: string, path: string): PortMapping[] {
  let rest = spec.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  // The container port is after the last colon; before it, an optional host IP (maybe `[v6]`) and host port.
  const lastColon = rest.lastIndexOf(':');
  const containerPart = rest.slice(lastColon + 1);
  const hostPart = lastColon >= 0 ? rest.slice(0, lastColon) : null;
  let hostIp: string | null = null;
  let published: string | null = hostPart;
  if (hostPart !== null) {
    const ipColon = hostPart.startsWith('[') ? hostPart.indexOf(']:') + 1 : hostPart.lastIndexOf(':');
    if (ipColon > 0) {
      hostIp = hostPart.slice(0, ipColon).replace(/^\[|\]$/g, '');
      published = hostPart.slice(ipColon + 1);
    }
  }
  if (published === '') published = null;

  const targets = portRange(containerPart, spec, path);
  const hosts = published === null ? null : portRange(published, spec, path);
  if (hosts && targets.length > 1 && hosts.length !== targets.length) {
    throw invalidPort(spec, path, 'the host and container port ranges differ in length');
  }
  return targets.map((target, index) => {
    // A single container port may publish on a host range (docker picks one), so the range stays a string then.
    const host = hosts === null ? null : targets.length > 1 ? String(hosts[index]) : (published as string);
    return mapping(target, host, hostIp, protocol, null, spec);
  });
}

function parseLongSyntax(entry: Record<string, unknown>, path: string): PortMapping {
  const rawTarget = entry['target'];
  if (rawTarget === undefined || rawTarget === null) throw invalidPort(entry, path, 'long syntax needs a "target"');
  const target = checkPort(String(rawTarget), entry, path);
  const rawPublished = entry['published'];
  const published = rawPublished === undefined || rawPublished === null || rawPublished === '' ? null : String(rawPublished);
  if (published !== null) portRange(published, entry, path);
  return mapping(
    target,
    published,
    stringOrNull(entry['host_ip']),
    stringOrNull(entry['protocol']) ?? 'tcp',
    stringOrNull(entry['mode']),
    entry,
  );
}

function portRange(text: string, original: unknown, path: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) throw invalidPort(original, path);
  const start = checkPort(match[1] as string, original, path);
  const end = match[2] === undefined ? start : checkPort(match[2], original, path);
  if (end < start) throw invalidPort(original, path, 'the range ends before it starts');
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

function checkPort(text: string, original: unknown, path: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) throw invalidPort(original, path);
  return port;
}

function mapping(
  target: number,
  published: string | null,
  hostIp: string | null,
  protocol: string,
  mode: string | null,
  original: PortMapping['original'],
): PortMapping {
  return { target, published, hostIp, protocol, mode, original };
}

function stringOrNull(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

function invalidPort(entry: unknown, path: string, detail?: string) {
  return userError(
    'compose.port-invalid',
    `Invalid port ${JSON.stringify(entry)} at ${path}${detail ? `: ${detail}` : ''}.`,
    'Ports look like "8001", "3003:3003", "127.0.0.1:3003:3003/tcp" or a mapping with target/published.',
  );
}
