// Faults that are not kills (issue 9): a full disk under the backups folder, the database killed in the middle of
// the migrations, Alembic failing under `doctor migrate`. Every run that changes something puts back what it did,
// by the undo of the steps that ran (runbook/undo.ts), and says so truthfully: no "--no-backup" when there was no
// such option, no exit 3 when everything is back, and nothing half-applied left in the database.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `u${randomBytes(3).toString('hex')}-`;
const messages = (run: CliRun) => eventsOf(run, 'notice').map((n) => n.message).join('\n') + run.stderr;

/** Every container of the stack: id, name, image and state (an upgrade's swap or a lost container changes it). */
async function containers(stack: Stack): Promise<string> {
  const ps = await docker(['ps', '-a', '--no-trunc', '--filter', `name=^${stack.prefix}`, '--format', '{{.ID}} {{.Names}} {{.Image}} {{.State}}']);
  return ps.stdout.split('\n').filter(Boolean).sort().join('\n');
}

describe('a full disk under .glowworm/backups', () => {
  const dir = tmpStackDir('faults-disk');
  const backups = join(dir, '.glowworm', 'backups');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    // A 16 KiB filesystem: the folders fit, the dump of the seeded database does not.
    mkdirSync(backups, { recursive: true, mode: 0o700 });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', backups]);
  });
  afterAll(async () => {
    try { execFileSync('umount', [backups]); } catch { /* not mounted */ }
    await stackDown(dir, stack?.prefix);
  });

  it('glowworm backup: fails (exit 4, the full disk named), removes its partial dump, the app still as it was', async () => {
    const before = { containers: await containers(stack), checksums: await tableChecksums(stack) };
    const run = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-2000)).toBe(4);
    expect(messages(run)).toMatch(/ENOSPC|no space/i);
    expect(readdirSync(backups).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(await containers(stack)).toBe(before.containers);
    expect(await tableChecksums(stack)).toEqual(before.checksums);
  });

  it('upgrade: the failed backup rolls back (exit 1, never 3), and nobody is told of a --no-backup no one used', async () => {
    const before = { containers: await containers(stack), checksums: await tableChecksums(stack), compose: readFileSync(join(dir, 'docker-compose.yml')) };
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    const failed = eventsOf(run, 'upgrade.failed')[0]!;
    expect(failed).toMatchObject({ rolledBack: true });
    expect(failed.state + messages(run)).not.toMatch(/--no-backup/);
    expect(await containers(stack)).toBe(before.containers);
    expect(await tableChecksums(stack)).toEqual(before.checksums);
    expect(readFileSync(join(dir, 'docker-compose.yml')).equals(before.compose)).toBe(true);
  });
});

describe('the database killed during the migrations', () => {
  const dir = tmpStackDir('faults-db-kill');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('the rollback cannot finish without it and says so (exit 3); with the database back, --rollback puts everything back', async () => {
    const before = { containers: await containers(stack), checksums: await tableChecksums(stack), compose: readFileSync(join(dir, 'docker-compose.yml')) };
    const mysql = stack.containers['glowworm-mysql']!;
    let killed = false;
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], {
      killWhen: (e) => {
        if (!killed && e.type === 'step.started' && /^\d+-wait-migrations:/.test(e.step)) {
          killed = true;
          execFileSync('docker', ['kill', mysql]);
        }
        return false;
      },
    });
    expect(killed).toBe(true);
    expect(run.code, run.stdout.slice(-3000)).toBe(3);
    expect(eventsOf(run, 'upgrade.failed')[0]!.state).toMatch(/glowworm upgrade --rollback/);
    expect((await docker(['start', mysql])).code).toBe(0);
    const back = await runGlowworm(['upgrade', '--project-dir', dir, '--rollback', '--yes', '--json']);
    expect(back.code, back.stdout.slice(-3000)).toBe(1);
    expect(eventsOf(back, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
    // The database container was restarted (same id, a new start): the app's containers and the data are as before.
    expect(await containers(stack)).toBe(before.containers);
    expect(await tableChecksums(stack)).toEqual(before.checksums);
    expect(readFileSync(join(dir, 'docker-compose.yml')).equals(before.compose)).toBe(true);
  });
});

describe('doctor migrate on a release whose migration fails', () => {
  const dir = tmpStackDir('faults-migrate');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
    // The seed's situation: 1.2.0-broken pulled and started by hand; its start script's migration fails and it loops.
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm\/backend:)1\.1\.0/g, '$11.2.0-broken'));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('fails in the broken revision, puts the database back from its backup (nothing half-applied left), exit 4', async () => {
    // Stopped first so the loop cannot migrate (or half-migrate) behind the test's back while it reads the "before".
    await docker(['stop', stack.containers['glowworm-backend']!]);
    const before = await tableChecksums(stack);
    const run = await runGlowworm(['doctor', 'migrate', '--project-dir', dir, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(4);
    expect(eventsOf(run, 'migration.failed')).toHaveLength(1);
    expect(messages(run)).toMatch(/Everything this migrate changed was put back/);
    expect(eventsOf(run, 'step.completed').map((s) => s.step)).toContain('undo:alembic-upgrade');
    await docker(['stop', stack.containers['glowworm-backend']!]);
    expect(await tableChecksums(stack)).toEqual(before);
  });
});
