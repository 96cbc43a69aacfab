// Benchmarks on the rig, side by side in one run (numbers, not pass/fail — timing targets do not belong in tests):
//  1. downtime of `glowworm upgrade` vs `docker-compose pull && docker-compose up -d`, 1.0.0 → 1.1.0 on identical
//     stacks, measured by the same outside prober (GET /api/setup/status through the published frontend port);
//  2. backup throughput and peak RSS of glowworm's dump pipeline vs `docker exec … mysqldump | gzip -1` on a
//     database of at least 500 MB.
// Writes docs/benchmarks.md. Run: npm run bench   (options: --seed-mb N, default 600; --rounds N, default 2)
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rigSetup, stackDown, stackEnv, stackUp, tmpStackDir, dbQuery, type Stack } from '../test/rig/index.js';
import { compose } from '../test/rig/stack-up.js';
import { DUMP_FLAGS } from '../src/engine/backup/dump.js';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEED_MB = arg('seed-mb', 600);
const ROUNDS = arg('rounds', 2);
const BIN = join(import.meta.dirname, '..', 'bin', 'glowworm');
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/**
 * Poll the app as a user would, one request after another. A probe that fails, or answers slower than SLOW_MS (a
 * request hanging while a container comes up is an outage too), counts as down until the next probe starts. The
 * downtime is the SUM over the whole run: compose has several short outages (backend, then frontend), we have one.
 */
const SLOW_MS = 500;
function probe(port: number) {
  let downMs = 0;
  let windows = 0;
  let lastOk = true;
  let stop = false;
  let pending: { start: number; ok: boolean } | null = null;
  const loop = (async () => {
    while (!stop) {
      const start = Date.now();
      if (pending && !pending.ok) downMs += start - pending.start;
      let ok = false;
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/setup/status`, { signal: AbortSignal.timeout(5000) });
        ok = r.status === 200 && Date.now() - start < SLOW_MS;
      } catch {
        ok = false;
      }
      if (!ok && lastOk) windows++;
      lastOk = ok;
      pending = { start, ok };
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async finish(): Promise<{ downtimeMs: number; windows: number }> {
      // Keep probing until the app answers promptly again, then stop.
      const deadline = Date.now() + 300_000;
      while ((!lastOk || pending === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stop = true;
      await loop;
      return { downtimeMs: downMs, windows };
    },
  };
}

async function composeUpgrade(stack: Stack): Promise<number> {
  const file = join(stack.dir, 'docker-compose.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll(':1.0.0', ':1.1.0'));
  const p = probe(stack.frontendPort);
  await compose(stack.dir, ['pull', '--quiet']);
  await compose(stack.dir, ['up', '-d']);
  return (await p.finish()).downtimeMs;
}

async function glowwormUpgrade(stack: Stack): Promise<{ downtimeMs: number; backupMs: number; reportedDowntimeMs: number }> {
  const p = probe(stack.frontendPort);
  const { stdout } = await run(process.execPath, [BIN, 'upgrade', '--project-dir', stack.dir, '--to', '1.1.0', '--yes', '--json'], { maxBuffer: 256 * 1024 * 1024 });
  const { downtimeMs } = await p.finish();
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  // Step ids are `NN-<operation>:<resource>`; anchored, so `-backup:` does not also count `-verify-backup:`.
  const stepMs = (operation: string) => events.filter((e) => e.type === 'step.completed' && new RegExp(`^\\d+-${operation}:`).test(e.step)).reduce((n, e) => n + e.durationMs, 0);
  const done = events.find((e) => e.type === 'upgrade.completed');
  if (!done) throw new Error(`glowworm upgrade did not complete:\n${stdout.slice(-2000)}`);
  return { downtimeMs, backupMs: stepMs('backup') + stepMs('verify-backup'), reportedDowntimeMs: done.downtimeMs };
}

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

async function engineBackup(stack: Stack): Promise<{ ms: number; dumpMs: number; uncompressed: number; gz: number; maxRssMb: number }> {
  const { stdout } = await run(process.execPath, [join(import.meta.dirname, 'backup-child.mjs'), stack.dir], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => bytes / 1048576 / (ms / 1000);

async function main(): Promise<void> {
  await rigSetup();
  const stamp = new Date().toISOString();

  say('downtime: two identical 1.0.0 stacks');
  const dirs = [tmpStackDir('bench-compose'), tmpStackDir('bench-glowworm')];
  const composeDowntimes: number[] = [];
  const ours: Awaited<ReturnType<typeof glowwormUpgrade>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await stackUp({ version: '1.0.0', dir: dirs[0]!, prefix: `bc${round}-` });
    composeDowntimes.push(await composeUpgrade(a));
    await stackDown(a.dir, a.prefix);
    const b = await stackUp({ version: '1.0.0', dir: dirs[1]!, prefix: `bg${round}-` });
    ours.push(await glowwormUpgrade(b));
    await stackDown(b.dir, b.prefix);
    say(`round ${round + 1}: compose ${composeDowntimes.at(-1)} ms, glowworm ${ours.at(-1)!.downtimeMs} ms (backup+verify ${ours.at(-1)!.backupMs} ms)`);
  }

  say(`backup: a ${SEED_MB} MB database`);
  const dir = tmpStackDir('bench-backup');
  const big = await stackUp({ version: '1.1.0', dir, prefix: 'bb-', seedMb: SEED_MB });
  const sizeRows = await dbQuery<{ mb: string }[]>(big, 'SELECT ROUND(SUM(data_length + index_length) / 1048576) AS mb FROM information_schema.tables WHERE table_schema = DATABASE()');
  const dbMb = Number(sizeRows[0]?.mb ?? 0);
  const pipes: Awaited<ReturnType<typeof pipeBackup>>[] = [];
  const engines: Awaited<ReturnType<typeof engineBackup>>[] = [];
  // One discarded dump first: the first read of 600 MB comes from disk, the rest from the page cache.
  await pipeBackup(big);
  for (let round = 0; round < ROUNDS; round++) {
    pipes.push(await pipeBackup(big));
    engines.push(await engineBackup(big));
    say(`round ${round + 1}: pipe ${pipes.at(-1)!.ms.toFixed(0)} ms, glowworm ${engines.at(-1)!.ms.toFixed(0)} ms, RSS ${engines.at(-1)!.maxRssMb.toFixed(0)} MB`);
  }
  await stackDown(big.dir, big.prefix);

  const sqlBytes = median(engines.map((e) => e.uncompressed));
  const composeMs = median(composeDowntimes);
  const oursMs = median(ours.map((o) => o.downtimeMs));
  const backupMs = median(ours.map((o) => o.backupMs));
  const pipeMbps = mbps(sqlBytes, median(pipes.map((p) => p.ms)));
  const engineMbps = mbps(sqlBytes, median(engines.map((e) => e.dumpMs)));
  const engineWholeMbps = mbps(sqlBytes, median(engines.map((e) => e.ms)));
  const rss = Math.max(...engines.map((e) => e.maxRssMb));
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const report = `# Benchmarks

Measured ${stamp} on the rig (Debian docker.io 20.10, fixture images, MariaDB), ${ROUNDS} rounds each, medians shown.
Produced by:

    npm run bench -- --seed-mb ${SEED_MB} --rounds ${ROUNDS}

## Downtime: glowworm upgrade vs docker-compose pull && up -d (1.0.0 → 1.1.0, 4 migrations incl. a merge)

Downtime is what a user sees, summed over the whole run: the time in which \`GET /api/setup/status\` through the
published frontend port did not answer 200 within ${SLOW_MS} ms (probed back to back from outside, every 50 ms; a request
that hangs while a container starts counts as down). compose has several short outages (the backend, later the
frontend); glowworm has one, longer, because it stops the writers, backs up and verifies before anything changes.

| | downtime |
|---|---|
| docker-compose pull && up -d | ${(composeMs / 1000).toFixed(1)} s |
| glowworm upgrade (whole) | ${(oursMs / 1000).toFixed(1)} s |
| of which backup + verification by restore | ${(backupMs / 1000).toFixed(1)} s |

Target: glowworm ≤ 1.1 × compose + backup time = ${((1.1 * composeMs + backupMs) / 1000).toFixed(1)} s → **${verdict(oursMs <= 1.1 * composeMs + backupMs)}**.
Per round: compose ${composeDowntimes.map((m) => `${(m / 1000).toFixed(1)} s`).join(', ')}; glowworm ${ours.map((o) => `${(o.downtimeMs / 1000).toFixed(1)} s (backup ${(o.backupMs / 1000).toFixed(1)} s)`).join(', ')}.

## Backup: glowworm's pipeline vs \`docker exec … mysqldump | gzip -1\` (${dbMb} MB database, ${(sqlBytes / 1048576).toFixed(0)} MB of SQL)

| | time | throughput (SQL) | peak RSS |
|---|---|---|---|
| docker exec mysqldump \\| gzip -1 | ${(median(pipes.map((p) => p.ms)) / 1000).toFixed(1)} s | ${pipeMbps.toFixed(1)} MB/s | ${Math.max(...pipes.map((p) => p.maxRssMb)).toFixed(0)} MB (docker client + gzip) |
| glowworm dump stage (exec → demux → gzip → sha256 → file) | ${(median(engines.map((e) => e.dumpMs)) / 1000).toFixed(1)} s | ${engineMbps.toFixed(1)} MB/s | ${rss.toFixed(0)} MB (whole node process, compiled) |
| glowworm whole backup (the dump, then CHECKSUM TABLE + row counts of every table for the verification) | ${(median(engines.map((e) => e.ms)) / 1000).toFixed(1)} s | ${engineWholeMbps.toFixed(1)} MB/s | (same process) |

The pipe does the same work as the dump stage (dump, compress, write); the whole backup also reads every table once
more for the checksums the verification compares. Targets (on the dump stage): throughput ≥ 0.95 × pipe =
${(0.95 * pipeMbps).toFixed(1)} MB/s → **${verdict(engineMbps >= 0.95 * pipeMbps)}**; peak RSS < 150 MB → **${verdict(rss < 150)}**.
Per round: pipe ${pipes.map((p) => `${(p.ms / 1000).toFixed(1)} s`).join(', ')}; glowworm dump ${engines.map((e) => `${(e.dumpMs / 1000).toFixed(1)} s`).join(', ')}.
`;
  writeFileSync(join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), report);
  process.stdout.write(report);
}

await main();
