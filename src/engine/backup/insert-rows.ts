// A dump's INSERT read back as rows of values, so the loader can send them as a prepared statement's parameters
// instead of as SQL text. The server spends most of a restore of image data turning hex literals back into bytes
// (perf on the rig's MariaDB: two thirds of its time in Item_hex_constant::hex_string_init and the lexer); a
// parameter arrives as the bytes themselves. Only the shapes mysqldump writes are read (`INSERT INTO t (cols)
// VALUES (…),(…)` of NULL, numbers, quoted strings with its backslash escapes, 0x hex): anything else gives null,
// and the loader sends that statement as it is. The copy is compared with the manifest afterwards either way.
//
// Statements here are byte strings (one character a byte, backup/dump-statements.ts), and so are the values.

export type RowValue = string | Buffer | null;

export interface InsertRows {
  /** `INSERT INTO \`t\` (\`a\`, \`b\`)`: the statement up to VALUES. */
  into: string;
  columns: number;
  rows: RowValue[][];
}

// Each name is read one way only (the separator is not optional), so a head that does not match fails at once
// instead of trying every way to split doubled backticks between names.
const HEAD = /^INSERT INTO `(?:[^`]|``)+`(?: \((?:`(?:[^`]|``)+`, )*`(?:[^`]|``)+`\))? VALUES /;
/** A negative zero: as SQL text `-0` is the integer 0 negated, +0 in a DOUBLE; as a parameter it would stay -0. */
const NEGATIVE_ZERO = /^-[0.]*(?:[eE][-+]?\d+)?$/;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const GAP = /\s*/y;

// mysqldump's escapes (mysql_real_escape_string), read as the server reads them in a quoted string.
const ESCAPED: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };
const unescape = (raw: string) => raw.replace(/\\(.)/gs, (_m, c: string) => (c === '%' || c === '_' ? `\\${c}` : (ESCAPED[c] ?? c)));

/** The value at `i` and where it ends, or null for a value this reader does not know. */
function valueAt(sql: string, i: number): [RowValue, number] | null {
  const c = sql.charCodeAt(i);
  if (c === 0x27 /* ' */) {
    let end = sql.indexOf("'", i + 1);
    for (;;) {
      if (end < 0) return null;
      let slashes = 0;
      while (sql.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
      if (slashes % 2 === 0) break;
      end = sql.indexOf("'", end + 1);
    }
    // '' inside a string (a quote written doubled): not mysqldump's; left to the server.
    if (sql.charCodeAt(end + 1) === 0x27) return null;
    const raw = sql.slice(i + 1, end);
    return [raw.includes('\\') ? unescape(raw) : raw, end + 1];
  }
  if (c === 0x30 /* 0 */ && sql.charCodeAt(i + 1) === 0x78 /* x */) {
    const comma = sql.indexOf(',', i);
    const close = sql.indexOf(')', i);
    const end = comma < 0 ? close : close < 0 ? comma : Math.min(comma, close);
    if (end < 0) return null;
    const hex = sql.slice(i + 2, end);
    const bytes = Buffer.from(hex, 'hex');
    // Buffer.from stops at the first character that is not hex: a short result means it was not all hex.
    return hex.length % 2 === 0 && bytes.length * 2 === hex.length ? [bytes, end] : null;
  }
  if (sql.startsWith('NULL', i)) return [null, i + 4];
  NUMBER.lastIndex = i;
  const n = NUMBER.exec(sql);
  // Sent as SQL, so the copy holds what a restore by the client would (the comparison could not tell otherwise).
  if (!n || NEGATIVE_ZERO.test(n[0])) return null;
  return [n[0], i + n[0].length];
}

/** An INSERT as rows, or null when it is not one of the shapes a dump writes. */
export function insertRows(sql: string): InsertRows | null {
  const head = HEAD.exec(sql.slice(0, 4096));
  if (!head) return null;
  const rows: RowValue[][] = [];
  let i = head[0].length;
  for (;;) {
    if (sql.charCodeAt(i) !== 0x28 /* ( */) return null;
    const row: RowValue[] = [];
    i++;
    for (;;) {
      const v = valueAt(sql, i);
      if (!v) return null;
      row.push(v[0]);
      i = v[1];
      const next = sql.charCodeAt(i++);
      if (next === 0x29 /* ) */) break;
      if (next !== 0x2c /* , */) return null;
    }
    if (rows.length && row.length !== rows[0]!.length) return null;
    rows.push(row);
    if (i === sql.length) break;
    if (sql.charCodeAt(i++) !== 0x2c) return null;
    GAP.lastIndex = i;
    GAP.exec(sql);
    i = GAP.lastIndex;
  }
  return { into: head[0].slice(0, -' VALUES '.length), columns: rows[0]!.length, rows };
}

/** A server takes at most 65 535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * The rows in batches of a power of two, at most `maxRows` each (and within the parameter limit): a few statement
 * shapes per table, each prepared once per connection, whatever the row counts of the dump's INSERTs.
 */
export function batches(rows: InsertRows, maxRows = 256): { sql: string; values: RowValue[] }[] {
  let size = 1;
  while (size * 2 <= Math.min(maxRows, Math.floor(MAX_PARAMETERS / rows.columns))) size *= 2;
  const tuple = `(${new Array(rows.columns).fill('?').join(',')})`;
  const out: { sql: string; values: RowValue[] }[] = [];
  let at = 0;
  for (; size >= 1; size /= 2) {
    while (rows.rows.length - at >= size) {
      const part = rows.rows.slice(at, at + size);
      out.push({ sql: `${rows.into} VALUES ${new Array(size).fill(tuple).join(',')}`, values: part.flat() });
      at += size;
    }
  }
  return out;
}
