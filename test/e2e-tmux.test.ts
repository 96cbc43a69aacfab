// The real binary in a real terminal (tmux), driven by keystrokes against a real rig stack: the upgrade
// 1.0.0 → 1.1.0 confirmed with `y`, the doctor's status and verify-schema, the reset wizard refusing a wrongly
// typed database name, and a failing upgrade's failure screen. Every wait polls the pane for text; each screen is
// saved to docs/screens/ as captured.
//
// The stack runs from the rig's `glowworm-large/` namespace, whose 1.1.0 backend carries a 200 MiB layer of random
// bytes the engine does not hold (test/rig/large-layer-image.ts): the first upgrade really downloads it, so its
// pull bars move with numbers on screen. The database is grown first (0.1 MB of backup otherwise), so the first
// upgrade's backup lasts long enough to show its total and the time left; the rows added are deleted once it is
// done, so the later upgrades back up, verify and restore only the small seed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, dbQuery, docker, rigSetup, rowCounts, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import type { StatusReport } from '../src/engine/api.js';
import { waitFor } from './rig/process.js';
import { BIN, runGlowworm } from './support/run-glowworm.js';
import { useNamespace } from './support/registry-namespace.js';
import { LARGE_LAYER_NAMESPACE, largeLayerRef, removeLargeLayerImage } from './rig/large-layer-image.js';
import { dockerChecked } from './rig/process.js';

const SCREENS = fileURLToPath(new URL('../docs/screens/', import.meta.url));
const COLS = 150;
const ROWS = 48;
/** The database grown to ~62 MB: ~104 MB of SQL, a dump of ~1.6 s at the ~64 MB/s measured here (7 s under load). */
const SEED_MB = 48;

/** One tmux server of our own (its own socket), one pane running one glowworm command. */
class Pane {
  private readonly socket = `gw-e2e-${randomBytes(3).toString('hex')}`;
  private started = false;

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Runs `glowworm ARGS`, then prints EXIT=<code> and keeps the pane open so the last screen can be read. */
  run(args: string[]): void {
    const command = `${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}; echo "EXIT=$?"; exec sleep 3600`;
    const verb = this.started ? ['respawn-pane', '-k', '-t', 's'] : ['new-session', '-d', '-s', 's', '-x', String(COLS), '-y', String(ROWS)];
    this.tmux(...verb, `NO_COLOR=1 ${command}`);
    this.started = true;
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 's').replace(/\s+$/, '') + '\n';
  }

  /** Poll the visible screen until it matches; on timeout fail showing what was there. */
  async waitFor(pattern: string | RegExp, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(pattern)}; the pane shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  async exitCode(timeoutMs?: number): Promise<number> {
    return Number(/EXIT=(\d+)/.exec(await this.waitFor(/EXIT=\d+/, timeoutMs))![1]);
  }

  /** Wait for the command to end; save its last screen as docs/screens/NAME.txt. */
  async end(name: string): Promise<{ code: number; screen: string }> {
    const code = await this.exitCode();
    const screen = this.screen();
    save(name, screen);
    return { code, screen };
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 's', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 's', '-l', text);
  }

  close(): void {
    if (this.started) this.tmux('kill-server');
  }

  /** Close the terminal under the running command, as a dropped SSH connection does (the pty hangs up: SIGHUP). */
  hangUp(): void {
    this.close();
    this.started = false;
  }
}

/** Captures refresh docs/screens/ only when asked (GLOWWORM_CAPTURE_SCREENS=1): a test run must not edit the docs. */
function save(name: string, screen: string): void {
  if (process.env['GLOWWORM_CAPTURE_SCREENS'] === '1') writeFileSync(`${SCREENS}${name}.txt`, screen);
}

describe('the TUI in tmux against a rig stack', () => {
  const dir = tmpStackDir('e2e-tmux');
  const prefix = `t${randomBytes(3).toString('hex')}-`;
  const pane = new Pane();
  let stack: Stack;

  beforeAll(async () => {
    await rigSetup();
    stack = await stackUp({ version: '1.0.0', dir, prefix, seedMb: SEED_MB });
    // The running 1.0.0 under the namespace's names too, as on a host that pulled it from there.
    for (const kind of ['backend', 'frontend'] as const) await dockerChecked(['tag', `127.0.0.1:5000/glowworm/${kind}:1.0.0`, largeLayerRef(kind, '1.0.0')]);
    useNamespace(dir, LARGE_LAYER_NAMESPACE);
    await removeLargeLayerImage(); // a previous run pulled it: the pull must go over the registry again
  });
  afterAll(async () => {
    pane.close();
    await stackDown(dir, prefix);
    await removeLargeLayerImage(); // 200 MiB nobody else uses
  });

  it('upgrades 1.0.0 → 1.1.0: plan on screen, confirmed with y, run, success', async () => {
    const rowsBefore = await rowCounts(stack);
    pane.run(['upgrade', '--project-dir', dir, '--to', '1.1.0']);
    // The large layer on its way: its bar with the bytes so far of its size, and the total line under the images.
    const pulling = await pane.waitFor(/[0-9a-f]{12} (Downloading|Extracting) .*\d+%\s+[\d.]+ MB \/ [\d.]+ MB/);
    save('upgrade-pull', pulling);
    expect(pulling).toMatch(/Total .*\d+%\s+[\d.]+ MB \/ [\d.]+ MB, \d+\/\d+ layers, \d\/\d images?/);
    const plan = await pane.waitFor('y upgrade now');
    save('upgrade-plan', plan);
    expect(plan).toContain('1.0.0 → 1.1.0');
    expect(plan).toContain('366388fee193');
    expect(plan).toContain('(merge)');
    pane.keys('y');
    const backingUp = await pane.waitFor(/Backup: [\d.]+ [kM]B of ~[\d.]+ MB dumped, ~[\d.]+(ms|s) left/);
    save('upgrade-backup', backingUp);
    // The line is live (spinner) while the backend migrates, then printed ✔ above: either way it is on screen.
    save('upgrade-run', await pane.waitFor('Follow glowworm-backend while it migrates the database'));
    const { code, screen: done } = await pane.end('upgrade-success');
    expect(code).toBe(0);
    expect(done).toContain('✔ Upgraded 1.0.0 → 1.1.0');
    expect(done).toContain('4 database migrations applied');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    const rowsAfter = await rowCounts(stack);
    for (const [table, n] of Object.entries(rowsBefore)) expect({ table, rows: rowsAfter[table] }).toEqual({ table, rows: n });
    await dbQuery(stack, "DELETE FROM images WHERE filename LIKE 'bulk-%'"); // growDatabase's rows (see SEED_MB)
  });

  it('doctor: the menu, the status overview and verify schema, left with q', async () => {
    pane.run(['doctor', '--project-dir', dir]);
    save('doctor-menu', await pane.waitFor('❯ Status overview'));
    pane.keys('Enter');
    const status = await pane.waitFor('Latest backup');
    save('doctor-status', status);
    expect(status).toMatch(/✔ glowworm-backend\s+running \(healthy\)/);
    expect(status).toContain('glowworm: revision ce5826f818f3');
    expect(status).toContain('✔ database is at the image head');
    pane.keys('q');
    await pane.waitFor('❯ Status overview');
    pane.keys('Down', 'Down', 'Down');
    await pane.waitFor('❯ Verify schema');
    pane.keys('Enter');
    const verify = await pane.waitFor(/schema (matches|does NOT match)/);
    save('doctor-verify-schema', verify);
    expect(verify).toContain('✔ The schema matches the recorded revision');
    expect(verify).toContain('alembic_version: ce5826f818f3');
    pane.keys('q');
    await pane.waitFor('❯ Verify schema');
    pane.keys('q');
    expect(await pane.exitCode()).toBe(0);
  });

  it('reset: explains, and refuses a wrong typed database name before anything stops; nothing is deleted', async () => {
    const rowsBefore = await rowCounts(stack);
    pane.run(['reset', '--project-dir', dir]);
    save('reset-explain', await pane.waitFor('? Start the reset?'));
    pane.keys('y');
    save('reset-typed-name', await pane.waitFor('Type "glowworm" to go on:'));
    pane.type('glowwrm');
    await pane.waitFor('to go on: glowwrm');
    pane.keys('Enter');
    const { code, screen: refused } = await pane.end('reset-refused');
    expect(code).toBe(130);
    expect(refused).toContain('✘ Reset refused: nothing was deleted.');
    expect(refused).toContain('The typed name did not match');
    // Asked first: the app was never stopped, no backup taken.
    expect(refused).not.toMatch(/Stop the app|Back up and verify/);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await rowCounts(stack)).toEqual(rowsBefore);
  });

  it('without a terminal: doctor reports as JSON documents, reset refuses a wrong --confirm-database with exit 2', async () => {
    const status = await runGlowworm(['doctor', 'status', '--project-dir', dir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as StatusReport;
    expect(report.database).toMatchObject({ reachable: true, name: 'glowworm', revisions: ['ce5826f818f3'] });
    expect(report.backendImage?.pending).toEqual([]);
    const schema = await runGlowworm(['doctor', 'verify-schema', '--project-dir', dir, '--json']);
    expect(schema.code, schema.stderr).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ ok: true, revisions: ['ce5826f818f3'], halfApplied: null });
    // Each log line with the time the container wrote it (docker's timestamps), as the upgrade's log pane has them.
    const logs = await runGlowworm(['doctor', 'logs', '--project-dir', dir, '--filter', 'all', '--tail', '5', '--plain']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout.trimEnd().split('\n').filter((l) => !/^\d\d:\d\d:\d\d ( {2}|✘ |! )glowworm-backend \| /.test(l))).toEqual([]);
    const doctorMenu = await runGlowworm(['doctor', '--project-dir', dir]);
    expect(doctorMenu.code).toBe(2);
    expect(doctorMenu.stderr).toContain('glowworm doctor status|alembic-current');

    const rowsBefore = await rowCounts(stack);
    const backupsBefore = (await runGlowworm(['doctor', 'backups', '--project-dir', dir, '--json'])).stdout;
    const wrong = await runGlowworm(['reset', '--project-dir', dir, '--yes', '--confirm-database', 'glowwrm']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--confirm-database "glowwrm" does not match the database "glowworm"; nothing was changed.');
    const halfFlags = await runGlowworm(['reset', '--project-dir', dir, '--yes']);
    expect(halfFlags.code).toBe(2);
    expect(halfFlags.stderr).toContain('needs both --yes and --confirm-database NAME');
    expect(await rowCounts(stack)).toEqual(rowsBefore);
    expect((await runGlowworm(['doctor', 'backups', '--project-dir', dir, '--json'])).stdout).toBe(backupsBefore);
  });

  it('a failing upgrade (1.1.0 → 1.2.0-broken) ends on the failure screen: what failed, rollback, where things stand', async () => {
    pane.run(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken']);
    await pane.waitFor('y upgrade now');
    pane.keys('y');
    const { code, screen } = await pane.end('upgrade-failure');
    expect(code).toBe(1);
    expect(screen).toContain('✘ The upgrade failed and everything was put back');
    expect(screen).toContain('[✘] 2024110900');
    expect(screen).toContain("✘ glowworm-backend | ❌ Migration failed with return code 1");
    expect(screen).toContain('Rollback: ✔ completed, database restored from the backup');
    expect(screen).toContain('Where things stand: Running 1.1.0 again');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
  });

  it('r on the plan rehearses first: 1.2.0-broken fails on the copy, and production keeps its containers and data', async () => {
    const checksums = await tableChecksums(stack);
    const containers = async () => (await docker(['ps', '-a', '--filter', `name=^${prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}}'])).stdout.split('\n').sort();
    const containersBefore = await containers();
    pane.run(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken']);
    const plan = await pane.waitFor('r rehearse, then upgrade');
    save('upgrade-plan-rehearse', plan);
    pane.keys('r');
    const { code, screen } = await pane.end('upgrade-rehearsal-failure');
    expect(code).toBe(1);
    expect(screen).toContain('✘ Rehearse the migrations on a copy while the app serves');
    expect(screen).toMatch(/rehearsal failed in 2024110900/);
    expect(screen).toContain('Production was not touched');
    expect(screen).toContain('Where things stand: Running 1.1.0 again');
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await tableChecksums(stack)).toEqual(checksums);
    expect(await containers()).toEqual(containersBefore);
  });

  it('a terminal closed in the middle of an upgrade does not stop it: it finishes on its own (1.1.0 → 2.0.0)', async () => {
    pane.run(['upgrade', '--project-dir', dir, '--to', '2.0.0']);
    await pane.waitFor('y upgrade now');
    pane.keys('y');
    await pane.waitFor(/Stop glowworm|Back up the database/); // the downtime has begun
    pane.hangUp();
    // Nobody is watching any more; the process goes on, and lets go of the project's lock when it is done.
    const lock = join(dir, '.glowworm', 'lock');
    await waitFor('the upgrade to finish without its terminal', 240_000, async () => (existsSync(lock) ? undefined : true));
    const runs = join(dir, '.glowworm', 'runs');
    const latest = readdirSync(runs).filter((n) => n.endsWith('.json')).sort().at(-1)!;
    expect(JSON.parse(readFileSync(join(runs, latest), 'utf8'))).toMatchObject({ command: 'upgrade', status: 'completed' });
    expect(await alembicRevision(stack)).toBe('2024110901');
    expect((await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}}', `${prefix}glowworm-backend`])).stdout.trim())
      .toBe(`${largeLayerRef('backend', '2.0.0')} running`);
  });
});
