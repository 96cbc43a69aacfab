import { describe, expect, it } from 'vitest';
import { appendLogLines, droppedLines, emptyLogBuffer } from './log-buffer.js';

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ service: 'b', text: `line ${from + i}`, level: 'info' as const, ts: null }));

describe('log buffer', () => {
  it('keeps the newest lines up to its capacity and counts the rest', () => {
    let buffer = emptyLogBuffer(3);
    buffer = appendLogLines(buffer, lines(0, 2));
    expect(buffer.lines.map((l) => l.text)).toEqual(['line 0', 'line 1']);
    buffer = appendLogLines(buffer, lines(2, 2));
    expect(buffer.lines.map((l) => [l.seq, l.text])).toEqual([[1, 'line 1'], [2, 'line 2'], [3, 'line 3']]);
    expect(buffer.total).toBe(4);
    expect(droppedLines(buffer)).toBe(1);
  });

  it('takes a batch larger than its capacity in one copy, numbering lines by their place in the stream', () => {
    const buffer = appendLogLines(appendLogLines(emptyLogBuffer(5), lines(0, 3)), lines(3, 12));
    expect(buffer.lines.map((l) => l.seq)).toEqual([10, 11, 12, 13, 14]);
    expect(buffer.lines.map((l) => l.text)).toEqual(['line 10', 'line 11', 'line 12', 'line 13', 'line 14']);
  });

  it('never mutates the buffer it was given', () => {
    const before = appendLogLines(emptyLogBuffer(2), lines(0, 2));
    const snapshot = before.lines.map((l) => l.text);
    appendLogLines(before, lines(2, 5));
    expect(before.lines.map((l) => l.text)).toEqual(snapshot);
    expect(appendLogLines(before, [])).toBe(before);
  });

  it('rejects a capacity that cannot hold a line', () => {
    expect(() => emptyLogBuffer(0)).toThrow(RangeError);
  });
});
