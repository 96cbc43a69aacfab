// The log pane's memory: a bounded buffer of the newest lines. A backend can print 20,000 lines a second; the pane
// keeps `capacity` of them and counts the rest, so memory stays flat however long the run. Pure: appending returns a
// new buffer (the old one is never mutated), so React sees a new value and tests can compare snapshots.
import type { LogLevel } from '../../engine/events.js';

export interface LogEntry {
  /** Position in the whole stream (0-based), a stable React key that survives trimming. */
  seq: number;
  service: string;
  text: string;
  level: LogLevel;
  /** When the engine saw the line (its event's `ts`), or when docker says it was written (the doctor's log reader);
   *  null where the source gives none (a log kept from a removed container). */
  ts: number | null;
}

export interface LogBuffer {
  readonly lines: readonly LogEntry[];
  readonly capacity: number;
  /** Every line ever appended, kept or not. */
  readonly total: number;
}

export const DEFAULT_LOG_CAPACITY = 500;

export function emptyLogBuffer(capacity = DEFAULT_LOG_CAPACITY): LogBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`A log buffer needs a positive capacity, got ${capacity}.`);
  return { lines: [], capacity, total: 0 };
}

export type NewLogLine = Omit<LogEntry, 'seq'>;

/** Append many lines at once: one copy of at most `capacity` entries, however many lines arrive. */
export function appendLogLines(buffer: LogBuffer, incoming: readonly NewLogLine[]): LogBuffer {
  if (incoming.length === 0) return buffer;
  const keepNew = incoming.slice(-buffer.capacity);
  const firstSeq = buffer.total + incoming.length - keepNew.length;
  const fresh = keepNew.map((line, i) => ({ ...line, seq: firstSeq + i }));
  const keepOld = Math.max(0, buffer.capacity - fresh.length);
  const lines = keepOld === 0 ? fresh : [...buffer.lines.slice(-keepOld), ...fresh];
  return { lines, capacity: buffer.capacity, total: buffer.total + incoming.length };
}

/** Lines that scrolled out of the buffer. */
export function droppedLines(buffer: LogBuffer): number {
  return buffer.total - buffer.lines.length;
}
