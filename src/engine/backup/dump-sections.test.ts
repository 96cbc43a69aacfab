import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { placeSections, SectionFinder } from './dump-sections.js';
import { ParallelGzip } from './parallel-gzip.js';

// The shape of a mysqldump/mariadb-dump file: settings, tables (one with a backtick and one with a non-ASCII
// name), a view's placeholder, data lines longer than the gzip block, a trigger, then events, routines, the view's
// final definition and the closing settings.
const long = `INSERT INTO \`images\` VALUES (1,0x${'AB'.repeat(30_000)}),(2,'-- not a comment\\n-- Table structure for table \`x\`');`;
const DUMP = Buffer.from([
  '/*M!999999\\- enable the sandbox mode */ ',
  '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB',
  '/*!40101 SET NAMES utf8mb4 */;',
  '',
  '--',
  '-- Table structure for table `images`',
  '--',
  '',
  'DROP TABLE IF EXISTS `images`;',
  'CREATE TABLE `images` (`id` int NOT NULL, `data` longblob, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
  '',
  '--',
  '-- Dumping data for table `images`',
  '--',
  long,
  long,
  'DELIMITER ;;',
  '/*!50003 CREATE TRIGGER t BEFORE INSERT ON images FOR EACH ROW SET NEW.id = NEW.id */;;',
  'DELIMITER ;',
  '',
  '--',
  '-- Table structure for table `we``ird`',
  '--',
  'CREATE TABLE `we``ird` (`id` int) ENGINE=InnoDB;',
  '',
  '--',
  '-- Table structure for table `café`',
  '--',
  "INSERT INTO `café` VALUES (1,'é');",
  '',
  '--',
  '-- Temporary table structure for view `recent`',
  '--',
  'SET @saved_cs_client     = @@character_set_client;',
  '',
  '--',
  "-- Dumping events for database 'glowworm'",
  '--',
  '',
  '--',
  "-- Dumping routines for database 'glowworm'",
  '--',
  '',
  '--',
  '-- Final view structure for view `recent`',
  '--',
  '/*!50001 CREATE VIEW `recent` AS select 1 AS `id` */;',
  '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
  '-- Dump completed on 2026-12-02  1:00:00',
  '',
].join('\n'));

async function sectioned(chunk: number, blockSize: number) {
  const finder = new SectionFinder();
  const gzip = new ParallelGzip({ level: 1, blockSize, parallel: 3, cuts: finder.cuts });
  const parts: Buffer[] = [];
  const chunks = Array.from({ length: Math.ceil(DUMP.length / chunk) }, (_, i) => DUMP.subarray(i * chunk, (i + 1) * chunk));
  await pipeline(Readable.from(chunks), finder, gzip, new Writable({ write: (c: Buffer, _e, cb) => (parts.push(c), cb()) }));
  return { file: Buffer.concat(parts), sections: placeSections(finder.sections, gzip.members) };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a dump in sections', () => {
  it('cuts where each table and the tail begin, each section gunzipping alone to its own SQL, whatever the chunking', async () => {
    const marks = ['-- Table structure for table `images`', '-- Table structure for table `we``ird`', '-- Table structure for table `café`',
      '-- Temporary table structure for view `recent`', "-- Dumping events for database 'glowworm'"].map((m) => DUMP.indexOf(`\n${m}`) + 1);
    const expected = [0, ...marks, DUMP.length];
    for (const [chunk, blockSize] of [[1, 4096], [7, 1 << 20], [4093, 16_384], [DUMP.length, 1 << 20]] as const) {
      const { file, sections } = await sectioned(chunk, blockSize);
      expect(gunzipSync(file).equals(DUMP)).toBe(true);
      expect(sections.map((s) => [s.kind, s.name])).toEqual([
        ['head', null], ['table', 'images'], ['table', 'we`ird'], ['table', 'café'], ['table', 'recent'], ['tail', null],
      ]);
      let offset = 0;
      sections.forEach((s, i) => {
        const sql = DUMP.subarray(expected[i]!, expected[i + 1]!);
        expect(s.offset).toBe(offset);
        expect(gunzipSync(file.subarray(s.offset, s.offset + s.bytes)).equals(sql)).toBe(true);
        expect([s.sqlBytes, s.sha256]).toEqual([sql.length, sha256(sql)]);
        offset += s.bytes;
      });
      expect(offset).toBe(file.length);
    }
  });

  it('a dump of a database with no table is one section', async () => {
    const finder = new SectionFinder();
    const gzip = new ParallelGzip({ cuts: finder.cuts });
    const empty = Buffer.from('/*!40101 SET NAMES utf8mb4 */;\n-- Dump completed on 2026-12-02\n');
    await pipeline(Readable.from([empty]), finder, gzip, new Writable({ write: (_c, _e, cb) => cb() }));
    expect(placeSections(finder.sections, gzip.members).map((s) => [s.kind, s.sqlBytes, s.sha256])).toEqual([['head', empty.length, sha256(empty)]]);
  });

  it('refuses sections that do not begin a gzip member', () => {
    const found = [{ kind: 'head' as const, name: null, sqlStart: 0, sqlBytes: 10, sha256: '' }, { kind: 'table' as const, name: 't', sqlStart: 10, sqlBytes: 10, sha256: '' }];
    expect(() => placeSections(found, [{ sqlBytes: 20, bytes: 15 }])).toThrow(/does not begin a gzip member/);
  });
});
