// Subscribes to one engine run: reads its events (in batches, see consume-in-batches) into the run reducer. The
// stream is created by whoever starts the run; this hook only listens, once per stream.
import { useEffect, useState } from 'react';
import type { EngineEvent } from '../../engine/events.js';
import { initialRunView, reduceRunEvents, type RunView } from '../state/run-view.js';
import { consumeInBatches, DEFAULT_BATCHING, type BatchOptions } from './consume-in-batches.js';

export interface EngineRunState {
  view: RunView;
  /** The stream ended (with or without `run.finished`). */
  done: boolean;
  /** The stream itself failed (not a failed run: those arrive as events). */
  streamError: string | null;
}

export function useEngineRun(events: AsyncIterable<EngineEvent> | null, options: Partial<BatchOptions> & { logCapacity?: number } = {}): EngineRunState {
  const [state, setState] = useState<EngineRunState>(() => ({ view: initialRunView(options.logCapacity), done: false, streamError: null }));
  const { flushMs = DEFAULT_BATCHING.flushMs, yieldMs = DEFAULT_BATCHING.yieldMs, logCapacity } = options;
  useEffect(() => {
    if (!events) return;
    const stop = new AbortController();
    setState({ view: initialRunView(logCapacity), done: false, streamError: null });
    const onBatch = (batch: EngineEvent[]) => setState((s) => ({ ...s, view: reduceRunEvents(s.view, batch) }));
    consumeInBatches(events, onBatch, { flushMs, yieldMs, signal: stop.signal }).then(
      () => !stop.signal.aborted && setState((s) => ({ ...s, done: true })),
      (error: unknown) => !stop.signal.aborted && setState((s) => ({ ...s, done: true, streamError: error instanceof Error ? error.message : String(error) })),
    );
    return () => stop.abort();
  }, [events, flushMs, yieldMs, logCapacity]);
  return state;
}
