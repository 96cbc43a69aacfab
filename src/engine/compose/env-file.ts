// `.env` and `env_file` files, parsed the way compose does: `KEY=VALUE` (or `KEY: VALUE`), `export ` prefixes, `#`
// comment lines, ` #` inline comments on unquoted values, single quotes literal, double quotes with escapes (`\n`, `\t`,
// `\"`, `\\`, `\$`) and multi-line values, interpolation in unquoted and double-quoted values, and a bare `KEY` that
// inherits from the environment. Values keep `=`, `/` and `+` verbatim (generated passwords contain them).

import { readFile } from 'node:fs/promises';
import { userError } from '../errors.js';
import { interpolateString, type Location, type Lookup } from './interpolate.js';

export interface EnvFileOptions {
  /** Used by bare `KEY` lines and by interpolation. */
  lookup: Lookup;
  /** For interpolation, whether values defined earlier in the same file win over `lookup`. For `.env` they do not
   * (the process environment wins over `.env` everywhere); for a service's `env_file` they do (its own lines win
   * over earlier env files, as they do in the result). */
  fileValuesFirst?: boolean;
  /** Named in error messages. */
  fileName: string;
  onUnset?: (name: string, location: Location) => void;
}

const KEY_CHAR = /[A-Za-z0-9_.\-]/;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v' };

export function parseEnvFile(text: string, opts: EnvFileOptions): Record<string, string> {
  const values: Record<string, string> = {};
  const lookup: Lookup = opts.fileValuesFirst
    ? (name) => values[name] ?? opts.lookup(name)
    : (name) => opts.lookup(name) ?? values[name];
  const src = text.replace(/\r\n/g, '\n');
  let i = 0;
  const lineAt = (index: number) => src.slice(0, index).split('\n').length;
  const fail = (index: number, message: string) =>
    userError('compose.env-file-invalid', `${opts.fileName} line ${lineAt(index)}: ${message}`);

  while (i < src.length) {
    i = skipBlankAndComments(src, i);
    if (i >= src.length) break;
    const statementStart = i;
    if (/^export[ \t]/.test(src.slice(i, i + 7))) i = skipSpaces(src, i + 6);

    let key = '';
    while (i < src.length && src[i] !== '=' && src[i] !== ':' && src[i] !== '\n') key += src[i++];
    key = key.trim();
    if (!key || [...key].some((ch) => !KEY_CHAR.test(ch))) {
      throw fail(statementStart, `invalid variable name ${JSON.stringify(key)} (letters, digits, "_", "." and "-" only)`);
    }
    if (i >= src.length || src[i] === '\n') {
      // A bare `KEY` takes its value from the environment, and is left out when the environment lacks it.
      const inherited = opts.lookup(key);
      if (inherited !== undefined) values[key] = inherited;
      continue;
    }
    i = skipSpaces(src, i + 1);
    const location: Location = { file: opts.fileName, path: `${key} (line ${lineAt(statementStart)})` };
    const interpolate = (raw: string) => interpolateString(raw, { lookup, location, onUnset: opts.onUnset });
    const quote = src[i];
    if (quote === '"' || quote === "'") {
      const close = closingQuote(src, i);
      if (close < 0) throw fail(statementStart, `the value of ${key} opens a ${quote} quote that is never closed`);
      const inner = src.slice(i + 1, close);
      values[key] = quote === "'" ? inner : interpolate(unescapeDoubleQuoted(inner));
      i = endOfLine(src, close + 1);
    } else {
      const end = endOfLine(src, i);
      const line = src.slice(i, end);
      const comment = /\s#/.exec(line);
      values[key] = interpolate((comment ? line.slice(0, comment.index) : line).trimEnd());
      i = end;
    }
  }
  return values;
}

/** Reads and parses an env file; the caller decides whether a missing file is an error. */
export async function readEnvFile(path: string, opts: Omit<EnvFileOptions, 'fileName'>): Promise<Record<string, string>> {
  return parseEnvFile(await readFile(path, 'utf8'), { ...opts, fileName: path });
}

function skipBlankAndComments(src: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < src.length && /\s/.test(src[i] ?? '')) i++;
    if (src[i] !== '#') return i;
    i = endOfLine(src, i);
  }
}

function skipSpaces(src: string, from: number): number {
  let i = from;
  while (src[i] === ' ' || src[i] === '\t') i++;
  return i;
}

function endOfLine(src: string, from: number): number {
  const newline = src.indexOf('\n', from);
  return newline < 0 ? src.length : newline;
}

// The closing quote, skipping quotes escaped with a backslash (`\"`, `\'`).
function closingQuote(src: string, open: number): number {
  const quote = src[open];
  for (let j = open + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === quote) return j;
  }
  return -1;
}

// `\$` must survive the interpolation that follows as a literal `$`, so it becomes `$$`.
function unescapeDoubleQuoted(inner: string): string {
  return inner.replace(/\\(.)/gs, (_match, ch: string) => (ch === '$' ? '$$' : (SIMPLE_ESCAPES[ch] ?? ch)));
}
