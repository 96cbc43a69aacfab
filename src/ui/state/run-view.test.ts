import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events.js';
import { ev, fixturePlan } from './events.fixture.js';
import { initialRunView, reduceRunEvent, reduceRunEvents } from './run-view.js';

const reduceAll = (events: EngineEvent[]) => events.reduce(reduceRunEvent, initialRunView());

/** A verify.check that passed with no baseline, unless told otherwise. */
const check = (fields: Partial<EventOf<'verify.check'>> & Pick<EventOf<'verify.check'>, 'check' | 'detail'>) =>
  ev('verify.check', { container: null, ok: true, passed: true, failure: null, baseline: 'not-recorded', baselineDetail: null, ...fields });

describe('run view reducer', () => {
  it('tracks pulls per image and per layer, keeping the totals when a layer completes', () => {
    const view = reduceAll([
      ev('run.started', { command: 'upgrade', projectDir: '/p', resumed: false }),
      ev('pull.progress', { step: 'preflight', image: 'r/backend:1.1.0', layer: '1.1.0', status: 'Pulling from glowworm/backend' }),
      ev('pull.progress', { step: 'preflight', image: 'r/backend:1.1.0', layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 50, total: 200 }),
      ev('pull.progress', { step: 'preflight', image: 'r/backend:1.1.0', layer: 'bbbbbbbbbbbb', status: 'Already exists' }),
      ev('pull.progress', { step: 'preflight', image: 'r/backend:1.1.0', layer: 'aaaaaaaaaaaa', status: 'Pull complete' }),
      ev('pull.completed', { step: 'preflight', image: 'r/backend:1.1.0', digest: 'sha256:1234' }),
    ]);
    expect(view.activeStep).toBe('preflight');
    expect(view.pulls).toEqual([{
      image: 'r/backend:1.1.0',
      status: 'Pulling from glowworm/backend',
      layers: [
        { id: 'aaaaaaaaaaaa', status: 'Pull complete', current: 200, total: 200 },
        { id: 'bbbbbbbbbbbb', status: 'Already exists', current: null, total: null },
      ],
      done: true,
      digest: 'sha256:1234',
    }]);
  });

  it('moves steps from live to finished with durations, summaries, skips and failures', () => {
    const view = reduceAll([
      ev('step.started', { step: '01-stop', title: 'Stop glowworm-frontend' }),
      ev('step.completed', { step: '01-stop', durationMs: 1200, summary: 'stopped' }),
      ev('step.skipped', { step: '02-backup', title: 'Back up the database', reason: 'already done before the run was interrupted' }),
      ev('step.started', { step: '03-recreate', title: 'Recreate glowworm-backend' }),
    ]);
    expect(view.steps.live).toMatchObject({ id: '03-recreate', status: 'running' });
    expect(view.steps.finished.map((s) => [s.id, s.title, s.status, s.durationMs, s.note])).toEqual([
      ['01-stop', 'Stop glowworm-frontend', 'completed', 1200, 'stopped'],
      ['02-backup', 'Back up the database', 'skipped', null, 'already done before the run was interrupted'],
    ]);
    const failed = reduceRunEvent(view, ev('step.failed', { step: '03-recreate', durationMs: 50, error: { kind: 'external', code: 'x', message: 'boom' } }));
    expect(failed.steps.live).toBeNull();
    expect(failed.steps.finished.at(-1)).toMatchObject({ id: '03-recreate', title: 'Recreate glowworm-backend', status: 'failed', error: { message: 'boom' } });
  });

  it('seeds the migration checklist from the plan, ticks applied revisions and crosses a failed one', () => {
    const plan = fixturePlan();
    const view = reduceAll([
      ev('plan.ready', { step: 'plan', plan, text: '' }),
      ev('migration.applied', { revision: 'c2d3e4f5g6h7', from: 'a1b2c3d4e5f6', message: 'create user logs table' }),
      ev('migration.failed', { revision: '1c0cd51f0957', message: "Duplicate column name 'x'" }),
      ev('migration.applied', { revision: 'zzzz', from: 'a, b', message: 'not in the plan' }),
    ]);
    expect(view.migrations.map((m) => [m.revision, m.mark, m.isMerge, m.failure])).toEqual([
      ['c2d3e4f5g6h7', 'applied', false, null],
      ['1c0cd51f0957', 'failed', false, "Duplicate column name 'x'"],
      ['366388fee193', 'pending', true, null],
      ['ce5826f818f3', 'pending', false, null],
      ['zzzz', 'applied', true, null],
    ]);
  });

  it('crosses the first pending revision when the backend does not name the failing one', () => {
    const view = reduceAll([
      ev('plan.ready', { step: 'plan', plan: fixturePlan(), text: '' }),
      ev('migration.applied', { revision: 'c2d3e4f5g6h7', from: null, message: null }),
      ev('migration.failed', { revision: null, message: 'Migration failed with return code 1' }),
    ]);
    expect(view.migrations.filter((m) => m.mark === 'failed').map((m) => m.revision)).toEqual(['1c0cd51f0957']);
  });

  it('keeps error log lines apart, and the last check result per verify check', () => {
    const view = reduceAll([
      ev('log.line', { service: 'b', stream: 'stdout', text: 'ok', level: 'info' }),
      ev('log.line', { service: 'b', stream: 'stderr', text: '❌ Migration failed', level: 'error' }),
      check({ check: 'schema', ok: false, passed: false, failure: 'missing:users', detail: 'missing users' }),
      check({ check: 'schema', detail: '14 tables' }),
      check({ check: 'http-health', detail: '200' }),
    ]);
    expect(view.logs.lines.map((l) => l.text)).toEqual(['ok', '❌ Migration failed']);
    expect(view.errorLogs.lines.map((l) => l.text)).toEqual(['❌ Migration failed']);
    expect(view.verify.map((c) => [c.key, c.ok, c.detail])).toEqual([['schema', true, '14 tables'], ['http-health', true, '200']]);
  });

  it('keeps one row per container, and tells an already-failing check (not ok, but not failing the run) from a new failure', () => {
    const view = reduceAll([
      check({ check: 'container-health', container: 'glowworm-backend', detail: 'running, healthy' }),
      check({ check: 'container-health', container: 'glowworm-celery-worker', ok: false, passed: false, failure: 'exited', baseline: 'passed', detail: 'exited' }),
      check({ check: 'settings-api', ok: true, passed: false, failure: 'http-500', baseline: 'failed-same', baselineDetail: 'GET /api/settings answered 500', detail: 'GET /api/settings answered 500' }),
    ]);
    expect(view.verify.map((c) => [c.key, c.ok, c.failsRun, c.baseline])).toEqual([
      ['container-health:glowworm-backend', true, false, 'not-recorded'],
      ['container-health:glowworm-celery-worker', false, true, 'passed'],
      ['settings-api', false, false, 'failed-same'],
    ]);
  });

  it('records backup progress, completion and verification, rollback and the outcome', () => {
    const view = reduceAll([
      ev('backup.progress', { bytes: 1000 }),
      ev('backup.completed', { path: '/b.sql.gz', sha256: 'ff', bytes: 2000, tables: 14, rows: 9000 }),
      ev('backup.verified', { path: '/b.sql.gz', tables: 14, checksumsMatch: true }),
      ev('rollback.started', { reason: 'migration failed' }),
      ev('rollback.completed', { restoredDatabase: true, ok: true }),
      ev('upgrade.failed', { error: { kind: 'external', code: 'm', message: 'migration failed', hint: 'see doctor' }, rolledBack: true, state: 'Running 1.1.0 again' }),
      ev('run.finished', { ok: false, outcome: 'failed-rolled-back' }),
    ]);
    expect(view.backup).toEqual({ bytes: 2000, total: null, etaSeconds: null, path: '/b.sql.gz', sha256: 'ff', tables: 14, rows: 9000, verified: true });
    expect(view.rollback).toEqual({ reason: 'migration failed', ok: true, restoredDatabase: true });
    expect(view.result).toMatchObject({ kind: 'failed', rolledBack: true, state: 'Running 1.1.0 again' });
    expect(view.finished).toEqual({ ok: false, outcome: 'failed-rolled-back' });
  });

  it('bounds memory under a flood: 100,000 log lines leave the buffer at its capacity', () => {
    const flood = Array.from({ length: 100_000 }, (_, i) => ev('log.line', { service: 'b', stream: 'stdout', text: `INFO line ${i}`, level: i % 1000 === 0 ? 'error' : 'info' }));
    let view = initialRunView(300);
    for (let i = 0; i < flood.length; i += 2000) view = reduceRunEvents(view, flood.slice(i, i + 2000));
    expect(view.logs.lines).toHaveLength(300);
    expect(view.logs.total).toBe(100_000);
    expect(view.logs.lines.at(-1)?.text).toBe('INFO line 99999');
    expect(view.errorLogs.lines.length).toBeLessThanOrEqual(view.errorLogs.capacity);
    expect(view.errorLogs.total).toBe(100);
  });

  it('gives the same view batched or one event at a time', () => {
    const events = [
      ev('step.started', { step: 's1', title: 'Follow' }),
      ev('log.line', { step: 's1', service: 'b', stream: 'stdout', text: 'a', level: 'info' }),
      ev('migration.applied', { step: 's1', revision: 'r1', from: null, message: 'm' }),
      ev('log.line', { step: 's1', service: 'b', stream: 'stdout', text: 'b', level: 'warn' }),
      ev('step.completed', { step: 's1', durationMs: 5 }),
    ];
    expect(reduceRunEvents(initialRunView(), events)).toEqual(reduceAll(events));
  });
});
