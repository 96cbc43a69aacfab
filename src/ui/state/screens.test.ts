// Which screen or stage shows, for upgrade and reset, from view state alone.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events.js';
import type { Question } from '../question-bridge.js';
import { ev, fixturePlan } from './events.fixture.js';
import { resetStageOf } from './reset-stage.js';
import { initialRunView, reduceRunEvents } from './run-view.js';
import { preparingPhases, upgradeScreenOf } from './upgrade-screen.js';

const viewOf = (events: EngineEvent[]) => reduceRunEvents(initialRunView(), events);
const planQ: Question = { kind: 'plan', plan: fixturePlan() };

describe('upgrade screens', () => {
  it('prepares, then shows the plan while the engine asks, then the run, then the end', () => {
    const started = [ev('run.started', { command: 'upgrade', projectDir: '/p', resumed: false })];
    expect(upgradeScreenOf(viewOf(started), null, false)).toBe('preparing');
    expect(upgradeScreenOf(viewOf(started), planQ, false)).toBe('plan');
    const running = [...started, ev('plan.ready', { step: 'plan', plan: fixturePlan(), text: '' }), ev('step.started', { step: '01-stop', title: 'Stop' })];
    expect(upgradeScreenOf(viewOf(running), null, false)).toBe('run');
    expect(upgradeScreenOf(viewOf([...running, ev('run.finished', { ok: true, outcome: 'ok' })]), null, true)).toBe('success');
    expect(upgradeScreenOf(viewOf([...running, ev('run.finished', { ok: false, outcome: 'failed-rolled-back' })]), null, true)).toBe('failure');
  });

  it('stays on the preparing screen through the look and the pull, which the engine announces as steps', () => {
    const look = [ev('run.started', { command: 'upgrade', projectDir: '/p', resumed: false }), ev('step.started', { step: 'observe', title: 'Look' }), ev('step.completed', { step: 'observe', durationMs: 300 })];
    const pulling = [...look, ev('step.started', { step: 'preflight', title: 'Pull' }), ev('pull.progress', { step: 'preflight', image: 'b:1', layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 1, total: 2 })];
    expect(upgradeScreenOf(viewOf(pulling), null, false)).toBe('preparing');
    expect(preparingPhases(viewOf(look))).toEqual({ discover: 'done', pull: 'waiting', readImage: 'waiting' });
    const failed = [...pulling, ev('upgrade.failed', { error: { kind: 'external', code: 'x', message: 'registry down' }, rolledBack: false, state: 'Nothing was changed.' })];
    expect(upgradeScreenOf(viewOf(failed), null, false)).toBe('run');
  });

  it('treats a stream that ends without run.finished as a failure', () => {
    expect(upgradeScreenOf(viewOf([]), null, true)).toBe('failure');
  });

  it('phases: discover, then pull per image, then read the image, until the plan is there', () => {
    const pull = (image: string) => ev('pull.progress', { step: 'preflight', image, layer: 'aaaaaaaaaaaa', status: 'Downloading', current: 1, total: 2 });
    const done = (image: string) => ev('pull.completed', { step: 'preflight', image, digest: null });
    expect(preparingPhases(viewOf([]))).toEqual({ discover: 'active', pull: 'waiting', readImage: 'waiting' });
    expect(preparingPhases(viewOf([pull('a'), pull('b'), done('a')]))).toEqual({ discover: 'done', pull: 'active', readImage: 'waiting' });
    expect(preparingPhases(viewOf([pull('a'), done('a')]))).toEqual({ discover: 'done', pull: 'done', readImage: 'active' });
    expect(preparingPhases(viewOf([ev('plan.ready', { step: 'plan', plan: fixturePlan(), text: '' })]))).toEqual({ discover: 'done', pull: 'done', readImage: 'done' });
  });
});

describe('reset stages', () => {
  const yesNo: Question = { kind: 'yes-no', summary: 'Reset?' };
  const typed: Question = { kind: 'typed', expected: 'glowworm', prompt: 'Type it' };
  const backup = [ev('step.started', { step: 'backup', title: 'Back up' }), ev('step.completed', { step: 'backup', durationMs: 1 })];

  it('looks, explains, runs, then asks for the typed name', () => {
    expect(resetStageOf(viewOf([]), null, false)).toBe('looking');
    expect(resetStageOf(viewOf([]), yesNo, false)).toBe('explain');
    expect(resetStageOf(viewOf(backup), null, false)).toBe('running');
    expect(resetStageOf(viewOf(backup), typed, false)).toBe('typed');
  });

  it('calls a stop before the drop a refusal, and anything after the drop started a failure', () => {
    const aborted = ev('run.finished', { ok: false, outcome: 'aborted' });
    expect(resetStageOf(viewOf([...backup, aborted]), null, true)).toBe('refused');
    expect(resetStageOf(viewOf([...backup, ev('run.finished', { ok: false, outcome: 'usage' })]), null, true)).toBe('refused');
    const dropFailed = ev('step.failed', { step: 'drop-create', durationMs: 1, error: { kind: 'external', code: 'db', message: 'x' } });
    expect(resetStageOf(viewOf([...backup, dropFailed, aborted]), null, true)).toBe('failed');
    expect(resetStageOf(viewOf([...backup, ev('run.finished', { ok: false, outcome: 'external' })]), null, true)).toBe('failed');
    expect(resetStageOf(viewOf([...backup, ev('run.finished', { ok: true, outcome: 'ok' })]), null, true)).toBe('done');
  });
});
