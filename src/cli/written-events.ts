// A question at a plain prompt must come after what it asks about has reached the reader. The engine emits
// `plan.ready` and asks `confirm(plan)` at once, while the writer may still be behind it: with `| tee out.txt` the
// prompt (on stderr, the terminal) then appeared above a 160-line plan still on its way through stdout, and scrolled
// away. The writer marks each event once its line is written; the prompt waits for the one it is about.
import type { EngineEvent, EngineEventType } from '../engine/events.js';

export class WrittenEvents {
  private readonly written = new Set<EngineEventType>();
  private readonly waiting = new Map<EngineEventType, (() => void)[]>();

  /** The writer has written this event's line (and the stream took it). */
  readonly mark = (event: EngineEvent): void => {
    this.written.add(event.type);
    for (const resolve of this.waiting.get(event.type) ?? []) resolve();
    this.waiting.delete(event.type);
  };

  /** Resolves once an event of this type has been written. */
  until(type: EngineEventType): Promise<void> {
    if (this.written.has(type)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(type, [...(this.waiting.get(type) ?? []), resolve]));
  }
}
