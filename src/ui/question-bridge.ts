// The engine asks its questions by calling functions (`confirm(plan)`, `confirmTyped(name)`); the TUI answers them
// from key presses. This bridge holds the one open question: the engine's call waits on a promise, the screen shows
// the question (useSyncExternalStore over `snapshot`), and a key press settles it.
import type { TypedConfirmIO, UpgradeRunIO } from '../engine/api.js';
import { abortedError } from '../engine/errors.js';
import type { Plan } from '../engine/plan/plan.js';

export type Question =
  | { kind: 'plan'; plan: Plan }
  | { kind: 'yes-no'; summary: string }
  | { kind: 'typed'; expected: string; prompt: string };

export interface OpenQuestion {
  question: Question;
  /** Yes/no for `plan` and `yes-no`; the text typed for `typed`, or false when it was cancelled. */
  answer(value: boolean | string): void;
}

export class QuestionBridge {
  private open: OpenQuestion | null = null;
  private readonly listeners = new Set<() => void>();

  readonly snapshot = (): OpenQuestion | null => this.open;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: OpenQuestion | null): void {
    this.open = next;
    for (const listener of this.listeners) listener();
  }

  /** Answer the open question, if any, with "no" (the terminal is gone: nobody will); a typed one is cancelled. */
  cancelOpen(): void {
    if (this.open) this.open.answer(false);
  }

  ask(question: Question, signal?: AbortSignal): Promise<boolean | string> {
    if (this.open) return Promise.reject(new Error('The engine asked a second question before the first was answered.'));
    return new Promise((resolve) => {
      const settle = (value: boolean | string) => {
        if (this.open !== entry) return;
        signal?.removeEventListener('abort', onAbort);
        this.set(null);
        resolve(value);
      };
      // Stopping the run (Ctrl-C) answers "no": the engine then stops without changing anything.
      const onAbort = () => settle(false);
      const entry: OpenQuestion = { question, answer: settle };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.set(entry);
      if (signal?.aborted) onAbort();
    });
  }

  upgradeIO(signal: AbortSignal): UpgradeRunIO {
    return {
      signal,
      confirm: async (plan) => {
        const answer = await this.ask({ kind: 'plan', plan }, signal);
        return answer === 'rehearse' ? 'rehearse' : answer === true;
      },
    };
  }

  runIO(signal: AbortSignal): TypedConfirmIO {
    return {
      signal,
      confirm: async (summary) => (await this.ask({ kind: 'yes-no', summary }, signal)) === true,
      // The engine decides what a mismatch means (it refuses); we report whether the text matches exactly. A
      // cancelled prompt (esc, ctrl-c) is not a mismatch: it ends the question as a cancellation, in those words.
      confirmTyped: async (expected, prompt) => {
        const answer = await this.ask({ kind: 'typed', expected, prompt }, signal);
        if (answer === false) throw abortedError(TYPED_CANCELLED);
        return answer === expected;
      },
    };
  }
}

export const TYPED_CANCELLED = 'Cancelled at the typed confirmation; nothing was deleted or replaced.';
