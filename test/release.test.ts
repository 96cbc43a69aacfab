// Release intelligence on real rig stacks: 2.0.0 needs deployment migrations (a new env var, a new worker service),
// the plan shows their diff, `deploy-migrations down` restores the files, and release notes put breaking first.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/engine/commands/upgrade.js';
import type { EngineEvent } from '../src/engine/events.js';
import type { Plan } from '../src/engine/plan/plan.js';
import type { DeploymentMigrationsPort } from '../src/engine/runbook/deployment-files.js';
import { alembicRevision, dbQuery, docker, stackDown, stackEnv, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `r${randomBytes(3).toString('hex')}-`;

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function state(name: string): Promise<string> {
  return (await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}}', name])).stdout.trim();
}

describe('1.1.0 → 2.0.0 with its deployment migrations', () => {
  const dir = tmpStackDir('rel-200');
  let stack: Stack;
  let composeBefore: Buffer;
  let envBefore: Buffer;
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    composeBefore = readFileSync(join(dir, 'docker-compose.yml'));
    envBefore = readFileSync(join(dir, '.env'));
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('shows both migrations with their diff in the plan, without the generated secret', () => {
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    const plan = eventsOf(run, 'plan.ready')[0]!.plan;
    expect(plan.deployChanges.map((c) => c.name)).toEqual(['001-2.0.0-display-signing-key', '002-2.0.0-scheduler-service', 'image-tags']);
    const diff = plan.deployChanges.map((c) => c.diff).join('\n');
    expect(diff).toMatch(/^\+\s+glowworm-scheduler:/m);
    expect(diff).toMatch(/^\+DISPLAY_SIGNING_KEY=/m);
    const key = stackEnv(stack)['DISPLAY_SIGNING_KEY']!;
    expect(key.length).toBeGreaterThan(20);
    expect(run.stdout).not.toContain(key);
    expect(run.stderr).not.toContain(key);
  });

  it('runs 2.0.0 with the new scheduler service from the backend image, the database at the 2.0.0 head', async () => {
    expect(await state(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:2.0.0 running');
    expect(await state(`${stack.prefix}glowworm-scheduler`)).toBe('127.0.0.1:5000/glowworm/backend:2.0.0 running');
    expect(await alembicRevision(stack)).toBe('2024110901');
    const env = (await docker(['inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', `${stack.prefix}glowworm-backend`])).stdout;
    expect(env).toContain(`DISPLAY_SIGNING_KEY=${stackEnv(stack)['DISPLAY_SIGNING_KEY']}`);
  });

  it("verified the release's own new tables, read from its migrations, beside those there were", async () => {
    const tables = await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
    const schema = eventsOf(run, 'verify.check').find((c) => c.check === 'schema');
    // Every table there is now was expected: the three 2.0.0 creates included, not only the 1.1.0 ones.
    expect(schema).toMatchObject({ ok: true, detail: `all ${tables[0]!.n} expected tables present` });
    for (const created of ['device_daemon_status', 'device_commands', 'scheduled_actions']) {
      expect((await dbQuery<unknown[]>(stack, 'SHOW TABLES LIKE ?', [created])).length).toBe(1);
    }
  });

  it('`deploy-migrations down` puts the compose file and .env back byte for byte', async () => {
    const down = await runGlowworm(['deploy-migrations', 'down', '--project-dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('exactly as they were');
    expect(readFileSync(join(dir, 'docker-compose.yml')).equals(composeBefore)).toBe(true);
    expect(readFileSync(join(dir, '.env')).equals(envBefore)).toBe(true);
  });
});

describe('1.1.0 → 2.0.0 without the deployment migrations', () => {
  const dir = tmpStackDir('rel-nomig');
  let stack: Stack;
  let checksums: Record<string, string>;
  let events: EngineEvent[];

  // The user's situation when a release's deployment change is skipped: the same engine, a port that changes nothing.
  const skipped: DeploymentMigrationsPort = {
    preview: async (_v, files) => ({ changes: [], compose: files.compose, env: files.env }),
    apply: async () => [],
    settle: async () => undefined,
    revert: async () => [],
  };

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    checksums = await tableChecksums(stack);
    events = await collect(upgrade({ projectDir: dir, toTag: '2.0.0' }, { confirm: async () => true, deployments: () => skipped }));
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('fails: 2.0.0 refuses to start without DISPLAY_SIGNING_KEY, and everything is put back', async () => {
    const finished = events.find((e) => e.type === 'run.finished');
    expect(finished).toMatchObject({ ok: false, outcome: 'failed-rolled-back' });
    const lines = events.filter((e) => e.type === 'log.line').map((e) => (e as { text: string }).text).join('\n');
    expect(lines).toContain('DISPLAY_SIGNING_KEY is not set');
    expect(await state(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await tableChecksums(stack)).toEqual(checksums);
  });
});

describe('release notes between 1.0.0 and 2.0.0', () => {
  const dir = tmpStackDir('rel-notes');
  let stack: Stack;
  let plan: Plan | null = null;
  let events: EngineEvent[];

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    events = await collect(upgrade({ projectDir: dir, toTag: '2.0.0' }, {
      confirm: async (p) => ((plan = p), false),
      deployments: (await import('../src/engine/deploy-migrations/port.js')).deploymentMigrations,
    }));
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('come from the image, breaking changes first — including the one no commit marked', () => {
    const notes = plan!.releaseNotes!;
    expect(notes.missing).toBeUndefined();
    expect(notes.from).toBe('1.0.0');
    expect(notes.to).toBe('2.0.0');
    expect(notes.breaking.length).toBeGreaterThan(0);
    expect(notes.breaking.some((b) => /deployment migration/i.test(b.breakingReason ?? ''))).toBe(true);
    expect(notes.entries.length).toBeGreaterThan(notes.breaking.length);
  });

  it('answering no changes nothing', async () => {
    expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ outcome: 'aborted' });
    expect(await state(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:1.0.0 running');
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('backend:1.0.0');
  });
});

describe('--rehearse against 1.2.0-broken', () => {
  const dir = tmpStackDir('rel-rehearse');
  let stack: Stack;
  let before: { containers: string; images: string; checksums: Record<string, string> };
  let run: CliRun;

  const snapshot = async () => ({
    containers: (await docker(['ps', '-a', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}}'])).stdout.split('\n').sort().join('\n'),
    images: (await docker(['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', '127.0.0.1:5000/glowworm/*'])).stdout.split('\n').sort().join('\n'),
    checksums: await tableChecksums(stack),
  });

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    // Pull the target first so "images unchanged" compares like with like (the rehearsal itself must pull nothing new).
    await docker(['pull', '127.0.0.1:5000/glowworm/backend:1.2.0-broken']);
    await docker(['pull', '127.0.0.1:5000/glowworm/frontend:1.2.0-broken']);
    before = await snapshot();
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--rehearse', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('names the failing revision and its error, and does not start the real upgrade', () => {
    expect(run.code).toBe(1);
    expect(eventsOf(run, 'rehearsal.completed')[0]).toMatchObject({ ok: false, failedRevision: '2024110900', error: expect.stringContaining('Duplicate column name') });
    const steps = eventsOf(run, 'step.started').map((e) => e.step);
    expect(steps.some((s) => s.includes('recreate'))).toBe(false);
    expect(steps.some((s) => s.includes('apply-deploy-migration'))).toBe(false);
  });

  it("leaves production's containers, images and table checksums unchanged, and nothing of the rehearsal behind", async () => {
    const after = await snapshot();
    expect(after.containers).toBe(before.containers);
    expect(after.images).toBe(before.images);
    expect(after.checksums).toEqual(before.checksums);
    const ours = `label=io.glowworm.project=${stack.project}`;
    expect((await docker(['network', 'ls', '--filter', ours, '--format', '{{.Name}}'])).stdout.trim()).toBe('');
    expect((await docker(['ps', '-a', '--filter', ours, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });
});

describe('--rehearse that passes (1.0.0 → 1.1.0)', () => {
  const dir = tmpStackDir('rel-rehearse-ok');
  let stack: Stack;
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--rehearse', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('times each revision on the copy, merge included, then upgrades production', async () => {
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    const rehearsed = eventsOf(run, 'rehearsal.migration');
    const pending = eventsOf(run, 'plan.ready')[0]!.plan.migrations.pending.map((r) => r.id);
    expect(rehearsed.map((r) => r.revision)).toEqual(pending);
    expect(pending).toContain('366388fee193'); // the merge
    expect(rehearsed.every((r) => r.ok && r.durationMs >= 0)).toBe(true);
    expect(eventsOf(run, 'rehearsal.completed')[0]).toMatchObject({ ok: true, failedRevision: null });
    // The rehearsal ran before the real migrations: production's first applied revision comes after it.
    const order = run.events.map((e) => e.type);
    expect(order.indexOf('rehearsal.completed')).toBeLessThan(order.indexOf('migration.applied'));
    expect(eventsOf(run, 'migration.applied').map((m) => m.revision)).toEqual(pending);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    const ours = `label=io.glowworm.project=${stack.project}`;
    expect((await docker(['ps', '-a', '--filter', ours, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });
});
