import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events.js';
import { writeJson } from './json-writer.js';
import { Output } from './output.js';
import { writePlain } from './plain-writer.js';

/** A stream whose reader goes away after `lines` writes, as `| head -n N` does: every later write fails with EPIPE. */
function closesAfter(lines: number): Writable & { received: number } {
  let n = 0;
  const stream = new Writable({
    highWaterMark: 1, // every write "fills" it, so a writer that waits for 'drain' is put to the test
    write(_chunk, _enc, done) {
      n += 1;
      if (n > lines) done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      else setImmediate(done);
    },
  });
  return Object.defineProperty(stream, 'received', { get: () => Math.min(n, lines) }) as Writable & { received: number };
}

async function* notices(count: number): AsyncGenerator<EngineEvent> {
  for (let i = 0; i < count; i++) yield { type: 'notice', level: 'info', message: `line ${i}`, runId: 'r', step: 'run', ts: i } as EngineEvent;
}

/** Counts what the writer consumed: a writer stuck on a broken stream stops pulling events, and the run's end is lost. */
async function* counted(events: AsyncGenerator<EngineEvent>, seen: { n: number }): AsyncGenerator<EngineEvent> {
  for await (const e of events) {
    seen.n += 1;
    yield e;
  }
}

describe('writers on a stream whose reader went away', () => {
  for (const [name, write] of [['writeJson', writeJson], ['writePlain', writePlain]] as const) {
    it(`${name} consumes every event to the end, without an unhandled error or waiting for a drain that never comes`, async () => {
      const out = closesAfter(3);
      const seen = { n: 0 };
      const finished = write(counted(notices(50), seen), out);
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the writer hung')), 2000));
      await Promise.race([finished, timeout]);
      expect(seen.n).toBe(50);
      expect(out.received).toBe(3);
    });
  }
});

describe('Output', () => {
  it('stops writing once the stream failed, and says so', async () => {
    const out = closesAfter(1);
    const output = new Output(out);
    await output.write('a\n');
    await output.write('b\n'); // fails: EPIPE
    await new Promise((r) => setImmediate(r));
    expect(output.open).toBe(false);
    await output.write('c\n'); // dropped, resolves at once
  });

  it('resolves a write waiting for a drain when the stream closes instead', async () => {
    const stuck = new Writable({ highWaterMark: 1, write() { /* never completes: a reader that stopped reading */ } });
    const output = new Output(stuck);
    const pending = output.write('x'.repeat(10));
    stuck.destroy();
    await pending;
    expect(output.open).toBe(false);
  });
});
