import { describe, expect, it } from 'vitest';
import { EnvFile, formatEnvValue, generateSecret } from './env-edit.js';
import { ENV_SECRETS, glowwormEnv } from './glowworm-stack.fixture.js';

describe('EnvFile', () => {
  const source = glowwormEnv();

  it('reads values the way compose does, whatever the quoting', () => {
    const env = EnvFile.parse(source);
    expect(env.get('MYSQL_ROOT_PASSWORD')).toBe(ENV_SECRETS.MYSQL_ROOT_PASSWORD);
    expect(env.get('MYSQL_PASSWORD')).toBe(ENV_SECRETS.MYSQL_PASSWORD);
    expect(env.get('SECRET_KEY')).toBe(ENV_SECRETS.SECRET_KEY);
    expect(env.get('FRONTEND_PORT')).toBe('3003');
    expect(env.has('LOG_LEVEL')).toBe(false);
    expect(env.keys()).toEqual(['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'SECRET_KEY', 'FRONTEND_PORT']);
    expect(env.secretValues().sort()).toEqual(Object.values(ENV_SECRETS).sort());
  });

  it('appends a key with its note and keeps every other byte, then removes it to the original bytes', () => {
    const env = EnvFile.parse(source);
    expect(env.add('DISPLAY_SIGNING_KEY', 'ab/cd+ef==', { addedBy: '001-x' })).toBe(true);
    const edited = env.toString()!;
    expect(edited).toBe(`${source}# added by glowworm deployment migration 001-x\nDISPLAY_SIGNING_KEY=ab/cd+ef==\n`);
    expect(env.add('DISPLAY_SIGNING_KEY', 'other')).toBe(false);
    const reread = EnvFile.parse(edited);
    expect(reread.get('DISPLAY_SIGNING_KEY')).toBe('ab/cd+ef==');
    expect(reread.isAddedBy('DISPLAY_SIGNING_KEY', '001-x')).toBe(true);
    expect(reread.isAddedBy('DISPLAY_SIGNING_KEY', '002-y')).toBe(false);
    expect(reread.isAddedBy('SECRET_KEY', '001-x')).toBe(false);
    expect(reread.remove('DISPLAY_SIGNING_KEY')).toBe(true);
    expect(reread.toString()).toBe(source);
  });

  it('keeps CRLF line ends and terminates a last line that had no newline', () => {
    const env = EnvFile.parse('A=1\r\nB=2');
    env.add('C', 'x');
    env.add('D', 'costs $5 # not a comment');
    expect(env.toString()).toBe("A=1\r\nB=2\r\nC=x\r\nD='costs $5 # not a comment'\r\n");
    expect(EnvFile.parse(env.toString()).get('D')).toBe('costs $5 # not a comment');
  });

  it('treats a quoted value over several lines as one statement', () => {
    const text = 'CERT="line one\nFAKE=not a key\nline three"\nAFTER=1\n';
    const env = EnvFile.parse(text);
    expect(env.keys()).toEqual(['CERT', 'AFTER']);
    expect(env.get('CERT')).toBe('line one\nFAKE=not a key\nline three');
    expect(env.remove('CERT')).toBe(true);
    expect(env.toString()).toBe('AFTER=1\n');
  });

  it('creates a file that did not exist, and says so when it stays empty', () => {
    expect(EnvFile.parse(null).toString()).toBeNull();
    const env = EnvFile.parse(null);
    env.add('K', 'v');
    expect(env.toString()).toBe('K=v\n');
    expect(EnvFile.parse('').toString()).toBe('');
  });

  it('generates base64 secrets of 32 random bytes, written bare (compose reads them literally)', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(formatEnvValue(a)).toBe(a);
    expect(formatEnvValue('a b')).toBe("'a b'");
    expect(formatEnvValue('${X}')).toBe("'${X}'");
    expect(() => formatEnvValue("it's")).toThrow(/single quote/);
  });
});
