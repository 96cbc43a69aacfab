import { render } from 'ink-testing-library';
import { KeyRouter } from '../../components/KeyRouter.js';
import { describe, expect, it, vi } from 'vitest';
import type { BackupInfo, HistoryEntry, ServiceLogLine, StatusReport } from '../../../engine/api.js';
import { abortedError } from '../../../engine/errors.js';
import { fakeEngine, scriptedRun } from '../../fake-engine.fixture.js';
import { QuestionBridge } from '../../question-bridge.js';
import { DoctorApp } from './DoctorApp.js';

const project = { projectDir: '/tmp/gw-demo' };
const DOWN = '\x1b[B';
const ESC = '\x1b';

function status(): StatusReport {
  return {
    project: { name: 'gw-demo', dir: '/tmp/gw-demo', files: [] },
    services: [
      { service: 'glowworm-backend', role: 'backend', container: 'glowworm-backend', state: 'restarting', health: null, restartCount: 7, image: 'r/backend:1.2.0', version: '1.2.0' },
      { service: 'glowworm-mysql', role: 'db', container: 'glowworm-mysql', state: 'running', health: 'healthy', restartCount: 0, image: 'r/mysql:8.0', version: null },
    ],
    database: { reachable: true, name: 'glowworm', revisions: ['ce5826f818f3'], tables: 12 },
    backendImage: { ref: 'r/backend:1.2.0', heads: ['2024110900'], pending: [{ id: '2024110900', message: 'add device daemon tables', downRevisions: ['ce5826f818f3'], isMerge: false }] },
    latestBackup: null,
    warnings: ['glowworm-backend is restart-looping'],
  };
}

function setup(engine: ReturnType<typeof fakeEngine>) {
  const onLeave = vi.fn();
  const questions = new QuestionBridge();
  const app = render(<KeyRouter><DoctorApp engine={engine} project={project} questions={questions} onLeave={onLeave} batching={{ flushMs: 5, yieldMs: 4 }} /></KeyRouter>);
  const frame = () => app.lastFrame() ?? '';
  const press = (...keys: string[]) => keys.forEach((k) => app.stdin.write(k));
  return { app, frame, press, onLeave };
}

/** Move the menu cursor to the item labelled `label` and open it. */
async function open(s: ReturnType<typeof setup>, label: string) {
  await vi.waitFor(() => expect(s.frame()).toContain('❯ Status overview'));
  for (let i = 0; i < 12 && !s.frame().includes(`❯ ${label}`); i++) {
    const before = s.frame();
    s.press(DOWN);
    await vi.waitFor(() => expect(s.frame()).not.toBe(before));
  }
  s.press('\r');
}

describe('DoctorApp', () => {
  it('puts recover first, selected and marked, when the status finds the backend crash-looping', async () => {
    const crashLoop = { service: 'glowworm-backend', image: 'r/backend:1.2.0', restarts: 7, since: 'then', revision: '2024110900', error: 'boom' };
    const s = setup(fakeEngine({ status: async () => ({ ...status(), attention: { verdict: 'attention', crashLoop } }) as StatusReport }));
    await vi.waitFor(() => expect(s.frame()).toContain('❯ The backend crash-loops now — Recover from a release that crash-loops'));
    expect(s.frame().indexOf('Recover from')).toBeLessThan(s.frame().indexOf('Status overview'));
    s.press(DOWN);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Status overview'));
  });

  it('keeps the usual order when nothing crash-loops', async () => {
    const s = setup(fakeEngine({ status: async () => ({ ...status(), attention: { verdict: 'ok', crashLoop: null } }) as StatusReport }));
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Status overview'));
    await new Promise((r) => setTimeout(r, 50));
    expect(s.frame()).toContain('❯ Status overview');
    expect(s.frame()).not.toContain('crash-loops now');
  });

  it('shows the menu with what the selected item does, moves with the arrows and leaves with q', async () => {
    const s = setup(fakeEngine({}));
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Status overview'));
    expect(s.frame()).toContain('Restore a backup  (changes things; asks first)');
    expect(s.frame()).toContain('Changes nothing.');
    s.press(DOWN, DOWN, DOWN);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Verify schema'));
    expect(s.frame()).toContain('migration that failed half-way');
    s.press('q');
    await vi.waitFor(() => expect(s.onLeave).toHaveBeenCalledTimes(1));
  });

  it('status overview: explains, reads, shows health, revision against the image head, pending migrations; esc goes back', async () => {
    let resolve: (r: StatusReport) => void = () => undefined;
    const s = setup(fakeEngine({ status: () => new Promise((r) => (resolve = r)) }));
    await open(s, 'Status overview');
    await vi.waitFor(() => expect(s.frame()).toContain('Reading…'));
    expect(s.frame()).toContain('Reads the containers');
    resolve(status());
    await vi.waitFor(() => expect(s.frame()).toContain('✘ glowworm-backend  restarting, 7 restarts'));
    expect(s.frame()).toContain('✔ glowworm-mysql    running (healthy)');
    expect(s.frame()).toContain('glowworm: revision ce5826f818f3, 12 tables');
    expect(s.frame()).toContain('! 1 pending migration(s):');
    expect(s.frame()).toContain('2024110900  add device daemon tables');
    expect(s.frame()).toContain('! glowworm-backend is restart-looping');
    s.press(ESC);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Status overview'));
  });

  it('verify schema: a half-applied migration with what is there, what is not and the options', async () => {
    const s = setup(fakeEngine({
      verifySchema: async () => ({
        revisions: ['ce5826f818f3'], expectedTables: ['users'], presentTables: ['users', 'device_commands'], missingTables: [],
        unexpectedTables: ['device_commands'], ok: false,
        halfApplied: { revision: '2024110900', message: 'add device daemon tables', present: ['table device_commands'], absent: ['column devices.resolution_width'], preexisting: ['index ix_devices on devices'], options: ['restore the backup', 'finish by hand'] },
      }),
    }));
    await open(s, 'Verify schema');
    await vi.waitFor(() => expect(s.frame()).toContain('✘ The schema does NOT match the recorded revision'));
    expect(s.frame()).toContain('! not expected at this revision: device_commands');
    expect(s.frame()).toContain('✘ Revision 2024110900 (add device daemon tables) is half applied');
    expect(s.frame()).toContain('not there yet: column devices.resolution_width');
    expect(s.frame()).toContain('there before it ran (it collides with them): index ix_devices on devices');
    expect(s.frame()).toContain('- restore the backup');
  });

  it('a failed read shows the error and its hint', async () => {
    const s = setup(fakeEngine({ alembic: async () => { throw abortedError('Docker is not reachable', 'Start dockerd.'); } }));
    await open(s, 'Alembic current');
    await vi.waitFor(() => expect(s.frame()).toContain('✘ Docker is not reachable'));
    expect(s.frame()).toContain('Next: Start dockerd.');
  });

  it('run migrations: the engine\'s summary as a confirm screen, then the run and its outcome', async () => {
    const s = setup(fakeEngine({
      migrate: (_p, io) => scriptedRun('migrate', async (emit) => {
        if (!(await io.confirm('Apply 1 migration(s) (2024110900) after a verified backup.'))) throw abortedError('Cancelled; nothing was changed.');
        emit({ type: 'step.started', step: 'backup', title: 'Back up and verify the database' });
        emit({ type: 'step.completed', step: 'backup', durationMs: 2100 });
        emit({ type: 'migration.applied', revision: '2024110900', from: 'ce5826f818f3', message: 'add device daemon tables' });
        return 'ok';
      }),
    }));
    await open(s, 'Run migrations manually');
    await vi.waitFor(() => expect(s.frame()).toContain('Apply 1 migration(s) (2024110900) after a verified backup.'));
    expect(s.frame()).toContain('? Go on?');
    expect(s.frame()).toContain('takes a backup and verifies it');
    s.press('y');
    await vi.waitFor(() => expect(s.frame()).toContain('✔ Run migrations manually succeeded'));
    expect(s.frame()).toContain('✔ Back up and verify the database  2.1s');
    expect(s.frame()).toContain('[✔] 2024110900');
    s.press('q');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Run migrations manually'));
  });

  it('recover: the engine\'s summary as a confirm screen, then the run', async () => {
    const s = setup(fakeEngine({
      recover: (_p, io) => scriptedRun('recover', async (emit) => {
        if (!(await io.confirm('Take and verify a backup, remove what 2024110900 left, run glowworm-backend on the working image again.'))) throw abortedError('Cancelled; nothing was changed.');
        emit({ type: 'step.started', step: 'recover:leftovers', title: 'Remove what 2024110900 left' });
        emit({ type: 'step.completed', step: 'recover:leftovers', durationMs: 300 });
        return 'ok';
      }),
    }));
    await open(s, 'Recover from a release that crash-loops');
    await vi.waitFor(() => expect(s.frame()).toContain('remove what 2024110900 left'));
    expect(s.frame()).toContain('? Go on?');
    s.press('y');
    await vi.waitFor(() => expect(s.frame()).toContain('✔ Recover from a release that crash-loops succeeded'));
    expect(s.frame()).toContain('✔ Remove what 2024110900 left');
  });

  it('run migrations answered with n: nothing runs, the outcome says so', async () => {
    const s = setup(fakeEngine({
      migrate: (_p, io) => scriptedRun('migrate', async () => {
        if (!(await io.confirm('Apply 1 migration(s).'))) throw abortedError('Cancelled; nothing was changed.');
        throw new Error('must not run');
      }),
    }));
    await open(s, 'Run migrations manually');
    await vi.waitFor(() => expect(s.frame()).toContain('? Go on?'));
    s.press('n');
    await vi.waitFor(() => expect(s.frame()).toContain('✘ Run migrations manually was stopped by you'));
    expect(s.frame()).toContain('✘ Cancelled; nothing was changed.');
  });

  it('logs: each line shows the time it was written (HH:MM:SS, as the upgrade\'s log pane), a line without one none', async () => {
    const written = new Date(2026, 11, 2, 4, 24, 40).getTime();
    const s = setup(fakeEngine({
      logs: () => (async function* (): AsyncGenerator<ServiceLogLine> {
        yield { service: 'glowworm-backend', stream: 'stdout', text: '--- kept from the container ---', level: 'info' };
        yield { service: 'glowworm-backend', stream: 'stdout', text: '🔄 Running database migrations...', level: 'info', ts: written };
      })(),
    }));
    await open(s, 'Show logs');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Migration, database and schema lines'));
    s.press('\r');
    await vi.waitFor(() => expect(s.frame()).toContain('04:24:40   glowworm-backend | 🔄 Running database migrations...'));
    expect(s.frame()).toMatch(/│ {3}glowworm-backend \| --- kept from the container ---/);
  });

  it('logs: picks the filter, streams the lines, and stops the stream when leaving', async () => {
    let seen: { filter: string; follow: boolean } | null = null;
    let signal: AbortSignal | undefined;
    const s = setup(fakeEngine({
      logs: (_p, query, sig) => {
        seen = { filter: query.filter, follow: query.follow };
        signal = sig;
        return (async function* (): AsyncGenerator<ServiceLogLine> {
          yield { service: 'glowworm-backend', stream: 'stdout', text: '❌ Migration failed with return code 1', level: 'error' };
          await new Promise((r) => sig?.addEventListener('abort', r));
        })();
      },
    }));
    await open(s, 'Show logs');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Migration, database and schema lines'));
    s.press(DOWN);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Errors only'));
    s.press('\r');
    await vi.waitFor(() => expect(s.frame()).toContain('✘ glowworm-backend | ❌ Migration failed with return code 1'));
    expect(seen).toEqual({ filter: 'errors', follow: false });
    s.press('q');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Errors only'));
    expect(signal?.aborted).toBe(true);
    // Following can be filtered too: live migration lines, as the seed's guide greps for them.
    s.press(DOWN);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ Follow migration, database and schema lines, live'));
    s.press('\r');
    await vi.waitFor(() => expect(seen).toEqual({ filter: 'migration', follow: true }));
  });

  it('restore: pick a backup, then the database name must be typed', async () => {
    const backups: BackupInfo[] = [{ path: '/b/new.sql.gz', manifest: null }, { path: '/b/old.sql.gz', manifest: null }];
    let restored: string | null = null;
    let typedOk: boolean | null = null;
    const s = setup(fakeEngine({
      listBackups: async () => backups,
      restore: (opts, io) => scriptedRun('restore', async () => {
        restored = opts.file;
        typedOk = await io.confirmTyped('glowworm', `Replace the database "glowworm" with ${opts.file}?`);
        if (!typedOk) throw abortedError('The typed name did not match the database; nothing was changed.');
        return 'ok';
      }),
    }));
    await open(s, 'Restore a backup');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ /b/new.sql.gz'));
    expect(s.frame()).toContain('no manifest');
    s.press(DOWN);
    await vi.waitFor(() => expect(s.frame()).toContain('❯ /b/old.sql.gz'));
    s.press('\r');
    await vi.waitFor(() => expect(s.frame()).toContain('Type "glowworm" to go on:'));
    expect(restored).toBe('/b/old.sql.gz');
    s.press('glowworm', '\r');
    await vi.waitFor(() => expect(s.frame()).toContain('✔ Restore a backup succeeded'));
    expect(typedOk).toBe(true);
  });

  it('restore: Down and Enter arriving in one chunk (a slow SSH link) restore the backup Down moved to', async () => {
    const backups: BackupInfo[] = [{ path: '/b/new.sql.gz', manifest: null }, { path: '/b/old.sql.gz', manifest: null }];
    let restored: string | null = null;
    const s = setup(fakeEngine({
      listBackups: async () => backups,
      restore: (opts, io) => scriptedRun('restore', async () => {
        restored = opts.file;
        await io.confirmTyped('glowworm', 'Replace?');
        return 'ok';
      }),
    }));
    await open(s, 'Restore a backup');
    await vi.waitFor(() => expect(s.frame()).toContain('❯ /b/new.sql.gz'));
    s.press(`${DOWN}\r`);
    await vi.waitFor(() => expect(restored).not.toBeNull());
    expect(restored).toBe('/b/old.sql.gz');
  });

  it('run history: each run with its outcome, from → to, downtime, and its migrations timed', async () => {
    const entry: HistoryEntry = {
      runId: '20261202-013000-abcd', command: 'upgrade', startedAt: '2026-12-02T01:30:00.000Z', endedAt: null, status: 'completed', outcome: 'ok',
      fromVersion: '1.0.0', toVersion: '1.1.0', durationMs: 42_000, downtimeMs: 12_300, backupPath: '/b/x.sql.gz', failedRevision: null, error: null,
      migrations: [{ revision: 'ce5826f818f3', message: 'merge', durationMs: 1_500, ok: true }], rehearsal: [], steps: [], journal: '/j.json',
    };
    const s = setup(fakeEngine({ history: async () => [entry] }));
    await open(s, 'Run history');
    await vi.waitFor(() => expect(s.frame()).toContain('upgrade  completed  1.0.0 → 1.1.0  took 42s, downtime 12.3s'));
    expect(s.frame()).toContain('✔ ce5826f818f3 merge  1.5s');
  });
});
