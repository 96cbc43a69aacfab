import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dumpStatements, statementKind } from './dump-statements.js';

const DUMP = [
  '/*M!999999\\- enable the sandbox mode */ ',
  '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB',
  '',
  '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
  '/*!40101 SET NAMES utf8mb4 */;',
  '--',
  '-- Table structure for table `users`',
  '--',
  'DROP TABLE IF EXISTS `users`;',
  'CREATE TABLE `users` (',
  "  `id` int(11) NOT NULL COMMENT 'a;',",
  '  PRIMARY KEY (`id`)',
  ') ENGINE=InnoDB;',
  'LOCK TABLES `users` WRITE;',
  "INSERT INTO `users` VALUES (1,'a;\\nb'),(2,'-- no comment');",
  'UNLOCK TABLES;',
  'DELIMITER ;;',
  '/*!50003 CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW BEGIN',
  '  SET NEW.id = NEW.id;',
  'END */;;',
  'DELIMITER ;',
  '-- Dump completed on 2026-12-02  1:00:00',
  '',
].join('\n');

/** The dump in chunks of `size` bytes, so lines and statements cross chunk boundaries. */
const chunked = (size: number) => Readable.from((function* () {
  const b = Buffer.from(DUMP);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
})());

describe('dumpStatements', () => {
  it('reads statements as the mysql client does, whatever the chunking', async () => {
    for (const size of [1, 7, 64, 1 << 16]) {
      const out = [];
      for await (const s of dumpStatements(chunked(size))) out.push(s);
      expect(out.map((s) => s.kind)).toEqual(['session', 'session', 'other', 'other', 'lock', 'insert', 'lock', 'other']);
      expect(out[3]!.sql).toBe("CREATE TABLE `users` (\n  `id` int(11) NOT NULL COMMENT 'a;',\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB");
      expect(out[5]!.sql).toBe("INSERT INTO `users` VALUES (1,'a;\\nb'),(2,'-- no comment')");
      expect(out[7]!.sql).toBe('/*!50003 CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW BEGIN\n  SET NEW.id = NEW.id;\nEND */');
    }
  });

  it('gives each statement\'s bytes exactly, one character per byte, even where a chunk ends inside a character', async () => {
    const insert = Buffer.from("INSERT INTO `settings` VALUES ('site_name','Zoë’s café ☕ 🐛','voilà à')");
    const dump = Buffer.concat([Buffer.from('/*!40101 SET NAMES utf8mb4 */;\n'), insert, Buffer.from(';\n')]);
    for (const size of [1, 2, 3, 5]) {
      const chunks = Readable.from((function* () { for (let i = 0; i < dump.length; i += size) yield dump.subarray(i, i + size); })());
      const out = [];
      for await (const s of dumpStatements(chunks)) out.push(s);
      expect(Buffer.from(out[1]!.sql, 'latin1')).toEqual(insert);
    }
  });

  it('refuses a dump cut inside a statement', async () => {
    const cut = Readable.from([Buffer.from('CREATE TABLE `x` (\n  `id` int')]);
    await expect((async () => { for await (const _ of dumpStatements(cut)) void _; })()).rejects.toThrow('ends inside a statement');
  });

  it('classifies versioned comments by what they hold', () => {
    expect(statementKind('/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */')).toBe('session');
    expect(statementKind('/*!40000 ALTER TABLE `users` DISABLE KEYS */')).toBe('other');
  });
});
