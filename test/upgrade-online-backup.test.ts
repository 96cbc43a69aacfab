// Issue 14's upgrade, against real rig stacks: the backup is dumped and verified while the old version serves, and
// at the stop only what changed since is copied, into the verified copy and the backup file alike. Two promises are
// checked on a real run: nothing committed before the stop is lost (a writer commits throughout the preflight of an
// upgrade that then fails its migration and is rolled back from that backup), and a copy that is not equal to the
// database at the stop is caught by the final comparison before any migration starts.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../src/engine/backup/load-dump.js';
import { loadManifest } from '../src/engine/backup/store.js';
import { openDb } from '../src/engine/db/connection.js';
import type { DbCredentials } from '../src/engine/db/credentials.js';
import type { JsonEvent } from '../src/headless/json-schema.js';
import { alembicRevision, databaseAddress, dbQuery, docker, stackDown, stackEnv, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { startWriter, type DbWriter } from './support/db-writer.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `o${randomBytes(3).toString('hex')}-`;
const stepStarted = (kind: string) => (e: JsonEvent) => e.type === 'step.started' && new RegExp(`^\\d+-${kind}:`).test(e.step);
const started = (run: CliRun) => eventsOf(run, 'step.started').map((e) => e.step.replace(/^\d+-/, '').replace(/:.*$/, ''));
const summaryOf = (run: CliRun, kind: string) => {
  const id = eventsOf(run, 'step.started').find((e) => e.step.includes(`-${kind}:`))?.step;
  return eventsOf(run, 'step.completed').find((e) => e.step === id)?.summary ?? '';
};

async function rootCreds(stack: Stack): Promise<DbCredentials> {
  return { user: 'root', password: stackEnv(stack)['MYSQL_ROOT_PASSWORD']!, database: 'glowworm', host: await databaseAddress(stack), port: 3306 };
}

/** Root on the run's throwaway server, from its own container (the test stands where a person with `docker` would). */
async function copyCreds(project: string): Promise<DbCredentials> {
  const id = (await docker(['ps', '-q', '--filter', 'label=io.glowworm.role=backup-verify', '--filter', `label=io.glowworm.project=${project}`])).stdout.trim();
  expect(id.split('\n')).toHaveLength(1);
  const info = JSON.parse((await docker(['inspect', id])).stdout)[0] as { Config: { Env: string[] }; NetworkSettings: { Networks: Record<string, { IPAddress: string }> } };
  const password = info.Config.Env.find((e) => e.startsWith('MYSQL_ROOT_PASSWORD='))!.split('=')[1]!;
  const host = Object.values(info.NetworkSettings.Networks).find((n) => n.IPAddress)!.IPAddress;
  return { user: 'root', password, database: 'glowworm', host, port: 3306 };
}

async function backupFiles(stack: Stack): Promise<string[]> {
  return readdirSync(join(stack.dir, '.glowworm', 'backups'));
}

describe('the upgrade backs up while the old version serves, and copies only the changes at the stop', () => {
  const dir = tmpStackDir('online-upgrade');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: prefix() });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('a writer committing throughout the preflight: after the failed migration\'s rollback every row it committed is there', async () => {
    let writer: DbWriter | null = startWriter(await rootCreds(stack));
    let lastEmails: Record<number, string> = {};
    try {
      const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--yes', '--json'], {
        // The app's writers stop at the stop; this one is the test's, so it stops there too.
        pauseWhen: stepStarted('stop'),
        whilePaused: async () => {
          await writer!.stop();
          lastEmails = Object.fromEntries((await dbQuery<{ id: number; email: string }[]>(stack, 'SELECT id, email FROM users')).map((u) => [u.id, u.email]));
        },
      });
      expect(run.code, run.stdout.slice(-3000)).toBe(1);
      // The backup was taken and verified before the downtime, and the catch-up had real changes to copy.
      const order = started(run);
      expect(order.indexOf('backup')).toBeLessThan(order.indexOf('stop'));
      expect(order.indexOf('verify-backup')).toBeLessThan(order.indexOf('stop'));
      expect(order.indexOf('catch-up')).toBe(order.indexOf('stop') + 1);
      expect(summaryOf(run, 'catch-up')).toMatch(/^[1-9]\d* chunks? and \d+ tables? copied again; equal to the database at the stop/);
      // The database is put back before the old version starts on it (it must never run on the half-migrated one).
      const undone = eventsOf(run, 'step.started').map((e) => e.step).filter((id) => id.startsWith('undo:')).map((id) => id.replace(/^undo:\d+-/, '').replace(/:.*$/, ''));
      expect(undone.indexOf('catch-up')).toBeGreaterThanOrEqual(0);
      expect(undone.indexOf('catch-up')).toBeLessThan(undone.indexOf('stop'));
      expect(eventsOf(run, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
      expect(eventsOf(run, 'upgrade.failed')[0]!.state).toMatch(/restored/);
    } finally {
      await writer?.stop();
      writer = null;
    }
    const inserted = await dbQuery<{ n: number }[]>(stack, "SELECT COUNT(*) AS n FROM device_logs WHERE message LIKE 'writer %'");
    expect(Number(inserted[0]!.n)).toBeGreaterThan(20);
    const db = await openDb(await rootCreds(stack));
    try {
      const [[last]] = await db.query<any[]>("SELECT MAX(CAST(SUBSTRING(message, 8) AS UNSIGNED)) AS i, COUNT(*) AS n FROM device_logs WHERE message LIKE 'writer %'");
      // Every insert 0..i is there (none lost in the gap between the online dump and the stop).
      expect(Number(last.n)).toBe(Number(last.i) + 1);
      const [users] = await db.query<any[]>('SELECT id, email FROM users');
      expect(Object.fromEntries(users.map((u: { id: number; email: string }) => [u.id, u.email]))).toEqual(lastEmails);
    } finally {
      await db.end();
    }
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
  });

  it('a copy altered during the upgrade is caught by the final comparison: no migration starts, the backup file is as verified', async () => {
    const before = await tableChecksums(stack);
    const filesBefore = await backupFiles(stack);
    let project = '';
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '2.0.0', '--yes', '--json'], {
      pauseWhen: stepStarted('stop'),
      whilePaused: async (_e, seen) => {
        project = seen.find((e): e is Extract<JsonEvent, { type: 'plan.ready' }> => e.type === 'plan.ready')!.plan.project.name;
        const copy = await openDb(await copyCreds(project));
        try {
          // One byte of one row changed in the copy, and a trigger there that changes one byte of every row the
          // catch-up copies into that table again: the copy cannot be made equal, whatever the catch-up does.
          await copy.query("UPDATE users SET email = CONCAT(SUBSTRING(email, 1, CHAR_LENGTH(email) - 1), '#') WHERE id = 3");
          await copy.query("CREATE TRIGGER gw_test_alter BEFORE INSERT ON users FOR EACH ROW SET NEW.email = CONCAT(SUBSTRING(NEW.email, 1, CHAR_LENGTH(NEW.email) - 1), '#')");
        } finally {
          await copy.end();
        }
      },
    });
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    const failed = eventsOf(run, 'step.failed').map((e) => e.error);
    expect(failed[0]).toMatchObject({ code: 'backup.delta-mismatch', message: expect.stringMatching(/still differs from the database after copying the changes: users: 1 of \d+ chunks differ/) });
    expect(started(run)).not.toContain('wait-migrations');
    expect(started(run)).not.toContain('recreate');
    // The live database was never touched, and the backup file is the online dump as verified (nothing appended).
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await tableChecksums(stack)).toEqual(before);
    const added = (await backupFiles(stack)).filter((f) => !filesBefore.includes(f));
    expect(added.filter((f) => f.includes('partial'))).toEqual([]);
    const dump = added.find((f) => f.endsWith('.sql.gz'))!;
    const manifest = (await loadManifest(join(dir, '.glowworm', 'backups', dump)))!;
    expect(manifest.caughtUp).toBeUndefined();
    expect(await sha256File(join(dir, '.glowworm', 'backups', dump))).toBe(manifest.dump.sha256);
    expect((await docker(['inspect', '--format', '{{.Config.Image}} {{.State.Status}}', `${stack.prefix}glowworm-backend`])).stdout.trim())
      .toBe('127.0.0.1:5000/glowworm/backend:1.1.0 running');
  });
});
