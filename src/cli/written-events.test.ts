import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EventChannel } from '../engine/event-channel.js';
import { writePlain } from '../headless/plain-writer.js';
import { fixturePlan } from '../ui/state/events.fixture.js';
import { askAfter } from './confirm.js';
import { WrittenEvents } from './written-events.js';

/** A reader slower than the engine (a pipe into tee): each write is taken 20 ms later. */
function slowStream(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, done) {
      setTimeout(() => {
        text += chunk.toString();
        done();
      }, 20);
    },
  });
  return { stream, text: () => text };
}

describe('the plain prompt of an upgrade', () => {
  it('is asked only once the plan has reached the reader, though the engine asks right after emitting it', async () => {
    const channel = new EventChannel('r');
    const { stream, text } = slowStream();
    const written = new WrittenEvents();
    const writing = writePlain(channel, stream, written.mark);
    channel.emit({ type: 'run.started', command: 'upgrade', projectDir: '/p', resumed: false });
    channel.emit({ type: 'step.started', step: 'preflight', title: 'Pull the new images' });
    channel.emit({ type: 'plan.ready', step: 'plan', plan: fixturePlan(), text: 'THE PLAN, line 1\nTHE PLAN, last line' });
    // What the engine does next: ask at once (upgrade.ts awaits io.confirm right after emitting plan.ready).
    let shownWhenAsked = '';
    const answer = await askAfter(written.until('plan.ready'), 'Upgrade now?', async () => {
      shownWhenAsked = text();
      return true;
    });
    expect(answer).toBe(true);
    expect(shownWhenAsked).toContain('THE PLAN, last line');
    channel.close();
    await writing;
  });

  it('does not wait for a plan written before the question', async () => {
    const written = new WrittenEvents();
    written.mark({ runId: 'r', step: 'plan', ts: 0, type: 'plan.ready', plan: fixturePlan(), text: '' });
    await expect(askAfter(written.until('plan.ready'), 'q', async () => true)).resolves.toBe(true);
  });
});
