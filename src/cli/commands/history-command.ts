// `glowworm history`: every run of this project from its journals (read-only), newest first: when, what, from → to,
// how it ended, the downtime, and each migration with its duration. `--json`: one JSON document.
import type { HistoryEntry } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import { commonArgs, parseCommand } from '../args.js';
import { ExitCode } from '../exit-codes.js';

export const HISTORY_HELP = `Usage: glowworm history [--project-dir DIR] [-f FILE]... [--json] [--limit N]

Every run of this project (upgrades, backups, restores, recover, reset), newest first, read from its journals in
.glowworm/runs/: when, from → to, the outcome, the downtime, each migration with its duration. Changes nothing.`;

const secs = (ms: number | null) => (ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`);

export function historyText(runs: HistoryEntry[]): string {
  if (!runs.length) return 'No runs recorded in this project yet.';
  const lines: string[] = [];
  for (const r of runs) {
    const when = r.startedAt ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '?';
    const versions = r.fromVersion || r.toVersion ? `  ${r.fromVersion ?? '?'} → ${r.toVersion ?? '?'}` : '';
    const timing = [`took ${secs(r.durationMs)}`, r.downtimeMs !== null ? `downtime ${secs(r.downtimeMs)}` : null].filter(Boolean).join(', ');
    lines.push(`${when}  ${r.command.padEnd(8)} ${r.status}${r.outcome && r.outcome !== 'ok' ? ` (${r.outcome})` : ''}${versions}  ${timing}  [${r.runId}]`);
    for (const m of r.migrations) lines.push(`    ${m.ok ? '✔' : '✘'} ${m.revision}${m.message ? ` ${m.message}` : ''}  ${secs(m.durationMs)}`);
    for (const m of r.rehearsal) lines.push(`    rehearsal ${m.ok ? '✔' : '✘'} ${m.revision}  ${secs(m.durationMs)}`);
    if (r.failedRevision) lines.push(`    failed at ${r.failedRevision}: ${r.error ?? ''}`);
    else if (r.error) lines.push(`    ${r.error}`);
    if (r.backupPath) lines.push(`    backup ${r.backupPath}`);
  }
  return lines.join('\n');
}

export async function historyCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('history', argv, { limit: { type: 'string' } });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(HISTORY_HELP + '\n');
    return ExitCode.ok;
  }
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) throw userError('usage.bad-number', `--limit needs a whole number above 0, got "${values.limit}".`);
  const runs = (await engine.history({ projectDir: common.projectDir, files: common.files })).slice(0, limit);
  process.stdout.write((common.mode === 'json' ? JSON.stringify({ v: 1, type: 'history', runs }) : historyText(runs)) + '\n');
  return ExitCode.ok;
}
