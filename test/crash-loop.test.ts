// The seed's own situation (issue 10): the user pulled a release whose migration fails and `docker compose up -d`'d
// it; the backend restart-loops. An upgrade to that very image would fail the same way: the plan says so, and --yes
// alone does not confirm it (--force does).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, compose, dbQuery, docker, publishRelease, REAL_RELEASES, rowCounts, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

async function restartCount(container: string): Promise<number> {
  return Number((await docker(['inspect', '--format', '{{.RestartCount}}', container])).stdout.trim());
}

describe('a backend crash-looping on a release pulled by hand', () => {
  const dir = tmpStackDir('crash-loop');
  let stack: Stack;
  let refused: CliRun;
  let checksums: Record<string, string>;
  let composeBefore: string;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `c${randomBytes(3).toString('hex')}-` });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm\/backend:)1\.1\.0/g, '$11.2.0-broken'));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    for (let i = 0; i < 120 && (await restartCount(backend)) < 2; i++) await new Promise((r) => setTimeout(r, 500));
    checksums = await tableChecksums(stack);
    composeBefore = readFileSync(file, 'utf8');
    refused = await runGlowworm(['upgrade', '--project-dir', dir, '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('warns in the plan that the target is the image it already crash-loops on', () => {
    const plan = eventsOf(refused, 'plan.ready')[0]!.plan;
    expect(plan.crashLoopingTarget).toMatchObject({ service: 'glowworm-backend', image: '127.0.0.1:5000/glowworm/backend:1.2.0-broken' });
    expect(plan.warnings.join('\n')).toMatch(/already crash-loops here on .*backend:1\.2\.0-broken/);
  });

  it('refuses --yes without --force, naming both ways on, with nothing changed', async () => {
    expect(refused.code).toBe(2);
    const failed = eventsOf(refused, 'upgrade.failed')[0]!;
    expect(failed.error.code).toBe('upgrade.crash-looping-target');
    expect(failed.error.hint).toContain('--force');
    expect(failed.state).toBe('Nothing was changed: the running version is as it was.');
    expect(eventsOf(refused, 'step.started').some((s) => /^\d+-/.test(s.step))).toBe(false);
    expect(await tableChecksums(stack)).toEqual(checksums);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(composeBefore);
  });
});

describe('glowworm status and recover on a backend crash-looping on a release pulled by hand', () => {
  const dir = tmpStackDir('recover');
  let stack: Stack;
  let counts: Record<string, number>;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `r${randomBytes(3).toString('hex')}-` });
    counts = await rowCounts(stack);
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm\/backend:)1\.1\.0/g, '$11.2.0-broken'));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend', 'glowworm-celery-worker'])).code).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    for (let i = 0; i < 120 && (await restartCount(backend)) < 2; i++) await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('status exits non-zero, naming the revision, the database error and `glowworm recover`', async () => {
    const status = await runGlowworm(['status', '--project-dir', dir, '--json']);
    expect(status.code).toBe(6);
    const report = JSON.parse(status.stdout) as { attention: { crashLoop: { revision: string; error: string | null; image: string }; next: string[] } };
    expect(report.attention.crashLoop).toMatchObject({ revision: '2024110900', image: expect.stringContaining('backend:1.2.0-broken') });
    // The database's own words: 1060 on the first attempt, then 1050 on the table that attempt left.
    expect(report.attention.crashLoop.error).toMatch(/\(10(50|60), "(Duplicate column name|Table '\w+' already exists)/);
    expect(report.attention.next.join('\n')).toContain('glowworm recover');
  });

  it('recover --yes puts 1.1.0 back with every row, no table of the failed revision, and compose keeps it', async () => {
    const recovered = await runGlowworm(['recover', '--project-dir', dir, '--yes', '--json']);
    expect(recovered.code, recovered.stdout.slice(-3000)).toBe(0);
    expect((await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}} {{.State.Health.Status}}', stack.containers['glowworm-backend']!])).stdout.trim())
      .toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running healthy');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    const tables = (await dbQuery<{ t: string }[]>(stack, 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()')).map((r) => r.t);
    expect(tables).not.toContain('device_daemon_status');
    expect(tables).not.toContain('device_commands');
    const now = await rowCounts(stack);
    for (const [table, n] of Object.entries(counts)) if (table !== 'user_sessions') expect(now[table], table).toBe(n);
    // The column the failed revision collided with was there before it: kept, with its data.
    expect((await dbQuery<unknown[]>(stack, "SHOW COLUMNS FROM display_devices LIKE 'resolution_width'")).length).toBe(1);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('glowworm/backend:1.1.0');
    // A later `docker compose up -d` keeps the working version.
    expect((await compose(dir, ['up', '-d'])).code).toBe(0);
    expect((await docker(['inspect', '--format', '{{.Config.Image}}', stack.containers['glowworm-backend']!])).stdout.trim()).toBe('127.0.0.1:5000/glowworm/backend:1.1.0');
  });

  it('then upgrades to the release that fixes the migration', async () => {
    const upgraded = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--yes', '--json']);
    expect(upgraded.code, upgraded.stdout.slice(-3000)).toBe(0);
    expect(await alembicRevision(stack)).toBe('2024110901');
  });
});

describe('the real 1064 release pulled by hand on the October shape', () => {
  const dir = tmpStackDir('recover-1064');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ release: 'oct-2025', dir, prefix: `s${randomBytes(3).toString('hex')}-` });
    await publishRelease('nov-2025-1064', { namespace: stack.namespace, tag: 'test' });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm-backend:)latest/g, '$1test'));
    expect((await compose(dir, ['pull', 'glowworm-backend'])).code).toBe(0);
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    for (let i = 0; i < 120 && (await restartCount(backend)) < 2; i++) await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('status names the 1064 and recover; recover refuses honestly: no image here knows where the migrations left the database', async () => {
    const status = await runGlowworm(['status', '--project-dir', dir, '--json']);
    expect(status.code).toBe(6);
    const report = JSON.parse(status.stdout) as { attention: { crashLoop: { error: string | null } } };
    expect(report.attention.crashLoop.error).toMatch(/\(1064, /);
    // Fifteen of the new revisions applied before the one that fails: the October image cannot run this database.
    const recovered = await runGlowworm(['recover', '--project-dir', dir, '--yes', '--json']);
    expect(recovered.code).toBe(2);
    expect(eventsOf(recovered, 'run.finished')[0]).toMatchObject({ outcome: 'usage' });
    expect(recovered.stdout).toContain(REAL_RELEASES['nov-2025-1064'].failure!.leavesDatabaseAt);
  });

  it('the release that fixes the migration then upgrades it', async () => {
    await publishRelease('nov-2025', { namespace: stack.namespace, tag: 'test' });
    const upgraded = await runGlowworm(['upgrade', '--project-dir', dir, '--yes', '--json']);
    expect(upgraded.code, upgraded.stdout.slice(-3000)).toBe(0);
    expect(await alembicRevision(stack)).toBe(REAL_RELEASES['nov-2025'].head);
  });
});
