// Go's encoding/json as docker compose v2 hashes with it: a struct's fields in declaration order (GoStruct keeps that
// order; undefined fields are the omitempty ones left out), a map's keys sorted, and strings escaped as Go escapes
// them: `<`, `>`, `&`, U+2028 and U+2029 as \u00XX/\u20XX, \b and \f as \u0008 and \u000c, other non-ASCII as UTF-8.

export class GoStruct {
  constructor(readonly fields: ReadonlyArray<readonly [string, unknown]>) {}
}

export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof GoStruct) {
    return `{${value.fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${goString(k)}:${goJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function goString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (SHORT[ch]) out += SHORT[ch];
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
