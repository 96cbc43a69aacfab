import { describe, expect, it } from 'vitest';
import { GlowwormError } from '../errors.js';
import { interpolateString, interpolateTree, type Location } from './interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '3003', PW: 'a/b+c=' };
const location: Location = { file: '/p/compose.yaml', path: 'services.web.image' };
const run = (template: string) => interpolateString(template, { lookup: (n) => env[n], location });

function thrown(fn: () => unknown): GlowwormError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GlowwormError) return error;
    throw error;
  }
  throw new Error('expected a GlowwormError');
}

describe('interpolateString', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['x${SET}y$SET.z', 'xvaluey' + 'value.z'],
    ['${PW}', 'a/b+c='],
    ['${MISSING:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${MISSING-dflt}', 'dflt'],
    ['${SET:-dflt}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${MISSING+alt}', ''],
    ['${MISSING:-${ALSO_MISSING:-${PORT}}}', '3003'],
    ['${FRONTEND_PORT:-3003}:3003', '3003:3003'],
    ['$$5 and $${SET}', '$5 and ${SET}'],
    ['${MISSING:-a$$b}', 'a$b'],
    ['${SET?is required}', 'value'],
    ['${EMPTY?is required}', ''],
    ['no dollars', 'no dollars'],
  ])('%s → %s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it('only expands an argument that is used', () => {
    expect(run('${SET:-${NOPE:?never evaluated}}')).toBe('value');
  });

  it('reports unset plain variables and substitutes an empty string', () => {
    const unset: string[] = [];
    const out = interpolateString('a${NOPE}b$ALSO', { lookup: () => undefined, location, onUnset: (n) => unset.push(n) });
    expect(out).toBe('ab');
    expect(unset).toEqual(['NOPE', 'ALSO']);
  });

  it('fails on a missing required variable, naming variable, message, file and key path', () => {
    const error = thrown(() => run('${MYSQL_ROOT_PASSWORD:?set it in .env}'));
    expect(error.code).toBe('compose.variable-required');
    expect(error.kind).toBe('user');
    expect(error.message).toBe(
      'Required variable MYSQL_ROOT_PASSWORD is missing a value: set it in .env (in /p/compose.yaml at services.web.image).',
    );
    expect(thrown(() => run('${EMPTY:?}')).message).toBe(
      'Required variable EMPTY is missing a value (in /p/compose.yaml at services.web.image).',
    );
    expect(thrown(() => run('${NOPE?}')).code).toBe('compose.variable-required');
  });

  it.each([
    ['${}', 'does not start with a variable name'],
    ['${1ABC}', 'does not start with a variable name'],
    ['${VAR:x}', 'unknown syntax "${VAR:x}"'],
    ['${VAR', 'never closed'],
    ['cost $5', 'Invalid interpolation format'],
    ['trailing $', 'Invalid interpolation format'],
  ])('rejects %s clearly', (template, fragment) => {
    const error = thrown(() => run(template));
    expect(error.code).toBe('compose.invalid-interpolation');
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('/p/compose.yaml at services.web.image');
    expect(error.hint).toContain('$$');
  });
});

describe('interpolateTree', () => {
  it('interpolates values, never keys, and leaves non-strings alone', () => {
    const tree = { services: { $SET: { ports: ['${PORT}:80', 8080], replicas: 2, tty: true, env: { K: '${SET}' } } } };
    expect(interpolateTree(tree, { lookup: (n) => env[n], file: 'f.yml' })).toEqual({
      services: { $SET: { ports: ['3003:80', 8080], replicas: 2, tty: true, env: { K: 'value' } } },
    });
  });

  it('names list positions in the key path', () => {
    const error = thrown(() =>
      interpolateTree({ services: { web: { command: ['echo', '${X:?needed}'] } } }, { lookup: () => undefined, file: 'f.yml' }),
    );
    expect(error.message).toContain('(in f.yml at services.web.command[1])');
  });
});
