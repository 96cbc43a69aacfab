import { describe, expect, it } from 'vitest';
import { consumeInBatches } from './consume-in-batches.js';

async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

describe('consumeInBatches', () => {
  it('hands every item on, in order, in fewer batches than items', async () => {
    const batches: number[][] = [];
    await consumeInBatches(numbers(50_000), (b) => batches.push(b), { flushMs: 20, yieldMs: 2 });
    expect(batches.flat()).toEqual(Array.from({ length: 50_000 }, (_, i) => i));
    expect(batches.length).toBeLessThan(1000);
  });

  it('lets timers run while reading an endless, already-full stream', async () => {
    let stop = false;
    async function* endless(): AsyncGenerator<number> {
      for (let i = 0; !stop; i++) yield i;
    }
    setImmediate(() => (stop = true)); // runs only if the reader gives the event loop a turn
    let seen = 0;
    await consumeInBatches(endless(), (b) => (seen += b.length), { flushMs: 10, yieldMs: 2 });
    expect(seen).toBeGreaterThan(0);
  });

  it('delivers the last items of a slow stream without waiting for more', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    async function* slow(): AsyncGenerator<string> {
      yield 'first';
      await new Promise<void>((r) => (release = r));
      yield 'second';
    }
    const done = consumeInBatches(slow(), (b) => batches.push(b), { flushMs: 10_000, yieldMs: 8 });
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toEqual([['first']]);
    release();
    await done;
    expect(batches).toEqual([['first'], ['second']]);
  });

  it('stops handing on after its signal', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    await consumeInBatches(numbers(10), (b) => {
      seen.push(...b);
      stop.abort();
    }, { flushMs: 0, yieldMs: 1, signal: stop.signal });
    expect(seen).toEqual([0]);
  });
});
