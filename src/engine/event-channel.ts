// Turns push-style emission inside the engine into the `AsyncIterable<EngineEvent>` consumers read (design.md rule 1).
// Every event is stamped (runId, step, ts) and redacted here, in one place.

import type { EngineEvent, EventPayload } from './events.js';
import { Redactor } from './secrets.js';

export type Emit = (payload: EventPayload) => void;

export class EventChannel implements AsyncIterable<EngineEvent> {
  private queue: EngineEvent[] = [];
  private waiting: ((r: IteratorResult<EngineEvent>) => void) | null = null;
  private closed = false;
  private failure: unknown = null;
  private consumed = false;
  private readonly types = new Set<string>();

  constructor(
    readonly runId: string,
    readonly redactor: Redactor = new Redactor(),
    private defaultStep: string = 'run',
  ) {}

  /** Events emitted without an explicit step belong to the current one. */
  setStep(step: string): void {
    this.defaultStep = step;
  }

  get step(): string {
    return this.defaultStep;
  }

  /** Whether an event of this type was emitted (a command checks it has said how it ended). */
  emitted(type: EngineEvent['type']): boolean {
    return this.types.has(type);
  }

  readonly emit: Emit = (payload) => {
    if (this.closed) return;
    this.types.add(payload.type);
    const event = this.redactor.redact({
      ...payload,
      runId: this.runId,
      step: payload.step ?? this.defaultStep,
      ts: Date.now(),
    }) as EngineEvent;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  };

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error ?? null;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<EngineEvent> {
    if (this.consumed) throw new Error('An EventChannel has exactly one consumer.');
    this.consumed = true;
    return {
      next: () => {
        const value = this.queue.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (this.closed) {
          if (this.failure) return Promise.reject(this.failure);
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

/** Run `body` with an emitter and expose its events as a stream; the stream ends when `body` settles. */
export function streamRun(
  runId: string,
  body: (channel: EventChannel) => Promise<void>,
  redactor?: Redactor,
): AsyncIterable<EngineEvent> {
  const channel = new EventChannel(runId, redactor);
  // Start on the next tick so the consumer is attached before the first event.
  queueMicrotask(() => {
    body(channel).then(
      () => channel.close(),
      (error) => channel.close(error),
    );
  });
  return channel;
}
