import { render } from 'ink-testing-library';
import { KeyRouter } from '../../components/KeyRouter.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventChannel } from '../../../engine/event-channel.js';
import type { EngineEvent, RunOutcome } from '../../../engine/events.js';
import { QuestionBridge } from '../../question-bridge.js';
import { fixturePlan } from '../../state/events.fixture.js';
import { UpgradeApp } from './UpgradeApp.js';

const fast = { flushMs: 5, yieldMs: 4 };

function setup(events: AsyncIterable<EngineEvent>, onInterrupt = vi.fn()) {
  const questions = new QuestionBridge();
  const finished: (RunOutcome | null)[] = [];
  const app = render(<KeyRouter><UpgradeApp events={events} questions={questions} onInterrupt={onInterrupt} onFinished={(o) => finished.push(o)} batching={fast} logHeight={5} /></KeyRouter>);
  const frame = () => app.lastFrame() ?? '';
  return { app, questions, finished, frame };
}

afterEach(() => vi.restoreAllMocks());

describe('UpgradeApp', () => {
  it('walks preparing → plan → run → success, confirming the plan with y', async () => {
    const channel = new EventChannel('run-1');
    const { app, questions, finished, frame } = setup(channel);
    const { emit } = channel;

    emit({ type: 'run.started', command: 'upgrade', projectDir: '/tmp/gw-demo', resumed: false });
    await vi.waitFor(() => expect(frame()).toContain('Preparing the upgrade of /tmp/gw-demo'));
    emit({ type: 'pull.progress', step: 'preflight', image: 'registry/backend:1.1.0', layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 512, total: 1024 });
    await vi.waitFor(() => expect(frame()).toMatch(/aaaaaaaaaaaa Downloading .*50%/));
    emit({ type: 'pull.completed', step: 'preflight', image: 'registry/backend:1.1.0', digest: 'sha256:0123456789abcdef0123' });
    await vi.waitFor(() => expect(frame()).toContain('✔ registry/backend:1.1.0  pulled sha256:0123456789ab'));

    const plan = fixturePlan();
    emit({ type: 'plan.ready', step: 'plan', plan, text: '' });
    const answer = questions.upgradeIO(new AbortController().signal).confirm(plan);
    await vi.waitFor(() => expect(frame()).toContain('Upgrade gw-demo: 1.0.0 → 1.1.0'));
    expect(frame()).toContain('366388fee193  merge display mode and system settings  (merge)');
    expect(frame()).toContain('y upgrade now');
    app.stdin.write('y');
    await expect(answer).resolves.toBe(true);

    emit({ type: 'step.started', step: '01-stop', title: 'Stop glowworm-frontend' });
    emit({ type: 'step.completed', step: '01-stop', durationMs: 1500 });
    emit({ type: 'step.started', step: '05-wait', title: 'Follow glowworm-backend while it migrates the database' });
    emit({ type: 'log.line', service: 'glowworm-backend', stream: 'stdout', text: '🔄 Running database migrations...', level: 'info' });
    emit({ type: 'log.line', service: 'glowworm-backend', stream: 'stderr', text: 'Traceback (most recent call last):', level: 'error' });
    emit({ type: 'migration.applied', revision: 'c2d3e4f5g6h7', from: 'a1b2c3d4e5f6', message: 'create user logs table' });
    await vi.waitFor(() => expect(frame()).toContain('[✔] c2d3e4f5g6h7'));
    expect(frame()).toContain('✔ Stop glowworm-frontend  1.5s');
    expect(frame()).toContain('Follow glowworm-backend while it migrates the database');
    expect(frame()).toContain('[ ] 366388fee193');
    expect(frame()).toContain('✘ glowworm-backend | Traceback (most recent call last):');

    emit({ type: 'step.completed', step: '05-wait', durationMs: 4000 });
    emit({ type: 'verify.check', check: 'alembic-head', container: null, ok: true, passed: true, failure: null, baseline: 'passed', baselineDetail: null, detail: 'at ce5826f818f3' });
    emit({ type: 'upgrade.completed', fromVersion: '1.0.0', toVersion: '1.1.0', durationMs: 45_000, downtimeMs: 30_000, backupPath: '/tmp/gw-demo/.glowworm/backups/b.sql.gz' });
    emit({ type: 'run.finished', ok: true, outcome: 'ok' });
    channel.close();
    await vi.waitFor(() => expect(finished).toEqual(['ok']));
    expect(frame()).toContain('✔ Upgraded 1.0.0 → 1.1.0');
    expect(frame()).toContain('took 45s, the app was down 30s');
    expect(frame()).toContain('backup:\n    /tmp/gw-demo/.glowworm/backups/b.sql.gz\n');
    expect(frame()).toContain('1/1 checks passed');
  });

  it('shows the pull per layer with bytes and a total line while the engine runs its preflight step', async () => {
    const channel = new EventChannel('run-pull');
    const onInterrupt = vi.fn();
    const { app, frame } = setup(channel, onInterrupt);
    const { emit } = channel;
    emit({ type: 'run.started', command: 'upgrade', projectDir: '/tmp/gw-demo', resumed: false });
    emit({ type: 'step.started', step: 'observe', title: 'Look at the deployment: containers, images, database' });
    emit({ type: 'step.completed', step: 'observe', durationMs: 300 });
    emit({ type: 'step.started', step: 'preflight', title: 'Pull the new images and read their migrations and release notes' });
    const mb = 1_000_000; // docker counts decimal megabytes, and so do the screens
    emit({ type: 'pull.progress', step: 'preflight', image: 'registry/backend:1.1.0', layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 30 * mb, total: 120 * mb });
    emit({ type: 'pull.progress', step: 'preflight', image: 'registry/backend:1.1.0', layer: 'bbbbbbbbbbbb', status: 'Downloading', current: 10 * mb, total: 40 * mb });
    emit({ type: 'pull.progress', step: 'preflight', image: 'registry/backend:1.1.0', layer: 'cccccccccccc', status: 'Already exists' });
    await vi.waitFor(() => expect(frame()).toMatch(/aaaaaaaaaaaa Downloading .* 25% 30 MB \/ 120 MB/));
    expect(frame()).toMatch(/bbbbbbbbbbbb Downloading .* 25% 10 MB \/ 40 MB/);
    expect(frame()).toContain('registry/backend:1.1.0  1/3 layers, 40 MB / 160 MB');
    expect(frame()).toMatch(/Total .* 25%  40 MB \/ 160 MB, 1\/3 layers, 0\/1 image/);
    // Still the preparing screen: its phases, not the run screen's empty log box.
    expect(frame()).toContain('Preparing the upgrade of /tmp/gw-demo');
    expect(frame()).not.toContain('Backend log');
    emit({ type: 'pull.progress', step: 'preflight', image: 'registry/backend:1.1.0', layer: 'aaaaaaaaaaaa', status: 'Pull complete' });
    await vi.waitFor(() => expect(frame()).toMatch(/Total .* 81%  130 MB \/ 160 MB, 2\/3 layers/));
    expect(frame()).not.toContain('aaaaaaaaaaaa');
    // A ctrl-c during the pull is seen to be taken.
    app.stdin.write('\x03');
    await vi.waitFor(() => expect(frame()).toContain('Stopping at the next safe point'));
    expect(onInterrupt).toHaveBeenCalledTimes(1);
  });

  it('the run screen\'s log: timestamped, PgUp scrolls back and holds while lines arrive, f follows again', async () => {
    const channel = new EventChannel('run-log');
    const { app, frame } = setup(channel);
    const { emit } = channel;
    emit({ type: 'plan.ready', step: 'plan', plan: fixturePlan(), text: '' });
    emit({ type: 'step.started', step: '05-wait', title: 'Follow glowworm-backend while it migrates the database' });
    const line = (n: number) => emit({ type: 'log.line', service: 'glowworm-backend', stream: 'stdout', text: `INFO line ${n}`, level: 'info' });
    for (let n = 0; n < 12; n += 1) line(n);
    await vi.waitFor(() => expect(frame()).toContain('INFO line 11'));
    expect(frame()).toMatch(/\d\d:\d\d:\d\d   glowworm-backend \| INFO line 11/);
    expect(frame()).toContain('(7 earlier lines not shown)');
    app.stdin.write('\x1b[5~'); // PgUp
    await vi.waitFor(() => expect(frame()).toMatch(/INFO line 2 +│/));
    expect(frame()).not.toContain('INFO line 11');
    expect(frame()).toContain('scrolled back: 2 lines above, 5 newer below; f to follow');
    line(12);
    await vi.waitFor(() => expect(frame()).toContain('6 newer below'));
    expect(frame().match(/INFO line \d+/g)).toEqual(['INFO line 2', 'INFO line 3', 'INFO line 4', 'INFO line 5', 'INFO line 6']);
    app.stdin.write('f');
    await vi.waitFor(() => expect(frame()).toContain('INFO line 12'));
    expect(frame()).toContain('(8 earlier lines not shown)');
  });

  it('a resumed run names the steps it skips by their titles, never by their internal ids', async () => {
    const channel = new EventChannel('run-resume');
    const { frame } = setup(channel);
    const { emit } = channel;
    emit({ type: 'run.started', command: 'upgrade', projectDir: '/tmp/gw-demo', resumed: true });
    emit({ type: 'plan.ready', step: 'plan', plan: fixturePlan(), text: '' });
    emit({ type: 'step.skipped', step: '10-wait-migrations:glowworm-backend', title: 'Follow glowworm-backend while it migrates the database', reason: 'already done before the run was interrupted' });
    emit({ type: 'step.started', step: '11-verify:app', title: 'Verify the upgraded app' });
    await vi.waitFor(() => expect(frame()).toContain('Verify the upgraded app'));
    expect(frame()).toContain('- Follow glowworm-backend while it migrates the database  skipped: already done');
    expect(frame()).not.toContain('10-wait-migrations');
  });

  it('cancels with n at the plan and shows that nothing changed', async () => {
    const channel = new EventChannel('run-2');
    const { app, questions, finished, frame } = setup(channel);
    const plan = fixturePlan();
    channel.emit({ type: 'plan.ready', step: 'plan', plan, text: '' });
    const answer = questions.upgradeIO(new AbortController().signal).confirm(plan);
    await vi.waitFor(() => expect(frame()).toContain('n/q cancel'));
    app.stdin.write('n');
    await expect(answer).resolves.toBe(false);
    // What the engine sends after a "no" (upgrade.ts): the error as a notice, the closing event, the envelope's end.
    const error = { kind: 'aborted' as const, code: 'aborted', message: 'Upgrade cancelled; nothing was changed.' };
    channel.emit({ type: 'notice', level: 'error', message: error.message });
    channel.emit({ type: 'upgrade.failed', error, rolledBack: false, state: 'Nothing was changed: the running version is as it was.' });
    channel.emit({ type: 'run.finished', ok: false, outcome: 'aborted' });
    channel.close();
    await vi.waitFor(() => expect(finished).toEqual(['aborted']));
    expect(frame()).toContain('✘ The upgrade was stopped by you');
    expect(frame()).toContain('Where things stand: Nothing was changed: the running version is as it was.');
    // Said once, and not as "what failed": the user chose it.
    expect(frame().split('Upgrade cancelled; nothing was changed.').length - 1).toBe(1);
    expect(frame()).not.toContain('What failed');
  });

  it('shows what failed, the error lines, the rollback, where things stand and what to do next', async () => {
    const channel = new EventChannel('run-3');
    const { finished, frame } = setup(channel);
    const { emit } = channel;
    emit({ type: 'backup.completed', path: '/p/.glowworm/backups/b.sql.gz', sha256: 'ab', bytes: 4096, tables: 14, rows: 100 });
    emit({ type: 'step.started', step: '05-wait', title: 'Follow glowworm-backend while it migrates the database' });
    emit({ type: 'log.line', service: 'glowworm-backend', stream: 'stdout', text: '❌ Migration failed with return code 1', level: 'error' });
    emit({ type: 'log.line', service: 'glowworm-backend', stream: 'stdout', text: 'INFO just noise', level: 'info' });
    emit({ type: 'migration.failed', revision: '2024110900', message: "Duplicate column name 'resolution_width'" });
    emit({ type: 'step.failed', step: '05-wait', durationMs: 9000, error: { kind: 'external', code: 'migration.failed', message: 'the backend failed to migrate' } });
    emit({ type: 'rollback.started', reason: 'the backend failed to migrate' });
    await vi.waitFor(() => expect(frame()).toContain('↺ Rolling back: the backend failed to migrate'));
    emit({ type: 'rollback.completed', restoredDatabase: true, ok: true });
    emit({ type: 'upgrade.failed', error: { kind: 'external', code: 'migration.failed', message: 'the backend failed to migrate', hint: 'Run `glowworm doctor`.' }, rolledBack: true, state: 'Running 1.1.0 again, database restored from the backup; verified.' });
    emit({ type: 'run.finished', ok: false, outcome: 'failed-rolled-back' });
    channel.close();
    await vi.waitFor(() => expect(finished).toEqual(['failed-rolled-back']));
    const f = frame();
    expect(f).toContain('✘ The upgrade failed and everything was put back');
    expect(f).toContain('What failed: Follow glowworm-backend while it migrates the database: the backend failed to migrate');
    expect(f).not.toContain('05-wait');
    expect(f).toContain('✘ glowworm-backend | ❌ Migration failed with return code 1');
    expect(f.split('Error lines from the log')[1]).not.toContain('INFO just noise');
    expect(f).toContain('Rollback: ✔ completed, database restored from the backup');
    expect(f).toContain('Where things stand: Running 1.1.0 again, database restored from the backup; verified.');
    expect(f).toContain('Next: Run `glowworm doctor`.');
    expect(f).toContain("[✘] 2024110900");
  });

  it('keeps handling keys and a bounded log while the backend floods its log', async () => {
    const stop = new AbortController();
    let produced = 0;
    let producedAtInterrupt = -1;
    async function* flood(): AsyncGenerator<EngineEvent> {
      const base = { runId: 'r', step: '05-wait', ts: 0 };
      yield { ...base, type: 'plan.ready', plan: fixturePlan(), text: '' };
      yield { ...base, type: 'step.started', title: 'Follow glowworm-backend while it migrates the database' };
      // Never waits: every line is already there, as when the engine has buffered a burst. Only the key press ends it.
      while (!stop.signal.aborted) {
        produced += 1;
        yield { ...base, type: 'log.line', service: 'glowworm-backend', stream: 'stdout', text: `INFO line ${produced}`, level: 'info' };
      }
      yield { ...base, type: 'run.finished', ok: false, outcome: 'aborted' };
    }
    const onInterrupt = vi.fn(() => {
      producedAtInterrupt = produced;
      stop.abort();
    });
    const { app, finished, frame } = setup(flood(), onInterrupt);
    // The key arrives through the event loop, as a real terminal's would: if reading the flood starved the loop,
    // this would never run and the test would time out.
    let duringFlood = '';
    const pressCtrlC = () => {
      if (produced < 100_000) return void setImmediate(pressCtrlC);
      duringFlood = frame();
      app.stdin.write('\x03');
    };
    setImmediate(pressCtrlC);
    await vi.waitFor(() => expect(onInterrupt).toHaveBeenCalledTimes(1), { timeout: 20_000 });
    await vi.waitFor(() => expect(finished).toEqual(['aborted']), { timeout: 20_000 });
    expect(producedAtInterrupt).toBeGreaterThanOrEqual(100_000);
    // The run screen as it was during the flood: five lines shown, tens of thousands counted but not kept.
    expect(duringFlood).toContain('Backend log');
    expect(Number(/\((\d+) earlier lines not shown\)/.exec(duringFlood)?.[1])).toBeGreaterThan(50_000);
    expect(duringFlood.match(/INFO line \d+/g)).toHaveLength(5);
  }, 30_000);
});
