// `glowworm upgrade --auto`, run as docs/unattended.md's systemd service runs it (its exact ExecStart= command; the
// cron line's is the same), on a 1.1.0 stack whose .glowworm/config keeps the 1.x line with prereleases, so that the
// newest release is 1.2.0-broken: it checks, rehearses, refuses, notifies, and leaves every container, the compose
// file and every checksum as they were.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, docker, RELEASES, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { startHookListener, type HookListener } from './support/hook-listener.js';
import { BIN } from './support/run-glowworm.js';

const doc = readFileSync(fileURLToPath(new URL('../docs/unattended.md', import.meta.url)), 'utf8');
const execStart = doc.match(/^ExecStart=(.+)$/m)![1]!;
const cronCommand = doc.match(/^17 4 \* \* \* root (.+)$/m)![1]!;

const dir = tmpStackDir('auto');
let stack: Stack;
let hooks: HookListener;
let run: { code: number | null; stdout: string; stderr: string };
let before: { containers: string; compose: string; sums: Record<string, string> };

function sh(command: string, env: NodeJS.ProcessEnv): Promise<typeof run> {
  return new Promise((resolve, reject) => {
    // The PATH a user gets from `npm link`: this worktree's bin/ first, so `/usr/bin/env glowworm` is the one under test.
    const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, ...env, PATH: `${dirname(BIN)}:${process.env['PATH']}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function containers(): Promise<string> {
  return (await docker(['ps', '-a', '--no-trunc', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}} {{.State}}'])).stdout.split('\n').sort().join('\n');
}

beforeAll(async () => {
  hooks = await startHookListener();
  stack = await stackUp({ version: '1.1.0', dir, prefix: `a${randomBytes(3).toString('hex')}-` });
  mkdirSync(join(dir, '.glowworm'), { recursive: true });
  writeFileSync(join(dir, '.glowworm', 'config'), "tags: '^1\\.'\nprereleases: true\n");
  before = { containers: await containers(), compose: readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), sums: await tableChecksums(stack) };
  run = await sh(execStart, { GLOWWORM_PROJECT: dir, GLOWWORM_NOTIFY: hooks.url('/auto') });
}, 600_000);
afterAll(async () => {
  await hooks?.close();
  await stackDown(dir, stack?.prefix);
});

describe('upgrade --auto from the documented timer', () => {
  it('is the same command in the systemd unit and the cron line', () => {
    expect(cronCommand).toBe(execStart);
    expect(execStart).toContain('upgrade --auto');
  });

  it('checked, found 1.2.0-broken the newest on the 1.x line, rehearsed it, and refused: exit 1', () => {
    expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(1);
    expect(run.stdout).toContain('Update available: glowworm upgrade --to 1.2.0-broken');
    expect(run.stdout).toMatch(/rehears/i);
    expect(run.stdout).toContain(RELEASES['1.2.0-broken'].head);
  });

  it('left every container, the compose file and every checksum as they were', async () => {
    expect(await containers()).toBe(before.containers);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(before.compose);
    expect(await tableChecksums(stack)).toEqual(before.sums);
    expect(await alembicRevision(stack)).toBe(RELEASES['1.1.0'].head);
  });

  it('notified: the rehearsal failed at the broken revision, production untouched', () => {
    const bodies = hooks.received.filter((r) => r.path === '/auto').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ event: 'failed-rolled-back', command: 'upgrade', fromVersion: '1.1.0', toVersion: '1.2.0-broken', failedRevision: RELEASES['1.2.0-broken'].head });
    expect(String(bodies[0]!['error'])).not.toBe('');
  });

  it('is up to date on a line with nothing newer: exit 0, nothing sent', async () => {
    writeFileSync(join(dir, '.glowworm', 'config'), "tags: '^1\\.1\\.'\n");
    const again = await sh(execStart, { GLOWWORM_PROJECT: dir, GLOWWORM_NOTIFY: hooks.url('/auto-2') });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('Up to date.');
    expect(hooks.received.filter((r) => r.path === '/auto-2')).toEqual([]);
    expect(await containers()).toBe(before.containers);
  });

  it('refuses --tags without --auto, and --auto with --to, before anything runs: exit 2', async () => {
    for (const args of [['--tags', '^1\\.'], ['--auto', '--to', '1.2.0-broken']]) {
      const run = await sh(`glowworm upgrade --project-dir "${dir}" --yes ${args.map((a) => `'${a}'`).join(' ')}`, {});
      expect(run.code, run.stderr).toBe(2);
    }
    expect(await containers()).toBe(before.containers);
  });
});
