// Subscribes to a service's log stream (doctor's "Show logs") into a bounded buffer, in batches at a bounded rate.
import { useEffect, useState } from 'react';
import type { ServiceLogLine } from '../../engine/api.js';
import { toGlowwormError } from '../../engine/errors.js';
import { appendLogLines, emptyLogBuffer, type LogBuffer } from '../state/log-buffer.js';
import { consumeInBatches, DEFAULT_BATCHING, type BatchOptions } from './consume-in-batches.js';

export interface LogStreamState {
  buffer: LogBuffer;
  done: boolean;
  error: string | null;
}

export function useLogStream(lines: AsyncIterable<ServiceLogLine> | null, capacity = 500, batching: Partial<BatchOptions> = {}): LogStreamState {
  const [state, setState] = useState<LogStreamState>(() => ({ buffer: emptyLogBuffer(capacity), done: false, error: null }));
  const { flushMs = DEFAULT_BATCHING.flushMs, yieldMs = DEFAULT_BATCHING.yieldMs } = batching;
  useEffect(() => {
    if (!lines) return;
    const stop = new AbortController();
    setState({ buffer: emptyLogBuffer(capacity), done: false, error: null });
    const onBatch = (batch: ServiceLogLine[]) =>
      setState((s) => ({ ...s, buffer: appendLogLines(s.buffer, batch.map((l) => ({ service: l.service, text: l.text, level: l.level, ts: l.ts ?? null }))) }));
    consumeInBatches(lines, onBatch, { flushMs, yieldMs, signal: stop.signal }).then(
      () => !stop.signal.aborted && setState((s) => ({ ...s, done: true })),
      (error: unknown) => !stop.signal.aborted && setState((s) => ({ ...s, done: true, error: toGlowwormError(error).message })),
    );
    return () => stop.abort();
  }, [lines, capacity, flushMs, yieldMs]);
  return state;
}
