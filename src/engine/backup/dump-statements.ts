// A mysqldump/mariadb-dump file read back as statements, the way the mysql client reads it: `--` comments and blank
// lines between statements skipped, `DELIMITER` honoured (triggers and routines are written between `DELIMITER ;;`
// lines), a statement ending where a line ends with the current delimiter. The dump writes every INSERT on one
// line (newlines inside values are escaped), and no other line of its own ends with the delimiter mid-statement.
import type { Readable } from 'node:stream';

/**
 * MariaDB 10.11.8+ dumps open with this line, no delimiter: a directive to its own client (refuse shell escapes
 * from here on). It is not a statement; a loader that runs no client commands has nothing to refuse.
 */
const SANDBOX = /^\/\*M!999999\\- enable the sandbox mode \*\/$/;

export type StatementKind = 'session' | 'insert' | 'lock' | 'other';

export interface DumpStatement {
  /**
   * The statement's bytes, one character per byte (latin1): for a connection that writes them back as they were
   * (db/connection.ts `verbatim`). Decoding a gigabyte as UTF-8 and encoding it again cost the loader seconds.
   */
  sql: string;
  /**
   * session: SET of a session or user variable (`SET NAMES`, `/*!40101 SET … *\/`); insert: `INSERT INTO`; lock:
   * LOCK/UNLOCK TABLES (a speed hint for one client, a deadlock for several); other: DDL and the rest.
   */
  kind: StatementKind;
}

export function statementKind(sql: string): StatementKind {
  const s = sql.replace(/^\/\*M?!\d{5,6}\s*/, '').trimStart().slice(0, 16).toUpperCase();
  if (s.startsWith('INSERT INTO')) return 'insert';
  if (s.startsWith('LOCK TABLES') || s.startsWith('UNLOCK TABLES')) return 'lock';
  if (s.startsWith('SET ')) return 'session';
  return 'other';
}

/** Statements of an (uncompressed) dump stream, in order. */
export async function* dumpStatements(source: Readable | AsyncIterable<Buffer>): AsyncGenerator<DumpStatement> {
  let delimiter = ';';
  let pending: string[] = [];
  const take = (line: string): DumpStatement | null => {
    if (pending.length === 0) {
      const t = line.trim();
      if (t === '' || t.startsWith('-- ') || t === '--' || SANDBOX.test(t)) return null;
      const d = /^DELIMITER\s+(\S+)\s*$/i.exec(t);
      if (d) {
        delimiter = d[1]!;
        return null;
      }
    }
    pending.push(line);
    const end = line.trimEnd();
    if (!end.endsWith(delimiter)) return null;
    pending[pending.length - 1] = end.slice(0, end.length - delimiter.length);
    const sql = pending.join('\n');
    pending = [];
    return { sql, kind: statementKind(sql) };
  };
  // The part of a line not yet ended, in pieces: an INSERT line is a megabyte across many chunks.
  let partial: Buffer[] = [];
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, from)) >= 0) {
      const piece = chunk.subarray(from, nl);
      const line = (partial.length ? Buffer.concat([...partial, piece]) : piece).toString('latin1');
      partial = [];
      from = nl + 1;
      const s = take(line);
      if (s) yield s;
    }
    if (from < chunk.length) partial.push(chunk.subarray(from));
  }
  if (partial.length) {
    const s = take(Buffer.concat(partial).toString('latin1'));
    if (s) yield s;
  }
  if (pending.length) throw new Error(`the dump ends inside a statement: ${pending.join('\n').slice(0, 120)}`);
}
