// Merging several compose files (`-f a -f b`, or a file and its override) by the compose spec's rules: mappings merge
// key by key; sequences append; `command`, `entrypoint` and `healthcheck.test` are replaced; `ports`, `volumes`,
// `secrets`, `configs` and `expose` merge by their unique key (a later entry replaces an earlier one in place); `dns`,
// `cap_add`, `profiles`, … append without duplicates; `environment`, `labels`, `depends_on`, `networks` and
// `extra_hosts` merge by key (canonical.ts turned them into mappings); `x-*` extensions are replaced whole. `!reset`
// removes a value, `!override` replaces it without merging.

import { canonicalizeFile } from './canonical.js';
import { mountMergeKey } from './volumes.js';
import { portMergeKey } from './ports.js';
import { formatKeyPath, isRecord, OverrideValue, ResetValue } from './tree.js';

type Path = ReadonlyArray<string>;
type Indexer = (entry: unknown, path: string) => string;
type SequenceRule = { kind: 'replace' } | { kind: 'unique'; key: Indexer };

const byValue: Indexer = (entry) => JSON.stringify(entry);
const byMountTarget = (defaultDir: string): Indexer => (entry) => {
  if (typeof entry === 'string') return `${defaultDir}/${entry}`;
  if (isRecord(entry) && typeof entry['target'] === 'string') return entry['target'];
  return `${defaultDir}/${isRecord(entry) ? String(entry['source']) : String(entry)}`;
};

const RULES: Array<[string, SequenceRule]> = [
  ['services.*.command', { kind: 'replace' }],
  ['services.*.entrypoint', { kind: 'replace' }],
  ['services.*.healthcheck.test', { kind: 'replace' }],
  ['services.*.ports', { kind: 'unique', key: portMergeKey }],
  ['services.*.volumes', { kind: 'unique', key: mountMergeKey }],
  ['services.*.secrets', { kind: 'unique', key: byMountTarget('/run/secrets') }],
  ['services.*.configs', { kind: 'unique', key: byMountTarget('') }],
  ['services.*.expose', { kind: 'unique', key: (entry) => String(entry) }],
  ...['dns', 'dns_search', 'dns_opt', 'cap_add', 'cap_drop', 'profiles', 'tmpfs', 'links', 'env_file', 'devices'].map(
    (key): [string, SequenceRule] => [`services.*.${key}`, { kind: 'unique', key: byValue }],
  ),
  ['services.*.networks.*.aliases', { kind: 'unique', key: byValue }],
];

/** Merges parsed files in order (later files override earlier ones) and strips the `!reset`/`!override` markers. */
export function mergeComposeFiles(trees: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const tree of trees) merged = mergeMappings(merged, canonicalizeFile(tree), []);
  return merged;
}

function mergeValue(base: unknown, over: unknown, path: Path): unknown {
  if (over instanceof ResetValue) return undefined;
  if (over instanceof OverrideValue || base === undefined) return stripMarkers(over);
  // A null override of a mapping or list leaves it as it was (`networks: null` in an override file is valid).
  if (over === null && (isRecord(base) || Array.isArray(base))) return base;
  const rule = ruleFor(path);
  if (rule?.kind === 'replace') return stripMarkers(over);
  if (path.length === 3 && path[0] === 'services' && path[2] === 'logging' && isRecord(base) && isRecord(over)) {
    // Logging options only merge when both files use the same driver (or one names none).
    if (base['driver'] !== undefined && over['driver'] !== undefined && base['driver'] !== over['driver']) {
      return stripMarkers(over);
    }
  }
  if (isRecord(base) && isRecord(over)) return mergeMappings(base, over, path);
  if (Array.isArray(base) && Array.isArray(over)) {
    const additions = stripMarkers(over) as unknown[];
    return rule?.kind === 'unique' ? mergeUnique(base, additions, rule.key, path) : [...base, ...additions];
  }
  return stripMarkers(over);
}

function mergeMappings(base: Record<string, unknown>, over: Record<string, unknown>, path: Path): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const merged = key.startsWith('x-') ? stripMarkers(value) : mergeValue(out[key], value, [...path, key]);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function mergeUnique(base: unknown[], additions: unknown[], key: Indexer, path: Path): unknown[] {
  const where = formatKeyPath(path);
  const out = [...base];
  const positions = new Map<string, number>();
  out.forEach((entry, index) => positions.set(key(entry, where), index));
  for (const entry of additions) {
    const k = key(entry, where);
    const at = positions.get(k);
    if (at === undefined) {
      positions.set(k, out.length);
      out.push(entry);
    } else {
      out[at] = entry;
    }
  }
  return out;
}

function ruleFor(path: Path): SequenceRule | undefined {
  return RULES.find(([pattern]) => matches(path, pattern))?.[1];
}

function matches(path: Path, pattern: string): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i]);
}

/** A value with `!reset` entries removed and `!override` unwrapped, for values that have nothing to merge into. */
function stripMarkers(value: unknown): unknown {
  if (value instanceof ResetValue) return undefined;
  if (value instanceof OverrideValue) return stripMarkers(value.value);
  if (Array.isArray(value)) return value.filter((item) => !(item instanceof ResetValue)).map(stripMarkers);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const stripped = stripMarkers(item);
      if (stripped !== undefined) out[key] = stripped;
    }
    return out;
  }
  return value;
}
