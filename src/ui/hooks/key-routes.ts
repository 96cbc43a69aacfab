// Keys as a screen sees them: named handlers, and the one place that maps ink's (input, key) onto them. The app's
// <KeyRouter> provides the routes; screens join them with useKeys.
import type { Key } from 'ink';
import { createContext } from 'react';

export interface KeyHandlers {
  up?: () => void;
  down?: () => void;
  pageUp?: () => void;
  pageDown?: () => void;
  enter?: () => void;
  escape?: () => void;
  backspace?: () => void;
  /** Ctrl-C (the terminal is in raw mode, so it arrives as a key, not a signal). */
  interrupt?: () => void;
  /** Any other printable input, e.g. `y`, `n`, `q`, or typed text. */
  text?: (input: string) => void;
}

// ink hands over a run of plain characters as one input ("\r\r", "yq", a pasted name followed by Enter): take them
// one at a time so Enter, backspace and Ctrl-C inside a run still count.
function dispatchRun(handlers: KeyHandlers, run: string): void {
  for (const ch of run) {
    if (ch === '\r' || ch === '\n') handlers.enter?.();
    else if (ch === '\x7f' || ch === '\b') handlers.backspace?.();
    else if (ch === '\x03') handlers.interrupt?.();
    else if (ch >= ' ') handlers.text?.(ch);
  }
}

export function dispatchKey(handlers: KeyHandlers, input: string, key: Key): void {
  if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b')) dispatchRun(handlers, input);
  else if (key.ctrl && input === 'c') handlers.interrupt?.();
  else if (key.upArrow) handlers.up?.();
  else if (key.downArrow) handlers.down?.();
  else if (key.pageUp) handlers.pageUp?.();
  else if (key.pageDown) handlers.pageDown?.();
  // '\n' is Enter typed before the terminal went raw (the tty turned CR into NL), or ctrl-J.
  else if (key.return || input === '\n') handlers.enter?.();
  else if (key.escape) handlers.escape?.();
  else if (key.backspace || key.delete) handlers.backspace?.();
  else if (input && !key.ctrl && !key.meta) handlers.text?.(input);
}

export interface KeyRoutes {
  add(handlers: { current: KeyHandlers }): () => void;
}

export const KeyRouterContext = createContext<KeyRoutes | null>(null);
