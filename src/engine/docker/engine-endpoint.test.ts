import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEndpoint, resolveEngineEndpoint } from './engine-endpoint.js';
import { knownHostAccepts } from './ssh-engine.js';

const home = mkdtempSync(join(tmpdir(), 'glowworm-endpoint-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A context as `docker context create NAME --docker host=HOST` stores it. */
function context(name: string, host: string, tls?: Record<string, string>): void {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = join(home, '.docker', 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (tls) {
    const dir = join(home, '.docker', 'contexts', 'tls', id, 'docker');
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(tls)) writeFileSync(join(dir, file), text);
  }
}

describe('resolveEngineEndpoint, as the docker CLI resolves it', () => {
  it('reads DOCKER_HOST in its unix, tcp and ssh forms', () => {
    const r = (DOCKER_HOST?: string) => resolveEngineEndpoint({ env: { DOCKER_HOST }, home });
    expect(r()).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(r('unix:///run/user/1000/docker.sock')).toMatchObject({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(r('tcp://10.0.0.5:2375')).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: null });
    expect(r('10.0.0.5:2375')).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(r('ssh://root@127.0.0.1:2222')).toMatchObject({ kind: 'ssh', host: '127.0.0.1', port: 2222, user: 'root' });
    expect(r('ssh://server')).toMatchObject({ kind: 'ssh', host: 'server', port: 22, user: null });
    expect(describeEndpoint(r('ssh://root@server:2222'))).toBe('ssh://root@server:2222 (DOCKER_HOST)');
    expect(() => r('ftp://x')).toThrow(/Cannot use the engine address "ftp:\/\/x" \(DOCKER_HOST\)/);
  });

  it('follows DOCKER_CONTEXT, then config.json currentContext (docker context use), with the context\'s TLS files', () => {
    context('remote', 'ssh://deploy@glowworm.example:2200');
    context('secure', 'tcp://10.1.1.1:2376', { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' });
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'remote' }, home })).toMatchObject({ kind: 'ssh', host: 'glowworm.example', port: 2200, user: 'deploy', source: 'context remote' });
    mkdirSync(join(home, '.docker'), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: {}, currentContext: 'secure' }));
    const secure = resolveEngineEndpoint({ env: {}, home });
    expect(secure).toMatchObject({ kind: 'tcp', host: '10.1.1.1', port: 2376, source: 'context secure' });
    expect(secure.kind === 'tcp' && secure.tls?.ca?.toString()).toBe('CA');
    // DOCKER_HOST wins over every context; DOCKER_CONTEXT over the current one; "default" is the local socket.
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'remote' }, home })).toMatchObject({ kind: 'unix', socketPath: '/x.sock' });
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'remote' }, home })).toMatchObject({ kind: 'ssh' });
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'default' }, home })).toMatchObject({ kind: 'unix' });
    // DOCKER_CONFIG moves the whole directory.
    expect(resolveEngineEndpoint({ env: { DOCKER_CONFIG: join(home, 'elsewhere') }, home })).toMatchObject({ kind: 'unix' });
  });

  it('names a context that does not exist and what to do', () => {
    expect(() => resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'gone' }, home })).toThrow(/docker context "gone" \(from DOCKER_CONTEXT\) does not exist/);
  });
});

describe('knownHostAccepts', () => {
  const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIBp1cG9zZWQta2V5LWZvci10ZXN0cw';
  it('matches plain and hashed entries, with [host]:port for other ports', () => {
    expect(knownHostAccepts(`[127.0.0.1]:2222 ssh-ed25519 ${key}\n`, '127.0.0.1', 2222, key)).toBe('match');
    expect(knownHostAccepts(`server,10.0.0.1 ssh-ed25519 ${key}\n`, 'server', 22, key)).toBe('match');
    expect(knownHostAccepts(`[127.0.0.1]:2222 ssh-ed25519 OTHER\n`, '127.0.0.1', 2222, key)).toBe('mismatch');
    expect(knownHostAccepts(`127.0.0.1 ssh-ed25519 ${key}\n`, '127.0.0.1', 2222, key)).toBe('unknown');
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[glowworm.example]:2200').digest('base64')}`;
    expect(knownHostAccepts(`${hashed} ssh-ed25519 ${key}\n`, 'glowworm.example', 2200, key)).toBe('match');
  });
});
