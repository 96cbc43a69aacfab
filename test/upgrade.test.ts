// `glowworm upgrade --yes --json` against real rig stacks: real engine, registry, MariaDB, and backends running
// real Alembic. Each test owns a stack (unique directory and container prefix) and removes it afterwards.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, docker, rowCounts, stackDown, stackEnv, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

function prefix(): string {
  return `u${randomBytes(3).toString('hex')}-`;
}

/** Every file under DIR/.glowworm (journals, manifests), as text. */
function toolFiles(dir: string): string {
  const root = join(dir, '.glowworm');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      // Backups hold the data, and originals/ the user's own files as they were: both are the way back, not output.
      // The edited target compose/.env copies must be gone once the run has finished.
      else if (!name.endsWith('.gz') && !p.includes('/originals/')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out.join('\n');
}

function expectNoSecrets(stack: Stack, run: CliRun): void {
  const env = stackEnv(stack);
  const secrets = ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'SECRET_KEY'].map((k) => env[k]!);
  expect(secrets.every((s) => s.length >= 16)).toBe(true);
  const written = toolFiles(stack.dir);
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(written).not.toContain(secret);
  }
}

async function containerImage(name: string): Promise<string> {
  const r = await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}}', name]);
  return r.stdout.trim();
}

/** Containers set aside or prepared by a run, and its throwaway servers (named by run, found by their project label). */
async function leftovers(stack: Stack): Promise<string[]> {
  const r = await docker(['ps', '-a', '--format', '{{.Names}}']);
  const aside = r.stdout.split('\n').filter((n) => n.startsWith(stack.prefix) && /glowworm-(old|new)-/.test(n));
  const throwaway = await docker(['ps', '-a', '--filter', `label=io.glowworm.project=${stack.project}`, '--format', '{{.Names}}']);
  return [...aside, ...throwaway.stdout.split('\n').filter(Boolean)];
}

describe('upgrade 1.0.0 → 1.1.0', () => {
  const dir = tmpStackDir('up-110');
  let stack: Stack;
  let before: Record<string, number>;
  let badPull: CliRun;
  let containersBefore: string;
  let containersAfterBadPull: string;
  let killedInPreflight: CliRun;
  let containersAfterKill: string;
  let run: CliRun;
  const containers = async () =>
    (await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}} {{.State}}'])).stdout.split('\n').sort().join('\n');

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    before = await rowCounts(stack);
    containersBefore = await containers();
    badPull = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '9.9.9', '--yes', '--json']);
    containersAfterBadPull = await containers();
    // Killed while pulling and reading the new image, before its plan: as when the terminal closes at the plan.
    killedInPreflight = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.started' && e.step === 'preflight',
    });
    containersAfterKill = await containers();
    // Resumed without --to: the killed run's options carry over, and it plans and asks again.
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--resume', '--yes', '--json']);
  });

  it('first: a tag the registry does not have is refused at the pull with exit 2 (bad input, the nearest tags named), and nothing was touched', () => {
    expect(badPull.code, badPull.stdout.slice(-1500)).toBe(2);
    expect(eventsOf(badPull, 'notice').map((n) => n.message).join('\n')).toMatch(/9\.9\.9/);
    // Only the preflight phases ran: no runbook step (they are numbered) started.
    expect(eventsOf(badPull, 'step.started').map((e) => e.step).filter((step) => /^\d+-/.test(step))).toEqual([]);
    expect(eventsOf(badPull, 'step.failed').map((e) => e.step)).toEqual(['preflight']);
    // It still says how the upgrade ended, just before the envelope's last event.
    expect(badPull.events.slice(-2).map((e) => e.type)).toEqual(['upgrade.failed', 'run.finished']);
    expect(eventsOf(badPull, 'upgrade.failed')[0]).toMatchObject({ rolledBack: false, state: 'Nothing was changed: the running version is as it was.' });
    expect(containersBefore).toMatch(/glowworm-backend .* running/);
    expect(containersAfterBadPull).toBe(containersBefore);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('a run killed before it changed anything leaves nothing to resume: --resume plans again with its --to', () => {
    expect(killedInPreflight.signal).toBe('SIGKILL');
    expect(containersAfterKill).toBe(containersBefore);
    expect(eventsOf(run, 'notice').map((n) => n.message).join('\n')).toMatch(/stopped before it changed anything; there is nothing to resume or roll back/);
    expect(eventsOf(run, 'plan.ready')[0]!.plan.toVersion).toBe('1.1.0');
  });

  it('succeeds with exit 0 and reports every migration of the merge graph', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(eventsOf(run, 'upgrade.completed')).toHaveLength(1);
    expect(eventsOf(run, 'migration.applied').map((e) => e.revision).sort()).toEqual(['1c0cd51f0957', '366388fee193', 'c2d3e4f5g6h7', 'ce5826f818f3']);
    // Every check passed, and passed on the baseline taken before the upgrade changed anything.
    expect(eventsOf(run, 'verify.check').filter((c) => !(c.ok && c.passed && c.baseline === 'passed'))).toEqual([]);
    expect(eventsOf(run, 'run.finished')).toEqual([expect.objectContaining({ ok: true, outcome: 'ok' })]);
  });

  it('leaves the database at the 1.1.0 head with every seeded row', async () => {
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    const after = await rowCounts(stack);
    for (const [table, n] of Object.entries(before)) expect({ table, rows: after[table] }).toEqual({ table, rows: n });
  });

  it('runs 1.1.0 under the same names, with the compose file updated and no old containers left', async () => {
    expect(await containerImage(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await containerImage(`${stack.prefix}glowworm-celery-worker`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await containerImage(`${stack.prefix}glowworm-frontend`)).toBe('127.0.0.1:5000/glowworm/frontend:1.1.0 running');
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('127.0.0.1:5000/glowworm/backend:1.1.0');
    expect(await leftovers(stack)).toEqual([]);
  });

  it('keeps a 0600 backup in a 0700 folder and writes no secret anywhere', () => {
    const path = eventsOf(run, 'backup.completed')[0]!.path;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.glowworm', 'backups')).mode & 0o777).toBe(0o700);
    expectNoSecrets(stack, run);
  });
});

describe('upgrade 1.1.0 → 1.2.0-broken', () => {
  const dir = tmpStackDir('up-broken');
  let stack: Stack;
  let checksums: Record<string, string>;
  let composeBefore: string;
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    checksums = await tableChecksums(stack);
    composeBefore = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('fails with exit 1, names the failing revision and rolls back', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(eventsOf(run, 'migration.failed')[0]).toMatchObject({ revision: '2024110900', message: expect.stringContaining('Duplicate column name') });
    expect(eventsOf(run, 'rollback.completed')).toEqual([expect.objectContaining({ ok: true, restoredDatabase: true })]);
    expect(eventsOf(run, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
  });

  it('says what the failed revision left behind before restoring, and what it collided with', () => {
    expect(eventsOf(run, 'schema.half-applied')[0]).toMatchObject({
      revision: '2024110900',
      present: ['table device_daemon_status', 'table device_commands'],
      preexisting: ['column display_devices.resolution_width'],
    });
  });

  it('ends on 1.1.0, healthy, with every table checksum equal to before the attempt', async () => {
    expect(await containerImage(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    const health = await docker(['inspect', '--format', '{{.State.Health.Status}}', `${stack.prefix}glowworm-backend`]);
    expect(health.stdout.trim()).toBe('healthy');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await tableChecksums(stack)).toEqual(checksums);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(composeBefore);
    expect(await leftovers(stack)).toEqual([]);
    expectNoSecrets(stack, run);
  });

  it('keeps the failed container\'s log: `doctor logs --filter errors` shows the migration error after the rollback', async () => {
    const logs = await runGlowworm(['doctor', 'logs', '--project-dir', dir, '--filter', 'errors', '--plain']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/kept from the container upgrade run \S+ removed when it rolled back/);
    expect(logs.stdout).toContain('Duplicate column name');
    const kept = readdirSync(join(dir, '.glowworm', 'runs'), { withFileTypes: true }).filter((e) => e.isDirectory())
      .map((e) => join(dir, '.glowworm', 'runs', e.name, 'logs', 'glowworm-backend.log'));
    expect(kept.some((f) => { try { return (statSync(f).mode & 0o777) === 0o600; } catch { return false; } })).toBe(true);
  });

  it('then, without --yes and without a terminal: shows the plan, refuses naming --yes, changes nothing', async () => {
    const containers = (await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.State}}'])).stdout;
    const asked = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--json']);
    expect(asked.code).toBe(2);
    expect(eventsOf(asked, 'plan.ready')).toHaveLength(1);
    expect(eventsOf(asked, 'notice').map((n) => n.message).join('\n')).toContain('--yes');
    expect(eventsOf(asked, 'upgrade.failed')[0]).toMatchObject({ rolledBack: false, state: 'Nothing was changed: the running version is as it was.' });
    expect((await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.State}}'])).stdout).toBe(containers);
    expect(await tableChecksums(stack)).toEqual(checksums);
    // And the next run is not blocked by it: nothing was left unfinished.
    expect((await runGlowworm(['upgrade', '--project-dir', dir, '--resume', '--json'])).stdout).toContain('There is no unfinished upgrade');
  });
});

describe('an upgrade killed during recreate', () => {
  const dir = tmpStackDir('up-resume');
  let stack: Stack;
  let killed: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    killed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.started' && e.step.includes('recreate:glowworm-backend'),
    });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('was really killed mid-run (SIGKILL, no final event)', () => {
    expect(killed.signal).toBe('SIGKILL');
    expect(eventsOf(killed, 'run.finished')).toEqual([]);
  });

  it('refuses a fresh upgrade while the killed one is unfinished, naming --resume', async () => {
    const fresh = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json']);
    expect(fresh.code).toBe(2);
    expect(fresh.stdout + fresh.stderr).toContain('--resume');
  });

  it('resumes to success with --resume', async () => {
    const resumed = await runGlowworm(['upgrade', '--project-dir', dir, '--resume', '--yes', '--json']);
    expect(resumed.code, resumed.stdout.slice(-3000)).toBe(0);
    expect(eventsOf(resumed, 'run.started')[0]).toMatchObject({ resumed: true });
    expect(eventsOf(resumed, 'step.skipped').map((e) => e.step).some((s) => /^\d+-backup:glowworm$/.test(s))).toBe(true);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await containerImage(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await leftovers(stack)).toEqual([]);
    expectNoSecrets(stack, resumed);
  });
});

// Killed during the backup and resumed (the leftover verification server replaced): test/faults.test.ts's matrix.
// Stopped where the app is down and the backup is being brought to the stop: the last point before anything changes.
describe('an upgrade stopped with Ctrl-C (SIGINT) during the backup, before anything changed for good', () => {
  const dir = tmpStackDir('up-ctrl-c');
  let stack: Stack;
  let stopped: CliRun;
  let before: string;

  const running = async () => (await docker(['ps', '--filter', `name=^${stack.prefix}`, '--format', '{{.Names}} {{.Image}} {{.Status}}'])).stdout
    .split('\n').filter(Boolean).map((l) => l.replace(/ Up .*$/, ' Up')).sort().join('\n');

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    before = await running();
    stopped = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.started' && /^\d+-catch-up:/.test(e.step),
      signal: 'SIGINT',
    });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('exits 130 with the previous version running again, not left stopped, and nothing to resume', async () => {
    expect(stopped.signal).toBeNull(); // it handled the signal and exited by itself
    expect(stopped.code).toBe(130);
    expect(stopped.events.slice(-2).map((e) => e.type)).toEqual(['upgrade.failed', 'run.finished']);
    const failed = eventsOf(stopped, 'upgrade.failed')[0]!;
    expect(failed).toMatchObject({ rolledBack: true });
    expect(failed.state).toMatch(/^Stopped by you before the database or the files changed: .* runs again, verified\.$/);
    expect(await running()).toBe(before);
    expect(await leftovers(stack)).toEqual([]);
    const resumed = await runGlowworm(['upgrade', '--project-dir', dir, '--resume', '--json']);
    expect(resumed.stdout).toContain('There is no unfinished upgrade');
  });
});

describe('an upgrade stopped with Ctrl-C (SIGINT) after the files changed', () => {
  const dir = tmpStackDir('up-ctrl-c-late');
  let stack: Stack;
  let stopped: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    // --to rewrites the image tags in the compose file before the containers are swapped.
    stopped = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.started' && e.step.includes('recreate:glowworm-backend'),
      signal: 'SIGINT',
    });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('stops at the next safe point with exit 130, saying where things stand and how to go on', () => {
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(130);
    expect(stopped.events.slice(-2).map((e) => e.type)).toEqual(['upgrade.failed', 'run.finished']);
    const failed = eventsOf(stopped, 'upgrade.failed')[0]!;
    expect(failed.state).toMatch(/^Stopped by you in the middle of the upgrade, after it had begun to change/);
    expect(failed.error.hint).toContain('--resume');
  });

  it('resumes to success with --resume, going on through a hangup (SIGHUP) in the middle of recreating', async () => {
    const resumed = await runGlowworm(['upgrade', '--project-dir', dir, '--resume', '--yes', '--json'], {
      killWhen: (e) => e.type === 'step.started' && e.step.includes('recreate:glowworm-celery-worker'),
      signal: 'SIGHUP',
    });
    expect(resumed.signal).toBeNull();
    expect(resumed.code, resumed.stdout.slice(-3000)).toBe(0);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await containerImage(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await leftovers(stack)).toEqual([]);
  });
});
