// glowworm on an engine reached as `DOCKER_HOST=ssh://root@127.0.0.1:<port>`, against an sshd the test starts on
// loopback with a key it makes (test/support/loopback-sshd.ts): every Docker call goes over ssh (`docker system
// dial-stdio` on the far side), and the database is reached through the same ssh connection (a direct-tcpip forward
// to the container's bridge IP, opened from the engine's host), never by TCP from here.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, docker, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { runGlowworm } from './support/run-glowworm.js';
import { startLoopbackSshd, type LoopbackSshd } from './support/loopback-sshd.js';

describe('an engine over ssh', () => {
  const dir = tmpStackDir('engine-over-ssh');
  let stack: Stack;
  let sshd: LoopbackSshd;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([stackUp({ version: '1.0.0', dir, prefix: `s${randomBytes(3).toString('hex')}-` }), startLoopbackSshd()]);
    // HOME holds the key and known_hosts; no agent, no context, so only this key can open the way.
    env = { DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}`, HOME: sshd.home, SSH_AUTH_SOCK: '', DOCKER_CONTEXT: '', DOCKER_CONFIG: '' };
  });
  afterAll(async () => {
    await sshd?.stop();
    await stackDown(dir, stack?.prefix);
  });

  it('glowworm status reads the stack and its database over ssh', async () => {
    const before = sshd.log().length;
    const run = await runGlowworm(['status', '--project-dir', dir, '--json'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as { services: { name: string }[]; database?: unknown };
    expect(JSON.stringify(status)).toContain('glowworm-backend');
    expect(JSON.stringify(status)).toContain('a1b2c3d4e5f6');
    const log = sshd.log().slice(before);
    expect(log).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
    // The database connection was a forward from the engine's side to the container's port 3306.
    expect(log).toMatch(/server_request_direct_tcpip: originator 127\.0\.0\.1 port \d+, target \S+ port 3306/);
  });

  it('follows a docker context made and chosen by the docker CLI (`docker context create`, `docker context use`)', async () => {
    const config = mkdtempSync(join(tmpdir(), 'glowworm-docker-config-'));
    try {
      const cli = (args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '' }, encoding: 'utf8' });
      cli(['context', 'create', 'glowworm-over-ssh', '--docker', `host=ssh://root@127.0.0.1:${sshd.port}`]);
      cli(['context', 'use', 'glowworm-over-ssh']);
      const before = sshd.log().length;
      const run = await runGlowworm(['status', '--project-dir', dir, '--json'], { env: { ...env, DOCKER_HOST: '', DOCKER_CONFIG: config } });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('a1b2c3d4e5f6');
      expect(sshd.log().slice(before)).toMatch(/Accepted publickey for root/);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it('an upgrade refuses a server whose key is not in known_hosts, naming it (exit 2), and no container changes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'glowworm-ssh-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    copyFileSync(join(sshd.home, '.ssh', 'id_ed25519'), join(home, '.ssh', 'id_ed25519'));
    const ids = async () => (await docker(['inspect', '--format', '{{.Id}} {{.State.StartedAt}}', ...Object.values(stack.containers)])).stdout;
    const before = await ids();
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], { env: { ...env, HOME: home } });
    rmSync(home, { recursive: true, force: true });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(await ids()).toBe(before);
    expect(run.stdout + run.stderr).toMatch(/ssh host key of ssh:\/\/root@127\.0\.0\.1:\d+ is not in .*known_hosts/);
  });

  it('names a host whose sessions have no docker CLI (exit 4), not a bare socket error', async () => {
    const bare = await startLoopbackSshd(['SetEnv PATH=/nonexistent']); // the session finds no docker CLI
    try {
      const run = await runGlowworm(['status', '--project-dir', dir, '--json'], { env: { ...env, HOME: bare.home, DOCKER_HOST: `ssh://root@127.0.0.1:${bare.port}` } });
      expect(run.code, run.stdout + run.stderr).toBe(4);
      expect(run.stdout + run.stderr).toMatch(/On ssh:\/\/root@127\.0\.0\.1:\d+ there is no docker CLI/);
      expect(run.stdout + run.stderr).toMatch(/Install the docker CLI on that host/);
    } finally {
      await bare.stop();
    }
  });

  it('upgrades 1.0.0 → 1.1.0 over ssh', async () => {
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], { env });
    expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0);
    const image = (await docker(['inspect', '--format', '{{.Config.Image}}', stack.containers['glowworm-backend']!])).stdout.trim();
    expect(image).toContain('backend:1.1.0');
    expect(await alembicRevision(stack)).not.toBe('a1b2c3d4e5f6');
    expect(sshd.log()).toMatch(/server_request_direct_tcpip: .*port 3306/);
  });
});
