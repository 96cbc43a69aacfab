// Reads a stream as fast as it comes but hands it on in batches, at most one per `flushMs`. A stream that is already
// full (the engine buffered 100k log lines) would otherwise be read entirely in microtasks, starving stdin: so the
// reader also gives the event loop a turn every `yieldMs`, which is what keeps key presses working during a flood.
export interface BatchOptions {
  /** Minimum time between two batches (the render rate). */
  flushMs: number;
  /** Longest stretch of reading before the event loop gets a turn (keys, timers). */
  yieldMs: number;
  signal?: AbortSignal;
}

export const DEFAULT_BATCHING: BatchOptions = { flushMs: 80, yieldMs: 8 };

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function consumeInBatches<T>(source: AsyncIterable<T>, onBatch: (batch: T[]) => void, options: BatchOptions = DEFAULT_BATCHING): Promise<void> {
  let pending: T[] = [];
  let lastFlush = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0 || options.signal?.aborted) return;
    const batch = pending;
    pending = [];
    lastFlush = Date.now();
    onBatch(batch);
  };
  let lastTurn = Date.now();
  try {
    for await (const item of source) {
      if (options.signal?.aborted) break;
      pending.push(item);
      const now = Date.now();
      if (now - lastFlush >= options.flushMs) flush();
      else timer ??= setTimeout(flush, options.flushMs - (now - lastFlush));
      if (now - lastTurn >= options.yieldMs) {
        await turn();
        lastTurn = Date.now();
      }
    }
  } finally {
    flush();
  }
}
