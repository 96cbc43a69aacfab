// How fast `glowworm --version` starts (target: < 150 ms). The CLI loads ink and react only for interactive screens
// (a lazy import in src/cli/tui.ts); this measures that the fast path stays fast, and shows what loading the UI
// would cost by timing `node -e "import('ink')"` beside it. A benchmark, not a test: it prints numbers.
// Run: npm run build && npx tsx bench/version-startup.ts [--runs N]   (default 31 runs, first 3 discarded as warm-up)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 31;
const WARMUP = 3;
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'glowworm');

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function measure(label: string, args: string[]) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const ms = timeOnce(args);
    if (i >= WARMUP) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { label, runs: samples.length, min: samples[0]!, median: at(0.5), p90: at(0.9), max: samples.at(-1)! };
}

const rows = [
  measure('node (empty script)', ['-e', '']),
  measure('glowworm --version', [BIN, '--version']),
  measure('node: import ink + react (what the TUI adds)', ['--input-type=module', '-e', "await import('ink'); await import('react');"]),
];
const fmt = (n: number) => `${n.toFixed(0)} ms`.padStart(7);
process.stdout.write(`node ${process.version}, ${RUNS} runs each after ${WARMUP} warm-up runs\n`);
process.stdout.write(`${'what'.padEnd(46)} ${'median'.padStart(7)} ${'p90'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)}\n`);
for (const r of rows) process.stdout.write(`${r.label.padEnd(46)} ${fmt(r.median)} ${fmt(r.p90)} ${fmt(r.min)} ${fmt(r.max)}\n`);
const version = rows[1]!;
process.stdout.write(`\nglowworm --version median ${version.median.toFixed(0)} ms: ${version.median < 150 ? 'within' : 'OVER'} the 150 ms budget\n`);
