// Release intelligence on rig stacks: 2.0.0 on a deployment already in its shape needs no deployment change, its new
// tables are verified, release notes put breaking first, and --rehearse finds a failing migration on a copy. (The
// deployment migrations of the real releases are proven in real-release.test.ts.)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/engine/commands/upgrade.js';
import type { EngineEvent } from '../src/engine/events.js';
import type { Plan } from '../src/engine/plan/plan.js';
import { alembicRevision, dbQuery, docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
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

describe('1.1.0 → 2.0.0: the release that fixes 1.2.0-broken', () => {
  const dir = tmpStackDir('rel-200');
  let stack: Stack;
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('needs no deployment change on a deployment already in its shape: only the image tags move', () => {
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    const plan = eventsOf(run, 'plan.ready')[0]!.plan;
    expect(plan.deployChanges.map((c) => c.name)).toEqual(['image-tags']);
  });

  it('runs 2.0.0, worker included, the database at the 2.0.0 head', async () => {
    expect(await state(`${stack.prefix}glowworm-backend`)).toBe('127.0.0.1:5000/glowworm/backend:2.0.0 running');
    expect(await state(`${stack.prefix}glowworm-celery-worker`)).toBe('127.0.0.1:5000/glowworm/backend:2.0.0 running');
    expect(await alembicRevision(stack)).toBe('2024110901');
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

  it('come from the image, between the two versions, breaking changes first', () => {
    const notes = plan!.releaseNotes!;
    expect(notes.missing).toBeUndefined();
    expect(notes.from).toBe('1.0.0');
    expect(notes.to).toBe('2.0.0');
    expect(notes.entries.length).toBeGreaterThan(0);
    const breakingFirst = notes.entries.findIndex((e) => !e.breaking);
    expect(notes.entries.slice(breakingFirst).every((e) => !e.breaking)).toBe(true);
    expect(notes.breaking).toEqual(notes.entries.filter((e) => e.breaking));
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
    // Rehearsed on a copy of its own while the old version served: the app was never stopped for it.
    expect(steps.some((s) => /^\d+-stop:/.test(s))).toBe(false);
    expect(steps.findIndex((s) => /^\d+-rehearse:/.test(s))).toBeGreaterThan(steps.findIndex((s) => /^\d+-verify-backup:/.test(s)));
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
