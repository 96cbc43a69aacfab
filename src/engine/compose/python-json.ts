// Python's `json.dumps(obj, sort_keys=True, separators=(',', ':'))` in TypeScript: the exact bytes docker-compose v1
// hashes (compose/utils.py `json_hash`). Python's default `ensure_ascii=True` writes every character outside
// printable ASCII (space … `~`) as a lowercase `\uXXXX` escape (astral characters as their surrogate pair), keys are
// sorted by code point, and nothing else differs from JSON.stringify for the values a compose file holds (strings,
// integers, booleans, null, lists, mappings). A float written with a zero fraction (`1.0`) cannot be told from an
// integer once YAML has parsed it; compose files do not put floats where v1 hashes them.

export function pythonJsonDumps(value: unknown): string {
  return encode(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function encode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  return JSON.stringify(value);
}
