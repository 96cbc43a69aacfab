// One backup through the engine's own pipeline (exec → demux → gzip → sha256 → file), in its own process so its
// peak RSS (maxRSS) is ours alone. Prints one JSON line. Used by bench/run.ts.
import { rm } from 'node:fs/promises';
import { openDeployment, requireDb } from '../src/engine/commands/deployment.js';
import { takeBackup } from '../src/engine/backup/take-backup.js';
import { runningImages } from '../src/engine/plan/observed-state.js';
import { Redactor } from '../src/engine/secrets.js';

const dir = process.argv[2]!;
const d = await openDeployment({ projectDir: dir }, new Redactor());
const { db, creds } = requireDb(d);
const started = process.hrtime.bigint();
const taken = await takeBackup({ docker: d.docker, db, creds, project: d.observed.project.name, projectDir: dir, images: runningImages(d.observed) });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({
  ms, dumpMs: taken.manifest.dump.durationMs, uncompressed: taken.manifest.dump.uncompressedBytes, gz: taken.manifest.dump.bytes,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}) + '\n');
await rm(taken.file, { force: true });
await rm(taken.file.replace(/\.sql\.gz$/, '.manifest.json'), { force: true });
process.exit(0);
