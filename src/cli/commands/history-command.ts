// `glowworm history`: every run of this project from its journals (read-only), newest first: when, what, from → to,
// how it ended, the downtime, and each migration with its duration. `--json`: one JSON document.
import type { HistoryEntry } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';
import { ExitCode } from '../exit-codes.js';
import { historyRows } from '../../ui/state/history-rows.js';
import { rowsText } from '../../ui/state/rows.js';

export const HISTORY_HELP = `Usage: glowworm history [--project-dir DIR] [-f FILE]... [--json] [--limit N]

Every run of this project (upgrades, backups, restores, recover, reset), newest first, read from its journals in
.glowworm/runs/: when, from → to, the outcome, the downtime, each migration with its duration. Changes nothing.`;

/** The same rows as the doctor's "Run history", as text. */
export function historyText(runs: HistoryEntry[]): string {
  return rowsText(historyRows(runs));
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
  const runs = (await engine.history(await resolveProject(common.project))).slice(0, limit);
  process.stdout.write((common.mode === 'json' ? JSON.stringify({ v: 1, type: 'history', runs }) : historyText(runs)) + '\n');
  return ExitCode.ok;
}
