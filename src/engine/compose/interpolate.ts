// Variable interpolation as the compose spec defines it: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
// `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, nested expressions in the argument, `$$` for a
// literal `$`. Like compose, a `$` followed by anything else is an error (the classic "escape any $ with another $").
// One deliberate difference: the argument is only expanded when it is used, so `${A:-${B:?}}` does not fail when A is
// set (compose-go expands it eagerly).

import { userError } from '../errors.js';
import { formatKeyPath, isRecord, OverrideValue } from './tree.js';

/** Returns the variable's value, or undefined when it is not set (an empty string is "set"). */
export type Lookup = (name: string) => string | undefined;

/** Where a string came from, for error messages: the file and the key path (or `.env` key) inside it. */
export interface Location {
  file: string;
  path: string;
}

export interface InterpolateOptions {
  lookup: Lookup;
  location: Location;
  /** Called for `$VAR`/`${VAR}` that is not set; compose warns and substitutes an empty string. */
  onUnset?: (name: string, location: Location) => void;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

export function interpolateString(template: string, opts: InterpolateOptions): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(template, dollar);
      if (close < 0) throw invalidTemplate(template, opts.location, 'a "${" is never closed');
      out += expandBraced(template.slice(dollar + 2, close), template, opts);
      i = close + 1;
    } else {
      const name = NAME.exec(template.slice(dollar + 1))?.[0];
      if (!name) throw invalidTemplate(template, opts.location);
      out += lookupOrBlank(name, opts);
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

/** Interpolates every string value of a parsed YAML tree (never keys), naming the key path in errors. */
export function interpolateTree(
  value: unknown,
  opts: Omit<InterpolateOptions, 'location'> & { file: string },
  path: Array<string | number> = [],
): unknown {
  if (typeof value === 'string') {
    return interpolateString(value, { ...opts, location: { file: opts.file, path: formatKeyPath(path) } });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateTree(item, opts, [...path, index]));
  if (value instanceof OverrideValue) return new OverrideValue(interpolateTree(value.value, opts, path));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolateTree(item, opts, [...path, key]);
    return out;
  }
  return value;
}

// The index of the `}` that closes the `${` at `start`, counting nested `${…}` and skipping `$$`.
function closingBrace(template: string, start: number): number {
  let depth = 0;
  for (let j = start; j < template.length; j++) {
    if (template[j] === '$' && template[j + 1] === '$') j++;
    else if (template[j] === '$' && template[j + 1] === '{') {
      depth++;
      j++;
    } else if (template[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function expandBraced(body: string, template: string, opts: InterpolateOptions): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw invalidTemplate(template, opts.location, `"\${${body}}" does not start with a variable name`);
  const rest = body.slice(name.length);
  if (rest === '') return lookupOrBlank(name, opts);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) {
    throw invalidTemplate(template, opts.location, `unknown syntax "\${${body}}" (expected one of :- - :? ? :+ +)`);
  }
  return applyOperator(name, operator, rest.slice(operator.length), opts);
}

function applyOperator(name: string, operator: Operator, argument: string, opts: InterpolateOptions): string {
  const value = opts.lookup(name);
  const isSet = value !== undefined;
  const isNonEmpty = isSet && value !== '';
  const expandArgument = () => interpolateString(argument, opts);
  switch (operator) {
    case ':-':
      return isNonEmpty ? value : expandArgument();
    case '-':
      return isSet ? value : expandArgument();
    case ':+':
      return isNonEmpty ? expandArgument() : '';
    case '+':
      return isSet ? expandArgument() : '';
    case ':?':
      if (!isNonEmpty) throw missingRequired(name, expandArgument(), opts.location);
      return value;
    case '?':
      if (!isSet) throw missingRequired(name, expandArgument(), opts.location);
      return value;
  }
}

function lookupOrBlank(name: string, opts: InterpolateOptions): string {
  const value = opts.lookup(name);
  if (value === undefined) {
    opts.onUnset?.(name, opts.location);
    return '';
  }
  return value;
}

function missingRequired(name: string, message: string, location: Location) {
  return userError(
    'compose.variable-required',
    `Required variable ${name} is missing a value${message ? `: ${message}` : ''} (in ${location.file} at ${location.path}).`,
    `Set ${name} in the .env file beside the compose file, or in the environment.`,
  );
}

function invalidTemplate(template: string, location: Location, detail?: string) {
  return userError(
    'compose.invalid-interpolation',
    `Invalid interpolation format in ${location.file} at ${location.path}: ${JSON.stringify(template)}` +
      (detail ? ` (${detail}).` : '.'),
    'You may need to escape any $ with another $ (write $$ for a literal $).',
  );
}
