// The upgrades real GlowWorm users make, on the rig's real-release shapes (glowworm-facts.md, "Real releases"): from
// the late-October 2025 file (three services, MySQL on ./data/mysql, `:latest`, a settings API already answering 500)
// to the celery generation (`:test`: Redis, the worker with its inherited unhealthy healthcheck, CELERY_*,
// VITE_BACKEND_URL), and a mid-November release whose migration fails with MySQL error 1064, then the one that fixes
// it. No image carries a version label; only the moving tags say where a release is.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, docker, publishRelease, REAL_RELEASES, rowCounts, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `q${randomBytes(3).toString('hex')}-`;
const NEWEST_HEAD = REAL_RELEASES['nov-2025'].head;
const OCTOBER_HEAD = REAL_RELEASES['oct-2025'].head;
const CHANGES = [
  '001-redis-service', '002-backend-celery-settings', '003-celery-worker-service', '004-frontend-backend-url',
  '005-backend-port-unpublished', '006-mysql-init-sql-unmounted',
];

function uploads(dir: string): Record<string, string> {
  const folder = join(dir, 'data', 'uploads');
  return Object.fromEntries(readdirSync(folder).map((f) => [f, createHash('sha256').update(readFileSync(join(folder, f))).digest('hex')]));
}

function files(dir: string): { compose: Buffer; env: Buffer } {
  return { compose: readFileSync(join(dir, 'docker-compose.yml')), env: readFileSync(join(dir, '.env')) };
}

async function inspect<T>(container: string, format: string): Promise<T> {
  return JSON.parse((await docker(['inspect', '--format', `{{json ${format}}}`, container])).stdout) as T;
}

type Mount = { Source: string; Destination: string };

/** A container's mounts by destination (docker inspect lists them in no fixed order). */
async function mountsOf(container: string): Promise<Mount[]> {
  return (await inspect<Mount[]>(container, '.Mounts')).sort((a, b) => a.Destination.localeCompare(b.Destination));
}

describe('late-October 2025 → the celery generation, :latest → :test', () => {
  const dir = tmpStackDir('real-oct-nov');
  let stack: Stack;
  let countsBefore: Record<string, number>;
  let uploadsBefore: Record<string, string>;
  let filesBefore: { compose: Buffer; env: Buffer };
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ release: 'oct-2025', dir, prefix: prefix() });
    countsBefore = await rowCounts(stack);
    uploadsBefore = uploads(dir);
    filesBefore = files(dir);
    await publishRelease('nov-2025', { namespace: stack.namespace, tag: 'test' });
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'test', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('succeeds, and its plan showed each deployment change the release needs as a diff, by what the images are', () => {
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const plan = eventsOf(run, 'plan.ready')[0]!.plan;
    expect(plan.deployChanges.map((c) => c.name)).toEqual([...CHANGES, 'image-tags']);
    for (const change of plan.deployChanges) expect(change.diff, change.name).toMatch(/^[+-] /m);
    // Known by tag, digest, Alembic head and the frontend's package.json: nothing invented, no label needed.
    expect(plan.identity?.from).toMatchObject({ tag: 'latest', label: null, alembicHeads: [OCTOBER_HEAD], frontendVersion: '0.0.0' });
    expect(plan.identity?.to).toMatchObject({ tag: 'test', label: null, alembicHeads: [NEWEST_HEAD], frontendVersion: '2.0.0' });
    expect(plan.identity?.to.digest).toMatch(/^sha256:/);
    // No commit marks these as breaking; the plan does, because they need deployment changes.
    expect(plan.releaseNotes?.breaking.some((b) => /deployment migration/i.test(b.breakingReason ?? ''))).toBe(true);
  });

  it('keeps every row and every uploaded file, the data where the database sees it, at the newest head', async () => {
    const counts = await rowCounts(stack);
    for (const [table, n] of Object.entries(countsBefore)) {
      if (table !== 'alembic_version' && table !== 'user_sessions') expect(counts[table], table).toBe(n);
    }
    expect(uploads(dir)).toEqual(uploadsBefore);
    expect(Object.keys(uploadsBefore).length).toBeGreaterThan(0);
    const mounts = await inspect<{ Source: string; Destination: string }[]>(stack.containers['glowworm-mysql']!, '.Mounts');
    expect(mounts.find((m) => m.Destination === '/var/lib/mysql')?.Source).toBe(join(dir, 'data', 'mysql'));
    expect(await alembicRevision(stack)).toBe(NEWEST_HEAD);
  });

  it('runs Redis and the worker; the worker, unhealthy by design, is judged by staying up; the API port is closed', async () => {
    const worker = `${stack.prefix}glowworm-celery-worker`;
    expect(await inspect<{ Status: string }>(worker, '.State')).toMatchObject({ Status: 'running' });
    expect(await inspect<number>(worker, '.RestartCount')).toBe(0);
    const check = eventsOf(run, 'verify.check').find((c) => c.container === worker)!;
    expect(check).toMatchObject({ ok: true, passed: true });
    expect(check.detail).toMatch(/comes from the image/);
    expect(await inspect<{ Status: string; Health: { Status: string } }>(`${stack.prefix}glowworm-redis`, '.State')).toMatchObject({ Status: 'running', Health: { Status: 'healthy' } });
    const backend = stack.containers['glowworm-backend']!;
    expect(await inspect<Record<string, unknown>>(backend, '.HostConfig.PortBindings')).toEqual({});
    const env = await inspect<string[]>(backend, '.Config.Env');
    expect(env).toContain('CELERY_BROKER_URL=redis://glowworm-redis:6379/0');
  });

  it('reports the settings API that failed before the upgrade as fixed, and the API through the frontend as passing', () => {
    const checks = eventsOf(run, 'verify.check');
    expect(checks.find((c) => c.check === 'settings-api')).toMatchObject({ ok: true, passed: true, baseline: 'fixed' });
    expect(checks.find((c) => c.check === 'frontend-api')).toMatchObject({ ok: true, passed: true });
  });

  it('`deploy-migrations down` puts the compose file and .env back byte for byte', async () => {
    const down = await runGlowworm(['deploy-migrations', 'down', '--project-dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('exactly as they were');
    const now = files(dir);
    expect(now.compose.equals(filesBefore.compose)).toBe(true);
    expect(now.env.equals(filesBefore.env)).toBe(true);
  });
});

describe('a release whose migration fails with 1064, then the release that fixes it', () => {
  const dir = tmpStackDir('real-1064');
  let stack: Stack;
  let checksums: Record<string, string>;
  let filesBefore: { compose: Buffer; env: Buffer };
  let failed: CliRun;
  let dbBefore: { id: string; mounts: Mount[] };

  beforeAll(async () => {
    stack = await stackUp({ release: 'oct-2025', dir, prefix: prefix() });
    checksums = await tableChecksums(stack);
    const db = stack.containers['glowworm-mysql']!;
    dbBefore = { id: await inspect<string>(db, '.Id'), mounts: await mountsOf(db) };
    filesBefore = files(dir);
    await publishRelease('nov-2025-1064', { namespace: stack.namespace, tag: 'test' });
    failed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'test', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('is rolled back with exit 1, naming the revision and the 1064, and the settings check as already failing', async () => {
    expect(failed.code, failed.stdout.slice(-3000)).toBe(1);
    expect(eventsOf(failed, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
    const failure = eventsOf(failed, 'migration.failed')[0]!;
    expect(failure.revision).toBe(REAL_RELEASES['nov-2025-1064'].failure!.revision);
    expect(failure.message).toMatch(/1064/);
    // The rollback's checks of the October version: its settings API answered 500 before the upgrade, too.
    const settings = eventsOf(failed, 'verify.check').filter((c) => c.check === 'settings-api').at(-1)!;
    expect(settings).toMatchObject({ ok: true, passed: false, baseline: 'failed-same', failure: 'http-500' });
    expect(failed.stdout).toMatch(/already failing before the upgrade/);
  });

  it('leaves October running on its database, every checksum and both files as they were', async () => {
    expect(await inspect<string>(stack.containers['glowworm-backend']!, '.Config.Image')).toBe(stack.images.backend);
    expect(await alembicRevision(stack)).toBe(OCTOBER_HEAD);
    expect(await tableChecksums(stack)).toEqual(checksums);
    const now = files(dir);
    expect(now.compose.equals(filesBefore.compose)).toBe(true);
    expect(now.env.equals(filesBefore.env)).toBe(true);
    expect((await docker(['ps', '-a', '--filter', `name=^${stack.prefix}glowworm-(redis|celery-worker)`, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });

  it('had recreated the database server before the migration failed, and put the old one back running on the same data', async () => {
    const done = eventsOf(failed, 'step.completed').map((e) => e.step);
    const recreated = done.find((id) => /^\d+-recreate-database:glowworm-mysql$/.test(id));
    expect(recreated, done.join(' ')).toBeDefined();
    expect(done).toContain(`undo:${recreated}`);
    const db = stack.containers['glowworm-mysql']!;
    expect(await inspect<string>(db, '.Id')).toBe(dbBefore.id);
    expect(await mountsOf(db)).toEqual(dbBefore.mounts);
    expect(await inspect<{ Status: string; Health: { Status: string } }>(db, '.State')).toMatchObject({ Status: 'running', Health: { Status: 'healthy' } });
    expect((await docker(['ps', '-a', '--filter', `name=^${db}-glowworm-`, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });

  it('killed as it recreates the database server, `--rollback` brings the old server back running on the same data', async () => {
    // Killed with the old server stopped and the new one not started: no database runs to observe or restore into.
    const killed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'test', '--yes', '--json'], {
      killWhen: (e) => e.type === 'container.state' && e.service === 'glowworm-mysql' && e.state === 'exited',
    });
    expect(killed.signal, killed.stdout.slice(-1500)).toBe('SIGKILL');
    const back = await runGlowworm(['upgrade', '--project-dir', dir, '--rollback', '--yes', '--json']);
    expect(back.code, back.stdout.slice(-3000)).toBe(1);
    expect(eventsOf(back, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
    const db = stack.containers['glowworm-mysql']!;
    expect(await inspect<string>(db, '.Id')).toBe(dbBefore.id);
    expect(await inspect<{ Status: string }>(db, '.State')).toMatchObject({ Status: 'running' });
    expect(await tableChecksums(stack)).toEqual(checksums);
    expect(files(dir).compose.equals(filesBefore.compose)).toBe(true);
    expect((await docker(['ps', '-a', '--filter', `name=^${db}-glowworm-`, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });

  it('chooses the same deployment changes when the fixed release is published under a version tag', async () => {
    await publishRelease('nov-2025', { namespace: stack.namespace, tag: '2.0.0' });
    // No terminal and no --yes: it stops at the plan, nothing changed.
    const planned = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--json']);
    expect(planned.code).toBe(2);
    expect(eventsOf(planned, 'plan.ready')[0]!.plan.deployChanges.map((c) => c.name)).toEqual([...CHANGES, 'image-tags']);
    expect(files(dir).compose.equals(filesBefore.compose)).toBe(true);
  });

  it('upgrades the same stack with exit 0 once the fixed release moves :test', async () => {
    await publishRelease('nov-2025', { namespace: stack.namespace, tag: 'test' });
    const fixed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'test', '--yes', '--json']);
    expect(fixed.code, fixed.stdout.slice(-3000)).toBe(0);
    expect(await alembicRevision(stack)).toBe(NEWEST_HEAD);
  });
});
