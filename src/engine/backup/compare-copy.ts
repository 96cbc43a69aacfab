// The live database against a copy of it (the throwaway server's restored backup), chunk by primary-key chunk
// (db/chunk-checksum.ts). What differs is named down to the chunk, so a delta copies only those rows again; a table
// without a primary key is compared whole, and one whose columns differ (or that only one side has) counts as
// different whole. Both sides are queried at once, and with `lanes` several chunks at once: reading a chunk is mostly
// waiting for its pages (a production server's buffer pool is smaller than its data), so two or three readers on
// each side finish sooner than one (docs/benchmarks.md).
import type { Db } from '../db/connection.js';
import { chunkChecksum, chunkRanges, chunkRowsFor, chunkWhere, type ChunkRange, type ChunkSum } from '../db/chunk-checksum.js';
import { tableShapes, type TableShape } from '../db/table-shapes.js';

export interface ChunkDifference {
  range: ChunkRange;
  /** The chunk's condition on the primary key, as a re-dump passes it to `--where`. */
  where: string;
  live: ChunkSum;
  copy: ChunkSum;
}

export type TableDifference =
  | { table: string; whole: true; why: 'only-live' | 'only-copy' | 'columns' | 'no-primary-key'; live?: ChunkSum; copy?: ChunkSum }
  | { table: string; whole: false; chunks: ChunkDifference[]; chunkCount: number };

export interface CopyComparison {
  tables: number;
  chunks: number;
  differences: TableDifference[];
  /**
   * Each compared table's whole-table sum on live, folded from its chunks (BIT_XOR is associative and the chunks
   * cover the table): the `crc32-xor` facts of a manifest, for free once the comparison has read every chunk.
   */
  liveSums: Record<string, ChunkSum>;
}

/** The sum of a table from the sums of chunks that cover it. */
export function foldSums(sums: ChunkSum[]): ChunkSum {
  const crc = sums.reduce((x, s) => x ^ BigInt(`0x${s.crc}`), 0n);
  return { rows: sums.reduce((n, s) => n + s.rows, 0), crc: crc.toString(16) };
}

export interface CompareOptions {
  /** Only these tables (default: every base table either side has). */
  tables?: string[];
  /** Bytes a chunk should hold (default 8 MiB, by the server's average row length). */
  chunkBytes?: number;
  /** Rows a chunk holds, instead of sizing by chunkBytes (the server's row length estimate is 0 on fresh tables). */
  chunkRows?: number;
  /** After each table: for progress. */
  onTable?: (table: string, done: number, total: number) => void;
  /** More connections to both sides (a live and a copy one each): a table's chunks are summed on all at once. */
  lanes?: Lane[];
}

export interface Lane {
  live: Db;
  copy: Db;
}

/**
 * `fn` over `items` with one item in flight per lane, answers in the items' order. When one fails, the other lanes
 * take no further item, and the failure is thrown once they are idle: nothing still runs on a lane's connections
 * when the caller goes on to close them.
 */
export async function inLanes<T, R>(lanes: Lane[], items: T[], fn: (lane: Lane, item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const settled = await Promise.allSettled(lanes.map(async (lane) => {
    while (!failed && next < items.length) {
      const i = next++;
      out[i] = await fn(lane, items[i]!).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  }));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
}

/** Each range summed on live and on the copy, one range in flight per lane, in the ranges' order. */
const sumBothSides = (lanes: Lane[], shape: TableShape, ranges: ChunkRange[]) =>
  inLanes(lanes, ranges, (lane, range) => Promise.all([chunkChecksum(lane.live, shape, range), chunkChecksum(lane.copy, shape, range)]));
const differ = (l: ChunkSum, c: ChunkSum) => l.rows !== c.rows || l.crc !== c.crc;

const sameColumns = (a: TableShape, b: TableShape) => a.columns.join('\0') === b.columns.join('\0') && a.primaryKey.join('\0') === b.primaryKey.join('\0');

async function compareTable(lanes: Lane[], shape: TableShape, opts: CompareOptions): Promise<{ diff: TableDifference | null; chunks: number; live: ChunkSum }> {
  const ranges = await chunkRanges(lanes[0]!.live, shape, opts.chunkRows ?? chunkRowsFor(shape, opts.chunkBytes));
  const sums = await sumBothSides(lanes, shape, ranges);
  const chunks: ChunkDifference[] = [];
  const liveSums = sums.map(([l]) => l);
  for (const [i, [l, c]] of sums.entries()) {
    if (differ(l, c)) chunks.push({ range: ranges[i]!, where: chunkWhere(shape.primaryKey, ranges[i]!), live: l, copy: c });
  }
  const whole = foldSums(liveSums);
  if (chunks.length === 0) return { diff: null, chunks: ranges.length, live: whole };
  if (shape.primaryKey.length === 0) {
    return { diff: { table: shape.name, whole: true, why: 'no-primary-key', live: chunks[0]!.live, copy: chunks[0]!.copy }, chunks: 1, live: whole };
  }
  return { diff: { table: shape.name, whole: false, chunks, chunkCount: ranges.length }, chunks: ranges.length, live: whole };
}

export async function compareWithCopy(live: Db, copy: Db, opts: CompareOptions = {}): Promise<CopyComparison> {
  const [liveShapes, copyShapes] = await Promise.all([tableShapes(live, opts.tables), tableShapes(copy, opts.tables)]);
  const names = [...new Set([...liveShapes, ...copyShapes].map((s) => s.name))].sort();
  const differences: TableDifference[] = [];
  const liveSums: Record<string, ChunkSum> = {};
  let chunks = 0;
  for (const [i, name] of names.entries()) {
    const l = liveShapes.find((s) => s.name === name);
    const c = copyShapes.find((s) => s.name === name);
    if (!l || !c) differences.push({ table: name, whole: true, why: l ? 'only-live' : 'only-copy' });
    else if (!sameColumns(l, c)) differences.push({ table: name, whole: true, why: 'columns' });
    else {
      const r = await compareTable([{ live, copy }, ...(opts.lanes ?? [])], l, opts);
      chunks += r.chunks;
      liveSums[name] = r.live;
      if (r.diff) differences.push(r.diff);
    }
    opts.onTable?.(name, i + 1, names.length);
  }
  return { tables: names.length, chunks, differences, liveSums };
}

/**
 * The comparison `first` read again where it found differences, and only there: each differing chunk summed again
 * on both sides, each table that differed whole compared again. Everything else keeps `first`'s answer (and live
 * sum), so this proves the copy equal only when neither side changed elsewhere since `first` read it: the live
 * database written by nobody (db/write-mark.ts), the copy by no one but the caller, who copied exactly these parts.
 */
export async function compareAgainWhereDiffered(live: Db, copy: Db, first: CopyComparison, opts: CompareOptions = {}): Promise<CopyComparison> {
  const lanes = [{ live, copy }, ...(opts.lanes ?? [])];
  const differences: TableDifference[] = [];
  const liveSums = { ...first.liveSums };
  for (const d of first.differences) {
    if (d.whole) {
      const again = await compareWithCopy(live, copy, { ...opts, tables: [d.table] });
      differences.push(...again.differences);
      delete liveSums[d.table];
      Object.assign(liveSums, again.liveSums);
      continue;
    }
    const [shape] = await tableShapes(live, [d.table]);
    if (!shape) {
      differences.push({ table: d.table, whole: true, why: 'only-copy' });
      continue;
    }
    const sums = await sumBothSides(lanes, shape, d.chunks.map((c) => c.range));
    const still = d.chunks.flatMap((c, i) => {
      const [l, k] = sums[i]!;
      return differ(l, k) ? [{ ...c, live: l, copy: k }] : [];
    });
    if (still.length) differences.push({ ...d, chunks: still });
  }
  return { tables: first.tables, chunks: first.chunks, differences, liveSums };
}

/** One line per difference, for a message or an event: `images: 1 of 12 chunks (id >= 1200 AND id < 2400)`. */
export function describeDifferences(differences: TableDifference[]): string[] {
  return differences.map((d) => {
    if (d.whole) {
      const why = { 'only-live': 'missing from the copy', 'only-copy': 'only in the copy', columns: 'columns differ', 'no-primary-key': 'differs (no primary key: compared whole)' }[d.why];
      return `${d.table}: ${why}`;
    }
    const shown = d.chunks.slice(0, 3).map((c) => `${c.where}: ${c.live.rows} rows live, ${c.copy.rows} in the copy`).join('; ');
    return `${d.table}: ${d.chunks.length} of ${d.chunkCount} chunks differ (${shown}${d.chunks.length > 3 ? '; …' : ''})`;
  });
}
