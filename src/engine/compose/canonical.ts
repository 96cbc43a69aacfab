// Compose accepts several spellings for some service keys (a list or a mapping). Each file's services are brought to
// one canonical form before merging, so files that spell a key differently still merge by key, and the model reads
// one form. Canonical forms: environment → {KEY: value|null}; labels → {KEY: value}; depends_on → {service: {...}};
// networks → {network: config|null}; extra_hosts → {host: ip}; env_file → list; build → {context, ...}.

import { OverrideValue, ResetValue, isRecord } from './tree.js';

type Canonicalizer = (value: unknown) => unknown;

const SERVICE_KEYS: Record<string, Canonicalizer> = {
  environment: (value) => listToMapping(value, '=', (v) => (v === null || v === undefined ? null : scalarText(v))),
  labels: (value) => listToMapping(value, '=', (v) => (v === null || v === undefined ? '' : scalarText(v))),
  depends_on: (value) =>
    Array.isArray(value)
      ? Object.fromEntries(value.map((name) => [String(name), { condition: 'service_started', required: true }]))
      : value,
  networks: (value) => (Array.isArray(value) ? Object.fromEntries(value.map((name) => [String(name), null])) : value),
  extra_hosts: (value) => listToMapping(value, /[=:]/, (v) => (Array.isArray(v) ? v.map(String) : scalarText(v))),
  env_file: (value) => (value === null || value === undefined || Array.isArray(value) ? value : [value]),
  build: (value) => (typeof value === 'string' ? { context: value } : value),
};

/** A copy of a file's tree with every service's list-or-mapping keys in canonical form. */
export function canonicalizeFile(tree: Record<string, unknown>): Record<string, unknown> {
  const services = tree['services'];
  if (!isRecord(services)) return tree;
  const canonicalServices: Record<string, unknown> = {};
  for (const [name, service] of Object.entries(services)) {
    canonicalServices[name] = isRecord(service) ? canonicalizeService(service) : service;
  }
  return { ...tree, services: canonicalServices };
}

function canonicalizeService(service: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...service };
  for (const [key, canonicalize] of Object.entries(SERVICE_KEYS)) {
    if (key in out) out[key] = withMarkers(out[key], canonicalize);
  }
  return out;
}

// `!reset` passes through untouched; `!override` keeps its marker around the canonical value.
function withMarkers(value: unknown, canonicalize: Canonicalizer): unknown {
  if (value instanceof ResetValue) return value;
  if (value instanceof OverrideValue) return new OverrideValue(canonicalize(value.value));
  return canonicalize(value);
}

// `["KEY=value", "KEY"]` → `{KEY: "value", KEY: null}`; a mapping keeps its keys and gets its values converted.
function listToMapping(value: unknown, separator: string | RegExp, convert: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const item of value) {
      const text = String(item);
      const at = typeof separator === 'string' ? text.indexOf(separator) : text.search(separator);
      if (at < 0) out[text] = convert(null);
      else out[text.slice(0, at)] = convert(text.slice(at + 1));
    }
    return out;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = item instanceof ResetValue ? item : convert(item);
    return out;
  }
  return value;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}
