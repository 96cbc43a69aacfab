// `glowworm history` and the doctor's "Run history" as rows: one line a run (when, what, how it ended, from → to,
// how long, the downtime), then its migrations with their durations, the failure and the backup.
import type { HistoryEntry } from '../../engine/api.js';
import { formatMaybeDuration } from './format.js';
import { row, type Row } from './rows.js';


function runRow(r: HistoryEntry): Row {
  const when = r.startedAt ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '?';
  const versions = r.fromVersion || r.toVersion ? `  ${r.fromVersion ?? '?'} → ${r.toVersion ?? '?'}` : '';
  const timing = [`took ${formatMaybeDuration(r.durationMs)}`, r.downtimeMs !== null ? `downtime ${formatMaybeDuration(r.downtimeMs)}` : null].filter(Boolean).join(', ');
  const tone = r.status === 'completed' ? 'ok' : r.status === 'rolled-back' || r.status === 'failed' ? 'warn' : 'error';
  return row(`${when}  ${r.command.padEnd(8)} ${r.status}${r.outcome && r.outcome !== 'ok' ? ` (${r.outcome})` : ''}${versions}  ${timing}  [${r.runId}]`, tone);
}

export function historyRows(runs: readonly HistoryEntry[]): Row[] {
  if (!runs.length) return [row('No runs recorded in this project yet (.glowworm/runs).', 'dim')];
  return runs.flatMap((r) => [
    runRow(r),
    ...r.migrations.map((m) => row(`    ${m.ok ? '✔' : '✘'} ${m.revision}${m.message ? ` ${m.message}` : ''}  ${formatMaybeDuration(m.durationMs)}`, m.ok ? 'dim' : 'error')),
    ...r.rehearsal.map((m) => row(`    rehearsal ${m.ok ? '✔' : '✘'} ${m.revision}  ${formatMaybeDuration(m.durationMs)}`, m.ok ? 'dim' : 'error')),
    ...(r.failedRevision ? [row(`    failed at ${r.failedRevision}: ${r.error ?? ''}`, 'error')] : r.error ? [row(`    ${r.error}`, 'warn')] : []),
    ...(r.backupPath ? [row(`    backup ${r.backupPath}`, 'dim')] : []),
  ]);
}
