import { describe, expect, it } from 'vitest';
import { GlowwormError } from '../errors.js';
import { parseEnvFile } from './env-file.js';

const parse = (text: string, env: Record<string, string> = {}) =>
  parseEnvFile(text, { lookup: (name) => env[name], fileName: '/p/.env' });

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, comments, blank lines and export prefixes', () => {
    expect(parse('# comment\n\nA=1\nexport B=two\n  C = spaced  \nD:yaml-style\nE=\n')).toEqual({
      A: '1',
      B: 'two',
      C: 'spaced',
      D: 'yaml-style',
      E: '',
    });
  });

  it('keeps = / + in values verbatim (generated passwords)', () => {
    expect(parse('MYSQL_ROOT_PASSWORD=r00t/Pa+ss==\nK="a=b/c+d=="\nS=\'x/y+z=\'')).toEqual({
      MYSQL_ROOT_PASSWORD: 'r00t/Pa+ss==',
      K: 'a=b/c+d==',
      S: 'x/y+z=',
    });
  });

  it('strips " #" inline comments from unquoted values only', () => {
    expect(parse('A=abc # note\nB=abc#not-a-comment\nC="q # kept" # dropped')).toEqual({
      A: 'abc',
      B: 'abc#not-a-comment',
      C: 'q # kept',
    });
  });

  it('keeps single-quoted values literal and unescapes double-quoted ones', () => {
    const out = parse(String.raw`S='no $EXPANSION \n here'
D="line1\nline2\ttab \"q\" \\ \$HOME"`);
    expect(out['S']).toBe('no $EXPANSION \\n here');
    expect(out['D']).toBe('line1\nline2\ttab "q" \\ $HOME');
  });

  it('reads multi-line double-quoted values', () => {
    expect(parse('CERT="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1')).toEqual({
      CERT: '-----BEGIN-----\nabc\n-----END-----',
      NEXT: '1',
    });
  });

  it('interpolates unquoted and double-quoted values: environment first, then earlier lines', () => {
    const out = parse('BASE=/srv\nDIR=$BASE/data\nQ="${BASE}/q"\nHOME_DIR=${HOME:-/root}/x\nLIT=\'$BASE\'', {
      HOME: '/home/u',
    });
    expect(out).toEqual({ BASE: '/srv', DIR: '/srv/data', Q: '/srv/q', HOME_DIR: '/home/u/x', LIT: '$BASE' });
    expect(parse('BASE=/file\nDIR=$BASE/data', { BASE: '/env' })['DIR']).toBe('/env/data');
  });

  it('turns $$ into a literal $ in unquoted and double-quoted values', () => {
    expect(parse('A=pa$$word\nB="x$$y"\nC=\'x$$y\'')).toEqual({ A: 'pa$word', B: 'x$y', C: 'x$$y' });
  });

  it('lets a bare KEY inherit from the environment, and drops it when unset', () => {
    expect(parse('FROM_ENV\nNOT_SET\nX=1', { FROM_ENV: 'inherited' })).toEqual({ FROM_ENV: 'inherited', X: '1' });
  });

  it('handles CRLF line endings', () => {
    expect(parse('A=1\r\nB="2"\r\n')).toEqual({ A: '1', B: '2' });
  });

  it('fails clearly on an unterminated quote, naming file and line', () => {
    let error: unknown;
    try {
      parse('A=1\nB="never closed\nC=3');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GlowwormError);
    expect((error as GlowwormError).message).toBe('/p/.env line 2: the value of B opens a " quote that is never closed');
  });

  it('fails clearly on an invalid variable name', () => {
    expect(() => parse('A=1\nBAD KEY=2')).toThrow('/p/.env line 2: invalid variable name "BAD KEY"');
  });

  it('reports a required variable with the .env key and line', () => {
    expect(() => parse('A=1\nB=${NEEDED:?please set}')).toThrow(
      'Required variable NEEDED is missing a value: please set (in /p/.env at B (line 2)).',
    );
  });
});
