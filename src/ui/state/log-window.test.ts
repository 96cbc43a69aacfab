import { describe, expect, it } from 'vitest';
import { appendLogLines, emptyLogBuffer, type LogBuffer } from './log-buffer.js';
import { FOLLOWING, logWindow, scrollLog, toggleFollow } from './log-window.js';

const more = (buffer: LogBuffer, n: number) =>
  appendLogLines(buffer, Array.from({ length: n }, (_, i) => ({ service: 'b', text: `line ${buffer.total + i}`, level: 'info' as const, ts: null })));
const texts = (buffer: LogBuffer, scroll = FOLLOWING) => logWindow(buffer, 3, scroll).lines.map((l) => l.text);

describe('log window', () => {
  it('follows the newest lines, and counts the earlier ones', () => {
    const buffer = more(emptyLogBuffer(10), 5);
    expect(texts(buffer)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(logWindow(buffer, 3, FOLLOWING)).toMatchObject({ above: 2, below: 0, follow: true });
  });

  it('scrolled back, holds the same lines while new ones arrive, and says how many are below', () => {
    let buffer = more(emptyLogBuffer(10), 6);
    const back = scrollLog(buffer, 3, FOLLOWING, -3);
    expect(texts(buffer, back)).toEqual(['line 0', 'line 1', 'line 2']);
    buffer = more(buffer, 2);
    expect(texts(buffer, back)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(logWindow(buffer, 3, back)).toMatchObject({ above: 0, below: 5, follow: false });
  });

  it('follows again at the bottom, or with f; f while following holds the pane', () => {
    let buffer = more(emptyLogBuffer(10), 9);
    const back = scrollLog(buffer, 3, FOLLOWING, -6);
    expect(texts(buffer, back)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(scrollLog(buffer, 3, back, 3)).toEqual({ follow: false, top: 3 });
    expect(scrollLog(buffer, 3, scrollLog(buffer, 3, back, 3), 3)).toEqual(FOLLOWING);
    expect(toggleFollow(buffer, 3, back)).toEqual(FOLLOWING);
    const held = toggleFollow(buffer, 3, FOLLOWING);
    buffer = more(buffer, 1);
    expect(texts(buffer, held)).toEqual(['line 6', 'line 7', 'line 8']);
  });

  it('keeps to the lines still in the buffer when the held ones were dropped', () => {
    let buffer = more(emptyLogBuffer(4), 4);
    const back = scrollLog(buffer, 3, FOLLOWING, -10);
    buffer = more(buffer, 3);
    expect(texts(buffer, back)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(logWindow(buffer, 3, back).above).toBe(3);
  });
});
