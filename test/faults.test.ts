// The fault matrix (issue 9): an upgrade killed (SIGKILL: no chance to clean up) at each of its steps, then
// `--rollback`, must leave everything as it was — the same containers (same ids) running the same images, the compose
// file and .env byte for byte, every table's checksum — and say so with exit 1, never 3. Also: a second upgrade while
// one works gets the lock (75), a fresh upgrade over an unfinished one says the truth, an incomplete rollback can be
// tried again, and a journal that cannot be read still has a way back.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `f${randomBytes(3).toString('hex')}-`;

interface Snapshot {
  containers: string;
  compose: Buffer;
  env: Buffer;
  checksums: Record<string, string>;
}

async function snapshot(stack: Stack): Promise<Snapshot> {
  const ps = await docker(['ps', '-a', '--no-trunc', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}} {{.State}}']);
  return {
    containers: ps.stdout.split('\n').filter(Boolean).sort().join('\n'),
    compose: readFileSync(join(stack.dir, 'docker-compose.yml')),
    env: readFileSync(join(stack.dir, '.env')),
    checksums: await tableChecksums(stack),
  };
}

function upgradeTo110(stack: Stack, killAt?: RegExp): Promise<CliRun> {
  return runGlowworm(['upgrade', '--project-dir', stack.dir, '--to', '1.1.0', '--yes', '--json'], killAt ? {
    killWhen: (e) => e.type === 'step.started' && killAt.test(e.step),
  } : {});
}

const rollBack = (stack: Stack) => runGlowworm(['upgrade', '--project-dir', stack.dir, '--rollback', '--yes', '--json']);

function expectSame(now: Snapshot, before: Snapshot): void {
  expect(now.containers).toBe(before.containers);
  expect(now.compose.equals(before.compose)).toBe(true);
  expect(now.env.equals(before.env)).toBe(true);
  expect(now.checksums).toEqual(before.checksums);
}

// The steps of a 1.0.0 → 1.1.0 upgrade, each a point to die at (the commit is the point of no return).
const KILL_POINTS: [string, RegExp][] = [
  ['creating the new containers', /^\d+-prepare:/],
  ['stopping the app', /^\d+-stop:/],
  ['the backup', /^\d+-backup:/],
  ['verifying the backup', /^\d+-verify-backup:/],
  ['writing the compose file', /^\d+-apply-deploy-migration:/],
  ['swapping the backend', /^\d+-recreate:glowworm-backend$/],
  ['starting the new backend', /^\d+-start:glowworm-backend$/],
  ['the migrations', /^\d+-wait-migrations:/],
  ['starting the worker', /^\d+-start:glowworm-celery-worker$/],
  ['the verification', /^\d+-verify:/],
];

describe('killed at every step, then --rollback', () => {
  const dir = tmpStackDir('faults-matrix');
  let stack: Stack;
  let before: Snapshot;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    before = await snapshot(stack);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  for (const [where, point] of KILL_POINTS) {
    it(`during ${where}: everything as it was, exit 1`, async () => {
      const killed = await upgradeTo110(stack, point);
      expect(killed.signal, killed.stdout.slice(-1500)).toBe('SIGKILL');
      const back = await rollBack(stack);
      expect(back.code, back.stdout.slice(-3000)).toBe(1);
      expect(eventsOf(back, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
      expectSame(await snapshot(stack), before);
    });
  }
});

describe('faults around the journal and the lock', () => {
  const dir = tmpStackDir('faults-journal');
  let stack: Stack;
  let before: Snapshot;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    before = await snapshot(stack);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('a second upgrade while the first is at its backup gets the lock (75), not "did not finish"', async () => {
    const first = upgradeTo110(stack);
    // Wait until the first run is in its backup, then start a second one.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const runs = join(dir, '.glowworm', 'runs');
        const journals = (() => { try { return readdirSync(runs).filter((f) => f.endsWith('.json')); } catch { return []; } })();
        if (journals.some((f) => readFileSync(join(runs, f), 'utf8').includes('-backup:'))) { clearInterval(poll); resolve(); }
      }, 100);
    });
    const second = await upgradeTo110(stack);
    expect(second.code).toBe(75);
    expect(eventsOf(second, 'upgrade.failed')[0]!.state).toMatch(/another glowworm run is working/);
    expect((await first).code).toBe(0);
    await rollBackViaRestore();
  });

  // Puts the stack back to 1.0.0 for the next test: the upgrade above completed, so restore its backup and images.
  async function rollBackViaRestore(): Promise<void> {
    await stackDown(dir, stack.prefix);
    stack = await stackUp({ version: '1.0.0', dir, prefix: stack.prefix });
    before = await snapshot(stack);
  }

  it('killed in the migrations: a fresh upgrade says the earlier run stopped part-way, not "nothing was changed"', async () => {
    await upgradeTo110(stack, /^\d+-wait-migrations:/);
    const fresh = await upgradeTo110(stack);
    expect(fresh.code).toBe(2);
    const failed = eventsOf(fresh, 'upgrade.failed')[0]!;
    expect(failed.state).not.toMatch(/running version is as it was/);
    expect(failed.state).toMatch(/as the earlier, unfinished upgrade left it/);
    expect(failed.error.message).toMatch(/stopped at "Follow glowworm-backend while it migrates the database"/);
  });

  it('a rollback that cannot finish (its backup moved away) stays open, exit 3; put back, --rollback again: exit 1', async () => {
    const journal = readdirSync(join(dir, '.glowworm', 'runs')).filter((f) => f.endsWith('.json')).sort().at(-1)!;
    const backup = (JSON.parse(readFileSync(join(dir, '.glowworm', 'runs', journal), 'utf8')) as { state: { backup: { file: string } } }).state.backup.file;
    renameSync(backup, `${backup}.away`);
    const incomplete = await rollBack(stack);
    expect(incomplete.code, incomplete.stdout.slice(-2000)).toBe(3);
    expect(eventsOf(incomplete, 'upgrade.failed')[0]!.state).toMatch(/glowworm upgrade --rollback/);
    renameSync(`${backup}.away`, backup);
    const again = await rollBack(stack);
    expect(again.code, again.stdout.slice(-3000)).toBe(1);
    expectSame(await snapshot(stack), before);
  });

  it('a journal cut short by a crash: the upgrade names it, and --rollback still puts the containers and files back', async () => {
    await upgradeTo110(stack, /^\d+-recreate:glowworm-frontend$/);
    const runs = join(dir, '.glowworm', 'runs');
    const journal = readdirSync(runs).filter((f) => f.endsWith('.json')).sort().at(-1)!;
    const text = readFileSync(join(runs, journal), 'utf8');
    writeFileSync(join(runs, journal), text.slice(0, Math.floor(text.length / 2)));
    const refused = await upgradeTo110(stack);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toContain(journal);
    expect(refused.stdout + refused.stderr).toContain('--rollback');
    const back = await rollBack(stack);
    expect(back.code, back.stdout.slice(-3000)).toBe(1);
    expectSame(await snapshot(stack), before);
    const names = (await docker(['ps', '-a', '--format', '{{.Names}}'])).stdout;
    expect(names).not.toMatch(new RegExp(`${stack.prefix}\\S*-glowworm-(new|old)-`));
  });
});
