// A backup file in sections (issue 14's per-table format): the dump tool's stream is cut where each table begins, and
// each piece starts a gzip member of its own (parallel-gzip.ts `cuts`), so the manifest can record, per table, where
// its bytes lie in the file and the sha256 of its SQL. One file still: a concatenation of gzip members is one gzip
// file (RFC 1952 §2.2), so `gunzip < file | mysql` restores it by hand, and a backup taken before sections existed
// reads as it always did. What the sections add: the SQL itself is checked (the file's sha256 only proves the
// compressed bytes are the ones written), a damaged file names the tables it lost, and any one table's section
// gunzips alone.
//
// The cuts are where mysqldump and mariadb-dump start a table's comment block (`-- Table structure for table`,
// `-- Temporary table structure for view`), and where the part after the last table begins (events, routines, the
// views' final definitions, the closing settings). INSERT values never hold a raw newline (the tool escapes them), so
// `\n-- ` only ever starts one of the tool's comment lines.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { GzipMember } from './parallel-gzip.js';

/** A stretch of the dump file that gunzips on its own. */
export interface DumpSection {
  /**
   * head: the settings before the first table; table: one table's (or view's) structure, rows and triggers; tail:
   * events, routines, the views' final definitions and the closing settings; catch-up: the changes appended at the
   * stop (delta-record.ts).
   */
  kind: 'head' | 'table' | 'tail' | 'catch-up';
  /** The table's (or view's) name for a table section, else null. */
  name: string | null;
  /** Where in the file, in compressed bytes: whole gzip members. */
  offset: number;
  bytes: number;
  /** Its SQL: how many bytes, and their sha256. */
  sqlBytes: number;
  sha256: string;
}

const TABLE_STARTS = ['-- Table structure for table `', '-- Temporary table structure for view `'];
const TAIL_STARTS = ['-- Dumping events for database', '-- Dumping routines for database', '-- Final view structure for view'];
/** A line this long without a newline is not one of the comment lines above. */
const LONGEST_MARK = 4096;

type Found = Omit<DumpSection, 'offset' | 'bytes'> & { sqlStart: number };

/**
 * Passes the dump through unchanged, noting where each section starts (in `cuts`, before the bytes of that point
 * pass on, so the gzip after it can begin a member there) and each section's size and SQL sha256. A line that might
 * be one of the comments is held until it ends: a cut found after its bytes had gone on would come too late.
 */
export class SectionFinder extends Transform {
  readonly cuts: number[] = [];
  private readonly found: Found[] = [{ kind: 'head', name: null, sqlStart: 0, sqlBytes: 0, sha256: '' }];
  private hash: Hash = createHash('sha256');
  /** Bytes passed on so far. */
  private offset = 0;
  private held: Buffer = Buffer.alloc(0);
  /** Whether the next byte starts a line. */
  private lineStart = true;
  private tail = false;

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const lastNl = data.lastIndexOf(0x0a);
    // What follows the last newline: held if it could still become a comment line, passed on if it cannot.
    const rest = lastNl < 0 ? data : data.subarray(lastNl + 1);
    const hold = this.mayBeMark(rest, lastNl < 0 ? this.lineStart : true);
    const complete = hold ? data.subarray(0, data.length - rest.length) : data;
    this.held = hold ? Buffer.from(rest) : Buffer.alloc(0);
    this.scan(complete);
    if (complete.length) {
      this.lineStart = complete[complete.length - 1] === 0x0a;
      this.push(complete);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.scan(this.held);
    if (this.held.length) this.push(this.held);
    this.held = Buffer.alloc(0);
    this.close(this.offset);
    done();
  }

  /** The sections found, once the stream has ended. */
  get sections(): Found[] {
    return this.found;
  }

  private mayBeMark(partial: Buffer, atLineStart: boolean): boolean {
    if (!atLineStart || partial.length === 0 || partial.length > LONGEST_MARK) return false;
    const head = partial.subarray(0, 3).toString('latin1');
    return '-- '.startsWith(head) || head === '-- ';
  }

  /** Hash `bytes` (about to pass on) into the sections they belong to, starting a section at each mark. */
  private scan(bytes: Buffer): void {
    let from = 0;
    // Where a comment line starts: after every newline, and at the very start when that is a line's start.
    let at = this.lineStart && bytes.subarray(0, 3).toString('latin1') === '-- ' ? 0 : nextComment(bytes, 0);
    while (at >= 0) {
      const end = bytes.indexOf(0x0a, at);
      const next = this.sectionOf(bytes.subarray(at, end < 0 ? bytes.length : end).toString('latin1'));
      if (next) {
        this.hash.update(bytes.subarray(from, at));
        this.close(this.offset + at);
        this.cuts.push(this.offset + at);
        this.found.push({ ...next, sqlStart: this.offset + at, sqlBytes: 0, sha256: '' });
        from = at;
      }
      at = nextComment(bytes, at);
    }
    this.hash.update(bytes.subarray(from));
    this.offset += bytes.length;
  }

  private sectionOf(line: string): Pick<Found, 'kind' | 'name'> | null {
    if (this.tail) return null;
    if (TAIL_STARTS.some((m) => line.startsWith(m))) {
      this.tail = true;
      return { kind: 'tail', name: null };
    }
    const mark = TABLE_STARTS.find((m) => line.startsWith(m));
    if (!mark) return null;
    // The name as the tool wrote it: between the backticks, a backtick in it doubled.
    const name = line.slice(mark.length, line.lastIndexOf('`')).replace(/``/g, '`');
    return { kind: 'table', name: Buffer.from(name, 'latin1').toString('utf8') };
  }

  /** End the current section at `end` and begin hashing the next. */
  private close(end: number): void {
    const last = this.found[this.found.length - 1]!;
    last.sqlBytes = end - last.sqlStart;
    last.sha256 = this.hash.digest('hex');
    this.hash = createHash('sha256');
  }
}

/** The start of the next line after `from` that begins with `-- `, or -1. */
function nextComment(bytes: Buffer, from: number): number {
  const nl = bytes.indexOf('\n-- ', from);
  return nl < 0 ? -1 : nl + 1;
}

/**
 * Where each section lies in the compressed file, from the members the gzip wrote (each section begins a member, so
 * it spans whole ones). Throws if one does not begin a member: that would be a section that cannot be read alone.
 */
export function placeSections(found: readonly Found[], members: readonly GzipMember[]): DumpSection[] {
  const out: DumpSection[] = [];
  let sql = 0;
  let file = 0;
  let m = 0;
  for (const f of found) {
    if (f.sqlBytes === 0 && f.kind === 'head') continue;
    if (sql !== f.sqlStart) throw new Error(`section ${f.name ?? f.kind} does not begin a gzip member (at ${f.sqlStart}, members at ${sql})`);
    const offset = file;
    while (sql < f.sqlStart + f.sqlBytes && m < members.length) {
      sql += members[m]!.sqlBytes;
      file += members[m]!.bytes;
      m++;
    }
    out.push({ kind: f.kind, name: f.name, offset, bytes: file - offset, sqlBytes: f.sqlBytes, sha256: f.sha256 });
  }
  if (sql !== found.reduce((n, f) => n + f.sqlBytes, 0)) throw new Error('the gzip members do not cover the sections');
  return out;
}
