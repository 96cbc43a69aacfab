// Honest state after faults (issue 9), through the real binary on rig stacks: a reader of stdout that goes away
// (`| head`) must not kill a run in its downtime; a lock naming a live process that is not glowworm is stale, not
// "wait for it"; and `glowworm status` says loudly what a killed upgrade left, with a non-zero exit.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, docker, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { BIN, eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

function prefix(): string {
  return `f${randomBytes(3).toString('hex')}-`;
}

/** Every container of the stack as "name image state", sorted: a fingerprint of "nothing was changed". */
async function containers(stack: Stack): Promise<string> {
  const r = await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--format', '{{.Names}} {{.Image}} {{.State}}']);
  return r.stdout.split('\n').filter(Boolean).sort().join('\n');
}

async function imageAndState(name: string): Promise<string> {
  return (await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}}', name])).stdout.trim();
}

/** The journal of one run, as written. */
function journal(dir: string, runId: string): { status: string } {
  return JSON.parse(readFileSync(join(dir, '.glowworm', 'runs', `${runId}.json`), 'utf8')) as { status: string };
}

/** `glowworm ARGS | head -n LINES` in a real shell pipe (`both`: `2>&1 |`); the exit code is glowworm's, not head's. */
function pipedIntoHead(args: string[], lines: number, both = false): Promise<{ code: number | null; head: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const script = `"$0" "$@" ${both ? '2>&1 ' : ''}| head -n ${lines}; exit "\${PIPESTATUS[0]}"`;
    const child = spawn('bash', ['-c', script, process.execPath, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let head = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (head += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, head, stderr }));
  });
}

describe('a lock naming a live process that is not glowworm; then an upgrade whose stdout reader goes away', () => {
  const dir = tmpStackDir('faults-lock');
  const lock = join(dir, '.glowworm', 'lock');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  // A backup's lock: an upgrade may take over a dead upgrade's lock (its journal says how to go on), never a backup's,
  // so the refusal is the stale-lock report whatever the upgrade's take-over rules are.
  it('treats a lock of pid 1 (written by an older version: no start time, no command line) as stale, not "wait"', async () => {
    const before = await containers(stack);
    mkdirSync(join(dir, '.glowworm'), { recursive: true, mode: 0o700 });
    const held = { pid: 1, host: hostname(), runId: '20240101-000000-dead', command: 'backup', startedAt: '2024-01-01T00:00:00.000Z' };
    writeFileSync(lock, JSON.stringify(held), { mode: 0o600 });

    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json']);
    const said = eventsOf(run, 'notice').map((n) => n.message).join('\n');
    expect(run.code, said).toBe(2); // today: 75, "Wait for it to finish."
    expect(said).not.toMatch(/wait/i);
    expect(said).toContain('A previous glowworm backup (run 20240101-000000-dead, pid 1) stopped without finishing: pid 1 is now another process');
    // The way on: what a killed backup may have left, and that the lock is to be removed.
    expect(said).toContain("may have left the app's services stopped");
    expect(said).toContain(`remove ${lock}`);
    // Nothing was touched (the wording of the run's last state is the upgrade's own business).
    expect(eventsOf(run, 'upgrade.failed')[0]).toMatchObject({ rolledBack: false });
    expect(await containers(stack)).toBe(before);
    expect(existsSync(lock)).toBe(true); // refused, not broken silently: it is the user's call

    // `status` names it the same way, and what to do.
    const status = await runGlowworm(['status', '--project-dir', dir, '--json']);
    expect(status.code, status.stderr).not.toBe(0);
    expect(JSON.parse(status.stdout).attention.lock).toMatchObject({ pid: 1, alive: false, runId: held.runId });
  });

  it('`upgrade --json | head -n 20`: the run goes on after its reader left, to the end: exit 0, 1.1.0, lock released', async () => {
    rmSync(lock, { force: true }); // the way on that the refusal above named
    const piped = await pipedIntoHead(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], 20);
    expect(piped.head.trimEnd().split('\n')).toHaveLength(20);
    // Today: an unhandled EPIPE kills it at the 21st line, with the app stopped and the lock held (exit 1).
    expect(piped.code, piped.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    const runId = (JSON.parse(piped.head.split('\n')[0]!) as { runId: string }).runId;
    expect(journal(dir, runId).status).toBe('completed');
    expect(await imageAndState(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await imageAndState(`${stack.prefix}glowworm-frontend`)).toBe('127.0.0.1:5000/glowworm/frontend:1.1.0 running');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    // And it told the person at the terminal (stderr still works) where to read the outcome.
    expect(piped.stderr).toContain('glowworm status');
  });

  it('`upgrade --yes 2>&1 | head -n 5` (plain text; stderr into the same closed pipe): goes on to the end too', async () => {
    const piped = await pipedIntoHead(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--yes'], 5, true);
    expect(piped.head.trimEnd().split('\n')).toHaveLength(5);
    expect(piped.code, piped.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(await imageAndState(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:2.0.0 running');
    expect(await alembicRevision(stack)).toBe('2024110901');
  });
});

describe('`glowworm status` after an upgrade killed in its downtime', () => {
  const dir = tmpStackDir('faults-status');
  let stack: Stack;
  let healthy: CliRun;
  let killed: CliRun;
  let status: CliRun;
  let plain: CliRun;
  let exited: string[];

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    healthy = await runGlowworm(['status', '--project-dir', dir, '--json']);
    // Killed right after the writers stopped: the app is down, the lock and the journal stay as the kill left them.
    killed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.completed' && /^\d+-stop:/.test(e.step),
    });
    const ps = await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--filter', 'status=exited', '--format', '{{.Names}}']);
    exited = ps.stdout.split('\n').filter(Boolean).sort();
    status = await runGlowworm(['status', '--project-dir', dir, '--json']);
    plain = await runGlowworm(['status', '--project-dir', dir]);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('on a healthy stack, exits 0 with nothing to attend to', () => {
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(JSON.parse(healthy.stdout).attention).toMatchObject({ verdict: 'ok', unfinishedRun: null, lock: null, notRunning: [], next: [] });
  });

  it('after the kill: exits 6 and names the run, where it stopped, the dead lock, the stopped containers and --resume', () => {
    expect(killed.signal).toBe('SIGKILL');
    expect(exited).toContain(`${stack.prefix}glowworm-backend`);
    const runId = eventsOf(killed, 'run.started')[0]!.runId;
    expect(status.code, status.stderr).toBe(6); // today: 0, and not a word of it
    const { attention } = JSON.parse(status.stdout);
    expect(attention.verdict).toBe('attention');
    expect(attention.unfinishedRun).toMatchObject({ runId, stoppedAt: { step: expect.stringMatching(/^\d+-(stop|backup):/) } });
    expect(attention.lock).toMatchObject({ runId, alive: false });
    expect(attention.notRunning.map((c: { container: string }) => c.container).sort()).toEqual(exited);
    expect(attention.next.join('\n')).toContain('glowworm upgrade --resume');
    expect(attention.next.join('\n')).toContain('glowworm upgrade --rollback');
    // The plain report says the same, first.
    expect(plain.code).toBe(6);
    expect(plain.stdout).toContain(runId);
    expect(plain.stdout).toContain(`${stack.prefix}glowworm-backend`);
    expect(plain.stdout).toContain('glowworm upgrade --resume');
  });

  it('after `upgrade --rollback`: exits 0 again', async () => {
    await runGlowworm(['upgrade', '--project-dir', dir, '--rollback', '--yes', '--json']); // its exit code: another fix
    const after = await runGlowworm(['status', '--project-dir', dir, '--json']);
    expect(after.code, after.stdout).toBe(0);
    expect(JSON.parse(after.stdout).attention).toMatchObject({ verdict: 'ok', notRunning: [] });
    expect(await imageAndState(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.0.0 running');
    expect(readdirSync(join(dir, '.glowworm'))).not.toContain('lock');
  });
});
