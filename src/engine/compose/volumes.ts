// Service `volumes:` in short (`mysql_data:/var/lib/mysql`, `./data/uploads:/app/uploads:ro`, `/app/venv`) and long
// syntax, resolved the way compose resolves them: relative bind paths against the project directory, `~` against the
// home directory, named volumes to their real docker names.

import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { userError } from '../errors.js';
import type { ComposeVolume, MountType, VolumeMount } from './model.js';
import { isRecord } from './tree.js';

const MOUNT_TYPES: readonly MountType[] = ['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'];

/** A mount as written, before names and paths are resolved. */
export interface MountSpec {
  type: MountType;
  source: string | null;
  target: string;
  readOnly: boolean;
  mode: string | null;
  original: string | Record<string, unknown>;
}

export function parseMountSpec(entry: unknown, path: string): MountSpec {
  if (typeof entry === 'string') return parseShortSyntax(entry, path);
  if (isRecord(entry)) return parseLongSyntax(entry, path);
  throw invalidMount(entry, path);
}

/** Compose merges `volumes` entries that mount at the same target. */
export function mountMergeKey(entry: unknown, path: string): string {
  return parseMountSpec(entry, path).target;
}

export interface MountContext {
  projectDir: string;
  serviceName: string;
  volumes: Record<string, ComposeVolume>;
}

export function resolveMount(spec: MountSpec, ctx: MountContext): VolumeMount {
  const base = { type: spec.type, target: spec.target, readOnly: spec.readOnly, mode: spec.mode, original: spec.original };
  if (spec.type === 'bind' && spec.source) {
    return { ...base, source: resolveHostPath(spec.source, ctx.projectDir), volumeKey: null };
  }
  if (spec.type === 'volume' && spec.source) {
    const volume = ctx.volumes[spec.source];
    if (!volume) {
      throw userError(
        'compose.volume-undefined',
        `Service "${ctx.serviceName}" refers to undefined volume ${spec.source}.`,
        `Declare it under the top-level "volumes:" of the compose file.`,
      );
    }
    return { ...base, source: volume.name, volumeKey: spec.source };
  }
  return { ...base, source: spec.source, volumeKey: null };
}

export function resolveHostPath(path: string, projectDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

function parseShortSyntax(spec: string, path: string): MountSpec {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((part) => part === '')) throw invalidMount(spec, path);
  const [first, second, mode] = parts as [string, string | undefined, string | undefined];
  // One part is an anonymous volume at that target; otherwise source:target[:mode].
  const source = second === undefined ? null : first;
  const target = second ?? first;
  const type: MountType = source !== null && /^[./~]/.test(source) ? 'bind' : 'volume';
  const readOnly = mode?.split(',').includes('ro') ?? false;
  return { type, source, target, readOnly, mode: mode ?? null, original: spec };
}

function parseLongSyntax(entry: Record<string, unknown>, path: string): MountSpec {
  const target = entry['target'];
  if (typeof target !== 'string' || target === '') throw invalidMount(entry, path, 'long syntax needs a "target"');
  const rawSource = entry['source'];
  const source = typeof rawSource === 'string' && rawSource !== '' ? rawSource : null;
  const rawType = entry['type'] ?? (source !== null && /^[./~]/.test(source) ? 'bind' : 'volume');
  if (!MOUNT_TYPES.includes(rawType as MountType)) {
    throw invalidMount(entry, path, `unknown type ${JSON.stringify(rawType)} (expected ${MOUNT_TYPES.join(', ')})`);
  }
  const readOnly = entry['read_only'] === true || entry['read_only'] === 'true';
  return { type: rawType as MountType, source, target, readOnly, mode: null, original: entry };
}

function invalidMount(entry: unknown, path: string, detail?: string) {
  return userError(
    'compose.volume-invalid',
    `Invalid volume ${JSON.stringify(entry)} at ${path}${detail ? `: ${detail}` : ''}.`,
    'Volumes look like "name:/path", "./dir:/path[:ro]", "/path" or a mapping with type/source/target.',
  );
}
