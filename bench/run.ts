// Benchmarks on the rig, side by side in one run (numbers, not pass/fail — timing targets do not belong in tests):
//  1. downtime of `glowworm upgrade` vs `docker-compose pull && docker-compose up -d`, 1.0.0 → 1.1.0 on identical
//     stacks, measured by the same outside prober (GET /api/setup/status through the published frontend port);
//  2. backup throughput and peak RSS of glowworm's dump pipeline vs `docker exec … mysqldump | gzip -1` on a
//     database of at least 500 MB.
//  3. restore of the same backup into the throwaway server (tuned as a disposable copy) vs a plain `mysql < dump`
//     into a server with production's options (bench/restore-bench.ts), as ratios pair by pair in the same run.
// Writes docs/benchmarks.md. Run: npm run bench   (options: --seed-mb N, default 600; --rounds N, default 2;
// --only backup: only 2 and 3; --only downtime: only 1; --downtime-mb 0,300,1024: the sizes of 1, 0 = default seed)
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rigSetup, stackDown, stackEnv, stackUp, tmpStackDir, dbQuery, type Stack } from '../test/rig/index.js';
import { DUMP_FLAGS } from '../src/engine/backup/dump.js';
import { defaultMemoryCap } from '../src/engine/backup/disposable-server.js';
import { loadManifest } from '../src/engine/backup/store.js';
import { DockerodeDocker } from '../src/engine/docker/dockerode-docker.js';
import { restoreRound, type RestoreRound } from './restore-bench.js';
import { downtimeSection } from './downtime-bench.js';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEED_MB = arg('seed-mb', 600);
const ROUNDS = arg('rounds', 2);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const ONLY_BACKUP = ONLY === 'backup';
const ONLY_DOWNTIME = ONLY === 'downtime';
/** Database sizes of the downtime section, in MB (0: the rig's default seed). */
const DOWNTIME_MB = (process.argv.includes('--downtime-mb') ? process.argv[process.argv.indexOf('--downtime-mb') + 1]! : '0,300').split(',').map(Number);
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function pipeBackup(stack: Stack): Promise<{ ms: number; maxRssMb: number }> {
  const env = stackEnv(stack);
  const db = `${stack.prefix}glowworm-mysql`;
  const started = process.hrtime.bigint();
  // The shell pipeline users run by hand. Its memory is the docker client's plus gzip's: sampled from /proc while
  // they run (GNU time is not installed here).
  const child = spawn('bash', ['-c', `/usr/bin/docker exec -e MYSQL_PWD ${db} mysqldump ${DUMP_FLAGS.join(' ')} --user=root glowworm | gzip -1 > /tmp/bench-pipe.sql.gz`], {
    env: { ...process.env, MYSQL_PWD: env['MYSQL_ROOT_PASSWORD'] },
    stdio: 'inherit',
  });
  let peakKb = 0;
  const sampler = setInterval(async () => {
    try {
      const { stdout } = await run('bash', ['-c', `for p in $(pgrep -P ${child.pid}); do grep VmRSS /proc/$p/status; done`]);
      const kb = stdout.split('\n').map((l) => Number(l.replace(/\D/g, '')) || 0).reduce((a, b) => a + b, 0);
      peakKb = Math.max(peakKb, kb);
    } catch { /* between processes */ }
  }, 200);
  await new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(null) : reject(new Error(`pipe exited ${code}`)))));
  clearInterval(sampler);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, maxRssMb: peakKb / 1024 };
}

interface EngineBackup { ms: number; dumpMs: number; uncompressed: number; gz: number; maxRssMb: number; writersWaitedMs: number | null; file: string }
/** One backup by the compiled product in a process of its own; `keep` leaves the file (for the restore rounds). */
async function engineBackup(stack: Stack, opts: { online?: boolean; keep?: boolean } = {}): Promise<EngineBackup> {
  const args = [join(import.meta.dirname, 'backup-child.mjs'), stack.dir, ...(opts.online ? ['--online'] : []), ...(opts.keep ? ['--keep'] : [])];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** docs/benchmarks.md with the section under `heading` (up to the next `## `) replaced, or appended. */
function withSection(doc: string, heading: string, text: string): string {
  const start = doc.indexOf(heading);
  if (start < 0) return `${doc.trimEnd()}\n\n${text}`;
  const next = doc.indexOf('\n## ', start + heading.length);
  return doc.slice(0, start) + text + (next < 0 ? '' : doc.slice(next + 1));
}

/** The middle value; of an even count, the mean of the middle two (not the upper one, which flatters a ratio). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mbps = (bytes: number, ms: number) => bytes / 1048576 / (ms / 1000);

const ratio = (xs: number[]) => `${median(xs).toFixed(2)}× (pairs ${xs.map((x) => x.toFixed(2)).join(', ')})`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const DOWNTIME_HEADING = '## Downtime:';
const BACKUP_HEADING = '## Backup:';
const RESTORE_HEADING = '## Restore:';

async function backupSections(): Promise<{ backup: string; restore: string }> {
  say(`backup: a ${SEED_MB} MB database`);
  const dir = tmpStackDir('bench-backup');
  const big = await stackUp({ version: '1.1.0', dir, prefix: 'bb-', seedMb: SEED_MB });
  try {
    const sizeRows = await dbQuery<{ mb: string }[]>(big, 'SELECT ROUND(SUM(data_length + index_length) / 1048576) AS mb FROM information_schema.tables WHERE table_schema = DATABASE()');
    const dbMb = Number(sizeRows[0]?.mb ?? 0);
    const pipes: Awaited<ReturnType<typeof pipeBackup>>[] = [];
    const engines: EngineBackup[] = [];
    const onlines: EngineBackup[] = [];
    // One discarded dump first: the first read of the database comes from disk, the rest from the page cache.
    await pipeBackup(big);
    for (let round = 0; round < ROUNDS; round++) {
      pipes.push(await pipeBackup(big));
      engines.push(await engineBackup(big));
      onlines.push(await engineBackup(big, { online: true, keep: round === ROUNDS - 1 }));
      say(`round ${round + 1}: pipe ${pipes.at(-1)!.ms.toFixed(0)} ms, glowworm ${engines.at(-1)!.ms.toFixed(0)} ms, online ${onlines.at(-1)!.ms.toFixed(0)} ms, RSS ${engines.at(-1)!.maxRssMb.toFixed(0)} MB`);
    }
    const kept = onlines.at(-1)!.file;
    const manifest = (await loadManifest(kept))!;
    const db = (await new DockerodeDocker().inspectContainer(`${big.prefix}glowworm-mysql`))!;
    const restores: RestoreRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      restores.push(await restoreRound(db, kept, manifest));
      say(`restore round ${round + 1}: plain ${restores.at(-1)!.plainMs.toFixed(0)} ms, glowworm load ${restores.at(-1)!.loadMs.toFixed(0)} ms (+ compare ${restores.at(-1)!.compareMs.toFixed(0)} ms)`);
    }

    const sqlBytes = median(engines.map((e) => e.uncompressed));
    const pipeMbps = mbps(sqlBytes, median(pipes.map((p) => p.ms)));
    const dumpRatios = pipes.map((p, i) => p.ms / engines[i]!.dumpMs);
    const wholeRatios = pipes.map((p, i) => p.ms / engines[i]!.ms);
    const onlineRatios = pipes.map((p, i) => p.ms / onlines[i]!.ms);
    const loadRatios = restores.map((r) => r.plainMs / r.loadMs);
    const verifyRatios = restores.map((r) => r.plainMs / (r.loadMs + r.compareMs));
    const rss = Math.max(...engines.map((e) => e.maxRssMb), ...onlines.map((e) => e.maxRssMb));
    const backup = `${BACKUP_HEADING} glowworm's pipeline vs \`docker exec … mysqldump | gzip -1\` (${dbMb} MB database, ${(sqlBytes / 1048576).toFixed(0)} MB of SQL)

Ratios are the pipe's time over glowworm's, pair by pair in the same run (above 1: glowworm is faster).

| | time | throughput (SQL) | vs the pipe | peak RSS |
|---|---|---|---|---|
| docker exec mysqldump \\| gzip -1 | ${seconds(median(pipes.map((p) => p.ms)))} | ${pipeMbps.toFixed(1)} MB/s | 1 | ${Math.max(...pipes.map((p) => p.maxRssMb)).toFixed(0)} MB (docker client + gzip) |
| glowworm dump stage (exec → demux → gzip → sha256 → file) | ${seconds(median(engines.map((e) => e.dumpMs)))} | ${mbps(sqlBytes, median(engines.map((e) => e.dumpMs))).toFixed(1)} MB/s | ${ratio(dumpRatios)} | ${rss.toFixed(0)} MB (whole node process, compiled) |
| glowworm whole backup, app stopped (the dump, then CHECKSUM TABLE + row counts) | ${seconds(median(engines.map((e) => e.ms)))} | ${mbps(sqlBytes, median(engines.map((e) => e.ms))).toFixed(1)} MB/s | ${ratio(wholeRatios)} | (same process) |
| glowworm whole backup, online (shared snapshot, the dump, then row CRC32s in the snapshot) | ${seconds(median(onlines.map((e) => e.ms)))} | ${mbps(sqlBytes, median(onlines.map((e) => e.ms))).toFixed(1)} MB/s | ${ratio(onlineRatios)} | writers waited ${onlines.map((o) => `${o.writersWaitedMs} ms`).join(', ')} |

Target (issue 14): backup throughput ≥ 1.5 × the pipe → **${verdict(median(dumpRatios) >= 1.5)}** (dump stage ${median(dumpRatios).toFixed(2)}×);
peak RSS < 200 MB → **${verdict(rss < 200)}** (at ${dbMb} MB).
Per round: pipe ${pipes.map((p) => seconds(p.ms)).join(', ')}; glowworm dump ${engines.map((e) => seconds(e.dumpMs)).join(', ')}; online whole ${onlines.map((e) => seconds(e.ms)).join(', ')}.
`;
    const restore = `${RESTORE_HEADING} into the throwaway server vs a plain \`mysql < dump\` (the online backup above, ${(sqlBytes / 1048576).toFixed(0)} MB of SQL)

Plain: a fresh server from production's DB image with production's options, \`gunzip -c | docker exec -i … mysql\`.
glowworm: the verification server (backup/disposable-server.ts: no doublewrite, no redo flush at commit, half of a
${(defaultMemoryCap() / 1048576).toFixed(0)} MiB memory cap as buffer pool, no binlog) loading over several connections
(backup/parallel-load.ts), as the verification does; then,
timed apart, the comparison of every table with the manifest. Ratios: plain time over glowworm's, pair by pair.

| | time | vs plain |
|---|---|---|
| plain mysql < dump | ${seconds(median(restores.map((r) => r.plainMs)))} | 1 |
| glowworm load into the throwaway | ${seconds(median(restores.map((r) => r.loadMs)))} | ${ratio(loadRatios)} |
| glowworm load + comparison (the whole verification) | ${seconds(median(restores.map((r) => r.loadMs + r.compareMs)))} | ${ratio(verifyRatios)} |

Target (issue 14): restore into the throwaway ≥ 3 × plain → **${verdict(median(loadRatios) >= 3)}** (${median(loadRatios).toFixed(2)}×).
`;
    return { backup, restore };
  } finally {
    await stackDown(big.dir, big.prefix);
  }
}

async function main(): Promise<void> {
  await rigSetup();
  const stamp = new Date().toISOString();
  const loadBefore = loadavg()[0]!;
  const docPath = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  let doc = readFileSync(docPath, 'utf8');
  if (!ONLY_BACKUP) doc = withSection(doc, DOWNTIME_HEADING, await downtimeSection(DOWNTIME_HEADING, { sizesMb: DOWNTIME_MB, rounds: ROUNDS }));
  if (!ONLY_DOWNTIME) {
    const { backup, restore } = await backupSections();
    doc = withSection(withSection(doc, BACKUP_HEADING, backup), RESTORE_HEADING, restore);
  }
  const loadAfter = loadavg()[0]!;
  const intro = `# Benchmarks

Measured ${stamp} on the rig (Debian docker.io 20.10, fixture images, MariaDB), ${ROUNDS} rounds each, medians shown${ONLY ? ` (this run was \`--only ${ONLY}\`: the other sections are from an earlier run)` : ''}.
The machine is shared (2 cores): its load average was ${loadBefore.toFixed(1)} when the run began and ${loadAfter.toFixed(1)} when it ended; under
load, absolute times mean little and only the ratios, pair by pair, compare like with like.
Produced by:

    npm run bench -- ${ONLY ? `--only ${ONLY} ` : ''}${ONLY_BACKUP ? '' : `--downtime-mb ${DOWNTIME_MB.join(',')} `}${ONLY_DOWNTIME ? '' : `--seed-mb ${SEED_MB} `}--rounds ${ROUNDS}

`;
  doc = intro + doc.slice(doc.indexOf(DOWNTIME_HEADING) >= 0 ? doc.indexOf(DOWNTIME_HEADING) : doc.indexOf(BACKUP_HEADING));
  writeFileSync(docPath, doc);
  process.stdout.write(doc);
}

await main();
