// Which lines of a log buffer the pane shows. Following, the newest; scrolled back, the same lines stay put while
// new ones arrive (the top line is held by its place in the stream, `seq`), until the user scrolls to the bottom
// or presses `f`. Pure, so the scrolling is tested without ink.
import type { LogBuffer, LogEntry } from './log-buffer.js';

export interface LogScroll {
  follow: boolean;
  /** The `seq` of the top line while not following. */
  top: number;
}

export const FOLLOWING: LogScroll = { follow: true, top: 0 };

export interface LogWindow {
  lines: LogEntry[];
  /** Lines before the window, kept or already dropped from the buffer. */
  above: number;
  /** Newer lines after the window (0 while following). */
  below: number;
  follow: boolean;
}

function bounds(buffer: LogBuffer, height: number): { first: number; lastTop: number } {
  const first = buffer.lines[0]?.seq ?? buffer.total;
  return { first, lastTop: Math.max(first, buffer.total - height) };
}

function topOf(buffer: LogBuffer, height: number, scroll: LogScroll): number {
  const { first, lastTop } = bounds(buffer, height);
  return scroll.follow ? lastTop : Math.max(first, Math.min(lastTop, scroll.top));
}

export function logWindow(buffer: LogBuffer, height: number, scroll: LogScroll): LogWindow {
  const top = topOf(buffer, height, scroll);
  const start = top - (buffer.lines[0]?.seq ?? top);
  const lines = buffer.lines.slice(start, start + height);
  return { lines, above: top, below: buffer.total - top - lines.length, follow: scroll.follow };
}

/** Scroll by `delta` lines (negative: back). Reaching the bottom follows again. */
export function scrollLog(buffer: LogBuffer, height: number, scroll: LogScroll, delta: number): LogScroll {
  const { first, lastTop } = bounds(buffer, height);
  const top = Math.max(first, Math.min(lastTop, topOf(buffer, height, scroll) + delta));
  return delta > 0 && top >= lastTop ? FOLLOWING : { follow: false, top };
}

/** `f`: follow the newest lines, or, while following, hold the pane where it is. */
export function toggleFollow(buffer: LogBuffer, height: number, scroll: LogScroll): LogScroll {
  return scroll.follow ? { follow: false, top: topOf(buffer, height, scroll) } : FOLLOWING;
}
