import type { Key } from 'ink';
import { describe, expect, it, vi } from 'vitest';
import { dispatchKey, type KeyHandlers } from './key-routes.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;

function spyHandlers() {
  const calls: string[] = [];
  const h: KeyHandlers = {
    up: () => calls.push('up'), down: () => calls.push('down'), enter: () => calls.push('enter'), escape: () => calls.push('escape'),
    backspace: () => calls.push('backspace'), interrupt: () => calls.push('interrupt'), text: (t) => calls.push(`text:${t}`),
  };
  return { h, calls };
}

describe('dispatchKey', () => {
  it('maps single keys to their handlers', () => {
    const { h, calls } = spyHandlers();
    dispatchKey(h, '', { ...NO_KEY, upArrow: true });
    dispatchKey(h, '', { ...NO_KEY, return: true });
    dispatchKey(h, '\n', NO_KEY);
    dispatchKey(h, 'c', { ...NO_KEY, ctrl: true });
    dispatchKey(h, '', { ...NO_KEY, delete: true });
    dispatchKey(h, 'y', NO_KEY);
    dispatchKey(h, 'x', { ...NO_KEY, ctrl: true });
    expect(calls).toEqual(['up', 'enter', 'enter', 'interrupt', 'backspace', 'text:y']);
  });

  it('splits a run of plain characters, so "name⏎" types then submits and "\\r\\r" is two Enters', () => {
    const { h, calls } = spyHandlers();
    dispatchKey(h, 'db\r', NO_KEY);
    dispatchKey(h, '\r\r', NO_KEY);
    dispatchKey(h, 'a\x7fb\x03', NO_KEY);
    expect(calls).toEqual(['text:d', 'text:b', 'enter', 'enter', 'enter', 'text:a', 'backspace', 'text:b', 'interrupt']);
  });

  it('ignores keys a screen has no handler for', () => {
    expect(() => dispatchKey({}, 'q', NO_KEY)).not.toThrow();
    const enter = vi.fn();
    dispatchKey({ enter }, '', { ...NO_KEY, escape: true });
    expect(enter).not.toHaveBeenCalled();
  });
});
