// One backup through the product's compiled pipeline (dist/, plain node — as users run it): exec → demux → gzip →
// sha256 → file, then the table checksums (`--online`: while the app serves; `--keep`: the file stays). Its own process, so maxRSS is the tool's alone. Prints one JSON line.
import { rm } from 'node:fs/promises';
import { openDeployment, requireDb } from '../dist/src/engine/commands/deployment.js';
import { takeBackup } from '../dist/src/engine/backup/take-backup.js';
import { runningImages } from '../dist/src/engine/plan/observed-state.js';
import { Redactor } from '../dist/src/engine/secrets.js';

const dir = process.argv[2];
const online = process.argv.includes('--online');
const keep = process.argv.includes('--keep');
const d = await openDeployment({ projectDir: dir }, new Redactor());
const { db, creds } = requireDb(d);
const started = process.hrtime.bigint();
const taken = await takeBackup({ docker: d.docker, db, creds, project: d.observed.project.name, projectDir: dir, images: runningImages(d.observed), online });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const m = taken.manifest.dump;
const writersWaitedMs = taken.manifest.online?.writersWaitedMs ?? null;
process.stdout.write(JSON.stringify({ ms, dumpMs: m.durationMs, uncompressed: m.uncompressedBytes, gz: m.bytes, maxRssMb: process.resourceUsage().maxRSS / 1024, writersWaitedMs, file: taken.file }) + '\n');
if (!keep) {
  await rm(taken.file, { force: true });
  await rm(taken.file.replace(/\.sql\.gz$/, '.manifest.json'), { force: true });
}
process.exit(0);
