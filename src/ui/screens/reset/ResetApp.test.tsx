import { render } from 'ink-testing-library';
import { KeyRouter } from '../../components/KeyRouter.js';
import { describe, expect, it, vi } from 'vitest';
import type { TypedConfirmIO } from '../../../engine/api.js';
import { abortedError } from '../../../engine/errors.js';
import type { RunOutcome } from '../../../engine/events.js';
import { scriptedRun } from '../../fake-engine.fixture.js';
import { QuestionBridge, TYPED_CANCELLED } from '../../question-bridge.js';
import { ResetApp } from './ResetApp.js';

const BACKUP = '/tmp/gw-demo/.glowworm/backups/b.sql.gz';

/** The shape of the engine's reset: confirm, typed name, verified backup while the app serves, stop, catch-up, drop, migrate from zero. */
function resetScript(io: TypedConfirmIO, dropped: { value: boolean }, stopped: { value: boolean }) {
  return scriptedRun('reset', async (emit) => {
    if (!(await io.confirm('Reset the database "glowworm": every table and row in it will be deleted.'))) throw abortedError('Reset cancelled; nothing was changed.');
    if (!(await io.confirmTyped('glowworm', 'Type the database name "glowworm" to delete everything in it (a verified backup is taken first):'))) {
      throw abortedError('The typed name did not match; nothing was changed.');
    }
    emit({ type: 'step.started', step: 'backup', title: 'Back up (while the app serves) and verify the database (required)' });
    emit({ type: 'backup.completed', path: BACKUP, sha256: 'ab', bytes: 2048, tables: 12, rows: 5000 });
    emit({ type: 'backup.verified', path: BACKUP, tables: 12, checksumsMatch: true });
    emit({ type: 'step.completed', step: 'backup', durationMs: 3000 });
    stopped.value = true;
    emit({ type: 'step.started', step: 'stop', title: 'Stop the app' });
    emit({ type: 'step.completed', step: 'stop', durationMs: 500 });
    emit({ type: 'step.started', step: 'catch-up', title: 'Copy the changes made since the backup into it, and prove it equal to the database' });
    emit({ type: 'step.completed', step: 'catch-up', durationMs: 200, summary: 'nothing had changed' });
    emit({ type: 'step.started', step: 'drop-create', title: 'Drop and recreate glowworm' });
    dropped.value = true;
    emit({ type: 'step.completed', step: 'drop-create', durationMs: 40 });
    emit({ type: 'migration.applied', revision: '000000000001', from: null, message: 'initial schema' });
    emit({ type: 'notice', level: 'info', message: `The database was reset.\nTo go back: glowworm restore ${BACKUP}` });
    return 'ok';
  });
}

function setup() {
  const questions = new QuestionBridge();
  const dropped = { value: false };
  const stopped = { value: false };
  const finished: (RunOutcome | null)[] = [];
  const onInterrupt = vi.fn();
  const app = render(<KeyRouter><ResetApp events={resetScript(questions.runIO(new AbortController().signal), dropped, stopped)} questions={questions} onInterrupt={onInterrupt} onFinished={(o) => finished.push(o)} batching={{ flushMs: 5, yieldMs: 4 }} /></KeyRouter>);
  return { app, dropped, stopped, finished, frame: () => app.lastFrame() ?? '' };
}

/** Answer y to the explanation and wait for the typed-name prompt. */
async function toTypedPrompt(s: ReturnType<typeof setup>) {
  await vi.waitFor(() => expect(s.frame()).toContain('? Start the reset?'));
  s.app.stdin.write('y');
  await vi.waitFor(() => expect(s.frame()).toContain('Type "glowworm" to go on:'));
}

/** Type `text` at the typed prompt, then press `key`: the reset ends refused, nothing dropped. */
async function typeThenEnd(text: string, key: string) {
  const s = setup();
  await toTypedPrompt(s);
  s.app.stdin.write(text);
  await vi.waitFor(() => expect(s.frame()).toContain(`to go on: ${text}`));
  s.app.stdin.write(key);
  await vi.waitFor(() => expect(s.finished).toEqual(['aborted']));
  expect(s.dropped.value).toBe(false);
  expect(s.stopped.value).toBe(false);
  expect(s.frame()).toContain('✘ Reset refused: nothing was deleted.');
  return s;
}

describe('ResetApp', () => {
  it('explains every step first, asks for the name to be typed before anything stops, then takes the backup', async () => {
    const s = setup();
    await vi.waitFor(() => expect(s.frame()).toContain('? Start the reset?'));
    expect(s.frame()).toContain('1. Ask you to type the database name, before anything stops.');
    expect(s.frame()).toContain('2. Back up the database while the app serves');
    expect(s.frame()).toContain('Reset the database "glowworm": every table and row in it will be deleted.');
    await toTypedPrompt(s);
    expect(s.stopped.value).toBe(false);
    s.app.stdin.write('glowworm\r');
    await vi.waitFor(() => expect(s.frame()).toContain('✔ Back up (while the app serves) and verify the database (required)  3s'));
    expect(s.frame()).toContain(`Backup: ${BACKUP} (2.05 kB gzip, 12 tables, 5000 rows), ✔ verified`);
  });

  it('refuses when the typed name is wrong: nothing is dropped, and it says so', async () => {
    const s = await typeThenEnd('glowwrm', '\r');
    expect(s.frame()).toContain('✘ The typed name did not match; nothing was changed.');
  });

  it('esc at the typed prompt says the reset was cancelled, not that the name did not match', async () => {
    const s = await typeThenEnd('glow', '\x1b');
    expect(s.frame()).toContain(TYPED_CANCELLED);
    expect(s.frame()).not.toContain('did not match');
  });

  it('with the right name resets, follows migrations from zero, and ends with the restore command', async () => {
    const s = setup();
    await toTypedPrompt(s);
    s.app.stdin.write('glowworm\r');
    await vi.waitFor(() => expect(s.finished).toEqual(['ok']));
    expect(s.dropped.value).toBe(true);
    expect(s.frame()).toContain('✔ The database was reset and migrated from zero.');
    expect(s.frame()).toContain('[✔] 000000000001');
    expect(s.frame()).toContain(`To go back to the database as it was before the reset:\n  glowworm restore ${BACKUP}`);
  });

  it('answered n at the explanation: nothing happens', async () => {
    const s = setup();
    await vi.waitFor(() => expect(s.frame()).toContain('? Start the reset?'));
    s.app.stdin.write('n');
    await vi.waitFor(() => expect(s.finished).toEqual(['aborted']));
    expect(s.frame()).toContain('✘ Reset refused: nothing was deleted.');
    expect(s.frame()).toContain('Reset cancelled; nothing was changed.');
  });
});
