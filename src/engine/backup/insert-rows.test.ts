import { describe, expect, it } from 'vitest';
import { batches, insertRows } from './insert-rows.js';

// As mysqldump --complete-insert --extended-insert --hex-blob writes them (MariaDB's puts each row on its own line).
const INTO = 'INSERT INTO `images` (`id`, `name`, `data`, `size`, `taken`)';

describe('insertRows', () => {
  it('reads the values of a dump\'s INSERT: NULL, numbers, quoted strings with their escapes, hex as bytes', () => {
    const sql = `${INTO} VALUES (1,'a\\'b\\"c\\\\d\\0e\\nf\\rg\\th\\Zi\\bj',0x00275C0A,-1.5e3,NULL),\n(2,'50\\% off \\_x','',.5,'2026-12-01 10:00:00')`;
    expect(insertRows(sql)).toEqual({
      into: INTO,
      columns: 5,
      rows: [
        ['1', 'a\'b"c\\d\0e\nf\rg\th\x1ai\bj', Buffer.from([0x00, 0x27, 0x5c, 0x0a]), '-1.5e3', null],
        // \% and \_ keep their backslash in a quoted string, as the server reads them.
        ['2', '50\\% off \\_x', '', '.5', '2026-12-01 10:00:00'],
      ],
    });
  });

  it('keeps a string\'s bytes as they are (one character a byte), a quote after an even run of backslashes ending it', () => {
    const text = Buffer.from('Zoë’s 🐛', 'utf8').toString('latin1');
    const rows = insertRows(`INSERT INTO \`t\` (\`a\`, \`b\`) VALUES ('${text}','x\\\\'),('\\\\\\'','')`)!.rows;
    expect(Buffer.from(rows[0]![0] as string, 'latin1').toString('utf8')).toBe('Zoë’s 🐛');
    expect(rows).toEqual([[text, 'x\\'], ["\\'", '']]);
  });

  it('reads a column list with doubled backticks in its names, and fails fast on a head it does not know', () => {
    const names = Array.from({ length: 40 }, (_, i) => `\`a\`\`b${i}\``);
    expect(insertRows(`INSERT INTO \`t\` (${names.join(', ')}) VALUES (${names.map(() => '1').join(',')})`)?.columns).toBe(40);
    // One name of thirty parts joined by doubled backticks, in a head that does not match (VALUE): a pattern that
    // could also read it as thirty names tried every way of splitting it (2^29) before failing.
    const oneName = `\`${Array.from({ length: 30 }, (_, i) => `n${i}`).join('``')}\``;
    const started = Date.now();
    expect(insertRows(`INSERT INTO \`t\` (${oneName}) VALUE (1)`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reads an INSERT without a column list', () => {
    expect(insertRows('INSERT INTO `t` VALUES (1),(2)')).toEqual({ into: 'INSERT INTO `t`', columns: 1, rows: [['1'], ['2']] });
  });

  it.each([
    ['INSERT IGNORE', 'INSERT IGNORE INTO `t` VALUES (1)'],
    ['REPLACE', 'REPLACE INTO `t` VALUES (1)'],
    ['a character set introducer', "INSERT INTO `t` VALUES (_binary 'x')"],
    ['a bit literal', "INSERT INTO `t` VALUES (b'0101')"],
    ['an X\'\' literal', "INSERT INTO `t` VALUES (X'00')"],
    ['a doubled quote', "INSERT INTO `t` VALUES ('it''s')"],
    ['a hex literal that is not all hex', 'INSERT INTO `t` VALUES (0x0G)'],
    ['an odd number of hex digits', 'INSERT INTO `t` VALUES (0x123)'],
    ['rows of different lengths', 'INSERT INTO `t` VALUES (1,2),(3)'],
    ['an expression', 'INSERT INTO `t` VALUES (NOW())'],
    ['a string that does not end', "INSERT INTO `t` VALUES ('abc)"],
    ['something after the rows', 'INSERT INTO `t` VALUES (1) ON DUPLICATE KEY UPDATE a = 1'],
    ['a negative zero (as SQL it is stored as +0)', 'INSERT INTO `t` VALUES (-0)'],
    ['a negative zero written as a decimal', 'INSERT INTO `t` VALUES (1,-0.000)'],
    ['a negative zero with an exponent', 'INSERT INTO `t` VALUES (-0e0)'],
  ])('leaves a statement it does not know to the server: %s', (_what, sql) => {
    expect(insertRows(sql)).toBeNull();
  });
});

describe('batches', () => {
  const rows = (n: number, columns = 2) => ({ into: 'INSERT INTO `t` (`a`, `b`)', columns, rows: Array.from({ length: n }, (_, i) => Array.from({ length: columns }, (_c, j) => `${i}.${j}`)) });

  it('sends every row once, in order, in batches of a power of two of at most 256 rows', () => {
    const out = batches(rows(600));
    expect(out.map((b) => b.values.length / 2)).toEqual([256, 256, 64, 16, 8]);
    expect(out.flatMap((b) => b.values)).toEqual(rows(600).rows.flat());
    expect(out[4]!.sql).toBe(`INSERT INTO \`t\` (\`a\`, \`b\`) VALUES ${new Array(8).fill('(?,?)').join(',')}`);
  });

  it('keeps within the 65 535 parameters a statement may have', () => {
    const out = batches(rows(100, 1000));
    expect(Math.max(...out.map((b) => b.values.length))).toBeLessThanOrEqual(65_535);
    expect(out.map((b) => b.values.length / 1000)).toEqual(Array(100 / 64 | 0).fill(64).concat([32, 4]));
  });
});
