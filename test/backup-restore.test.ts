// `glowworm backup`, `glowworm restore` and the reset wizard's engine on a real stack: verified backups, typed
// confirmation that refuses a wrong name without touching anything, and the way back after a reset.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damagedSections } from '../src/engine/backup/check-sections.js';
import { loadManifest } from '../src/engine/backup/store.js';
import { engine } from '../src/engine/engine.js';
import type { EngineEvent } from '../src/engine/events.js';
import { alembicRevision, dbQuery, docker, imageRef, stackDown, stackEnv, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { waitFor } from './rig/process.js';
import { eventsOf, runGlowworm } from './support/run-glowworm.js';

async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('backup and restore', () => {
  const dir = tmpStackDir('backup');
  let stack: Stack;
  let original: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `b${randomBytes(3).toString('hex')}-` });
    original = await tableChecksums(stack);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  /** Each app container's id and when it last started: a stop and start changes StartedAt. */
  const appStarts = async () => (await docker(['inspect', '--format', '{{.Name}} {{.State.Status}} {{.State.StartedAt}}',
    ...['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend'].map((s) => `${stack.prefix}${s}`)])).stdout;

  it('backup: every table InnoDB, so dumped while the app serves (nothing stopped), verified in a throwaway database', async () => {
    const before = await appStarts();
    const run = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(eventsOf(run, 'backup.verified')[0]).toMatchObject({ checksumsMatch: true });
    file = eventsOf(run, 'backup.completed')[0]!.path;
    expect(await tableChecksums(stack)).toEqual(original);
    expect(await appStarts()).toBe(before);
    expect(eventsOf(run, 'step.started').map((e) => e.step)).toEqual(['backup']);
    for (const secret of ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'].map((k) => stackEnv(stack)[k]!)) expect(run.stdout).not.toContain(secret);
    // The real dump tool's file, in sections: one per table, each gunzipping alone to the SQL its sha256 is of.
    const manifest = (await loadManifest(file))!;
    const sections = manifest.dump.sections!;
    expect(sections.map((x) => x.kind)).toEqual(['head', ...Object.keys(manifest.tables).map(() => 'table'), 'tail']);
    expect(sections.filter((x) => x.kind === 'table').map((x) => x.name).sort()).toEqual(Object.keys(manifest.tables).sort());
    expect(await damagedSections(file, sections)).toEqual([]);
  });

  it('backup: a table that is not InnoDB stops the app (dependents first, as compose does), names it, and starts it again', async () => {
    await dbQuery(stack, 'CREATE TABLE legacy_notes (id INT PRIMARY KEY, note TEXT) ENGINE=MyISAM');
    try {
      const run = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(eventsOf(run, 'notice').map((n) => n.message).join('\n')).toContain('legacy_notes (MyISAM)');
      expect(eventsOf(run, 'step.started').map((e) => e.step)).toEqual(['stop', 'backup', 'start']);
      // Stopped dependents first: the frontend had exited before the backend it proxies stopped.
      const stoppedAt = async (service: string) => Date.parse((await docker(['inspect', '--format', '{{.State.FinishedAt}}', `${stack.prefix}${service}`])).stdout.trim());
      expect(await stoppedAt('glowworm-frontend')).toBeLessThanOrEqual(await stoppedAt('glowworm-backend'));
      expect((await appStarts()).split('\n').filter(Boolean).every((l) => l.includes(' running '))).toBe(true);
    } finally {
      await dbQuery(stack, 'DROP TABLE legacy_notes');
    }
  });

  it('the next run removes a throwaway container whose glowworm was killed, and leaves a live one alone', async () => {
    // A real probe, made by the real adapter in a process of its own, which is then killed as SIGKILL kills.
    const adapter = new URL('../dist/src/engine/docker/dockerode-docker.js', import.meta.url).href;
    const maker = spawn(process.execPath, ['--input-type=module', '-e',
      `import { DockerodeDocker } from '${adapter}'; await new DockerodeDocker().runOnce('${imageRef('backend', '1.1.0')}', ['sleep', '600'], { entrypoint: [] });`,
    ], { stdio: 'ignore' });
    const ownedBy = async (pid: number) => (await docker(['ps', '-aq', '--filter', `label=io.glowworm.owner=${hostname()}/${pid}`])).stdout.trim();
    const orphan = await waitFor('the probe to start', 60_000, async () => (await ownedBy(maker.pid!)) || undefined);
    const exited = new Promise((resolve) => maker.on('exit', resolve));
    maker.kill('SIGKILL');
    await exited;
    expect(await ownedBy(maker.pid!)).toBe(orphan); // the killed process could not remove it
    // One made by a glowworm that is still running (this test process, as far as the label says) must stay.
    const live = (await docker(['create', '--label', `io.glowworm.owner=${hostname()}/${process.pid}`, imageRef('backend', '1.1.0'), 'true'])).stdout.trim();
    try {
      const run = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(eventsOf(run, 'notice').map((n) => n.message).join('\n')).toMatch(/Removed what a killed glowworm run left behind: glowworm-once-/);
      expect(await ownedBy(maker.pid!)).toBe('');
      expect((await docker(['inspect', '--format', '{{.Id}}', live])).code).toBe(0);
    } finally {
      await docker(['rm', '-f', live]);
    }
  });

  it('backup without --yes and without a terminal refuses, naming --yes', async () => {
    const run = await runGlowworm(['backup', '--project-dir', dir, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('--yes');
  });

  it('restore refuses a wrong --confirm-database and changes nothing', async () => {
    await dbQuery(stack, 'DELETE FROM images WHERE id <= 100');
    const changed = await tableChecksums(stack);
    expect(changed['images']).not.toBe(original['images']);
    const run = await runGlowworm(['restore', file, '--project-dir', dir, '--yes', '--confirm-database', 'glowworn', '--json']);
    expect(run.code).toBe(2);
    expect(eventsOf(run, 'notice').map((n) => n.message).join('\n')).toContain('does not match the database "glowworm"');
    expect(await tableChecksums(stack)).toEqual(changed);
  });

  it('restore with the right name brings every table back to its checksum, after backing up the current state', async () => {
    const run = await runGlowworm(['restore', file, '--project-dir', dir, '--yes', '--confirm-database', 'glowworm', '--json']);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(eventsOf(run, 'backup.completed')).toHaveLength(1); // the safety backup of the state it replaced
    expect(eventsOf(run, 'verify.check').every((c) => c.ok)).toBe(true);
    expect(await tableChecksums(stack)).toEqual(original);
  });
});

describe('reset (engine of the wizard)', () => {
  const dir = tmpStackDir('reset');
  let stack: Stack;
  let original: Record<string, string>;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `z${randomBytes(3).toString('hex')}-` });
    original = await tableChecksums(stack);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('refuses a wrong typed name before anything stops: no step ran, no backup taken, nothing deleted', async () => {
    const events = await collect(engine.reset({ projectDir: dir }, { confirm: async () => true, confirmTyped: async () => false }));
    expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ ok: false, outcome: 'aborted' });
    expect(events.filter((e) => e.type === 'step.started' || e.type.startsWith('backup.'))).toEqual([]);
    expect(await tableChecksums(stack)).toEqual(original);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
  });

  it('with a table that is not InnoDB: the summary names it, and says the app stops before the backup', async () => {
    await dbQuery(stack, 'CREATE TABLE legacy_notes (id INT PRIMARY KEY, note TEXT) ENGINE=MyISAM');
    try {
      let summary = '';
      const events = await collect(engine.reset({ projectDir: dir }, { confirm: async (s) => ((summary = s), false), confirmTyped: async () => false }));
      expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ ok: false, outcome: 'aborted' });
      expect(summary).toContain('the app is stopped (not InnoDB: legacy_notes (MyISAM), so no consistent backup while it serves)');
    } finally {
      await dbQuery(stack, 'DROP TABLE legacy_notes');
    }
  });

  it('with the right name: an empty database migrated from zero to the head, then the backup restores everything', async () => {
    let typedFor = '';
    const events = await collect(engine.reset({ projectDir: dir }, { confirm: async () => true, confirmTyped: async (name) => ((typedFor = name), true) }));
    expect(typedFor).toBe('glowworm');
    expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ ok: true });
    expect(events.filter((e) => e.type === 'migration.applied').map((e) => (e as { revision: string }).revision).sort())
      .toEqual(['000000000001', '1c0cd51f0957', '366388fee193', 'a1b2c3d4e5f6', 'c2d3e4f5g6h7', 'ce5826f818f3']);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM users')).toEqual([{ n: 0 }]);
    const backup = events.find((e) => e.type === 'backup.completed') as { path: string };
    const restore = await runGlowworm(['restore', backup.path, '--project-dir', dir, '--yes', '--confirm-database', 'glowworm', '--json']);
    expect(restore.code, restore.stdout.slice(-2000)).toBe(0);
    expect(await tableChecksums(stack)).toEqual(original);
  });

  it('backs up while the app serves, and a row written after that backup, before the stop, is in the backup it leaves', async () => {
    const note = `written between the backup and the stop ${randomBytes(4).toString('hex')}`;
    let backendWhenVerified = '';
    const run = await runGlowworm(['reset', '--project-dir', dir, '--yes', '--confirm-database', 'glowworm', '--json'], {
      // Paused the moment the backup is verified: the app still serves (issue 14), and writes one more row.
      pauseWhen: (e) => e.type === 'backup.verified',
      whilePaused: async () => {
        backendWhenVerified = (await docker(['inspect', '--format', '{{.State.Status}}', `${stack.prefix}glowworm-backend`])).stdout.trim();
        await dbQuery(stack, "INSERT INTO device_logs (device_id, log_level, message) VALUES (1, 'info', ?)", [note]);
      },
    });
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const file = eventsOf(run, 'backup.completed')[0]!.path;
    const restore = await runGlowworm(['restore', file, '--project-dir', dir, '--yes', '--confirm-database', 'glowworm', '--json']);
    expect(restore.code, restore.stdout.slice(-2000)).toBe(0);
    expect(await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM device_logs WHERE message = ?', [note])).toEqual([{ n: 1 }]);
    // Taken before the stop, brought to it by the catch-up (which found the row to copy), its throwaway server gone.
    expect(backendWhenVerified).toBe('running');
    expect(eventsOf(run, 'step.started').map((e) => e.step).slice(0, 4)).toEqual(['backup', 'stop', 'catch-up', 'drop-create']);
    const { caughtUp } = (await loadManifest(file))!;
    expect(caughtUp!.chunksCopied + caughtUp!.tablesCopiedWhole).toBeGreaterThan(0);
    expect((await docker(['ps', '-aq', '--filter', `label=io.glowworm.run=${run.events[0]!.runId}`])).stdout.trim()).toBe('');
    await dbQuery(stack, 'DELETE FROM device_logs WHERE message = ?', [note]);
    expect(await tableChecksums(stack)).toEqual(original);
  });
});
