// Progress of a long copy as events a person (or a script) can use: at most `perSecond` a second (one 500 MB dump
// used to emit 24,906 backup.progress events, one per chunk off the Docker socket), each carrying the expected
// total and an estimate of the time left from the rate so far. The last figure is always reported.
import type { TableShape } from '../db/table-shapes.js';

export interface ProgressReport {
  bytes: number;
  /** Expected bytes in all, never below `bytes` (an estimate can be short); null when unknown. */
  total: number | null;
  /** Seconds left at the average rate so far; null until there is a rate to go by. */
  etaSeconds: number | null;
}

export interface ProgressReporter {
  update(bytes: number): void;
  /** Report the final figure (unless it was just reported) with nothing left. */
  finish(bytes: number): void;
}

/**
 * SQL bytes a dump of these tables will write, from the server's own sizes: 962 MB of SQL from a 603 MB database
 * here (docs/benchmarks.md): `--hex-blob` doubles binary data, text rows carry their INSERT syntax.
 */
export const SQL_BYTES_PER_STORED_BYTE = 1.6;
export function estimateDumpBytes(shapes: Pick<TableShape, 'bytes'>[]): number {
  return Math.round(shapes.reduce((n, s) => n + s.bytes, 0) * SQL_BYTES_PER_STORED_BYTE);
}

export function progressReporter(opts: {
  total: number | null;
  emit: (report: ProgressReport) => void;
  perSecond?: number;
  now?: () => number;
}): ProgressReporter {
  const now = opts.now ?? Date.now;
  const gapMs = 1000 / (opts.perSecond ?? 10);
  // The rate is measured from the first byte on: the seconds before it (an exec starting, a snapshot being shared)
  // say nothing about how fast the rest comes, and counted in they made the first estimates far too long.
  let first: { at: number; bytes: number } | null = null;
  let lastAt = -Infinity;
  let lastBytes = -1;
  const report = (bytes: number, done: boolean) => {
    const at = now();
    const total = opts.total === null ? null : Math.max(opts.total, bytes);
    const elapsed = first ? (at - first.at) / 1000 : 0;
    const rate = first && elapsed > 0.5 && bytes > first.bytes ? (bytes - first.bytes) / elapsed : null;
    const etaSeconds = done ? 0 : total !== null && rate ? Math.round((total - bytes) / rate) : null;
    lastAt = at;
    lastBytes = bytes;
    opts.emit({ bytes, total, etaSeconds });
  };
  return {
    update(bytes) {
      if (!first && bytes > 0) first = { at: now(), bytes };
      if (now() - lastAt >= gapMs) report(bytes, false);
    },
    finish(bytes) {
      if (bytes !== lastBytes) report(bytes, true);
    },
  };
}
