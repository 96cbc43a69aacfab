// The doctor's read-only reports as rows: status, Alembic output, schema check, backups.
import type { BackupInfo, CommandOutput, HalfApplied, SchemaReport, StatusReport } from '../../engine/api.js';
import { totalRows } from '../../engine/backup/manifest.js';
import type { StatusAttention } from '../../engine/commands/status.js';
import { formatBytes } from './format.js';
import { blank, row, type Row } from './rows.js';

function healthTone(state: string, health: string | null): Row['tone'] {
  if (state !== 'running' || health === 'unhealthy') return 'error';
  if (health === 'starting') return 'warn';
  return 'ok';
}

/** What a fault left, first and loud: the unfinished run, the lock, the app containers that are down, what to run. */
function attentionRows(a: StatusAttention): Row[] {
  if (a.verdict === 'ok') return [];
  const tone = a.verdict === 'running' ? 'warn' : 'error';
  const mark = tone === 'warn' ? '!' : '✘';
  const rows: Row[] = [row(a.verdict === 'running' ? 'A glowworm run is working on this project' : 'Needs attention', 'heading')];
  const u = a.unfinishedRun;
  if (u) {
    // A step journaled as started is where it died; one completed, the last it finished.
    const at = u.stoppedAt && (u.stoppedAt.status === 'started' ? 'in' : u.stoppedAt.status === 'failed' ? 'at the failed step' : 'after');
    const where = u.stoppedAt ? `${at} "${u.stoppedAt.title}" (${u.stoppedAt.step})` : 'before its first step';
    rows.push(row(`  ${mark} Upgrade run ${u.runId} did not finish (${u.status}): it stopped ${where}. Journal: ${u.journal}`, tone));
  }
  const r = a.incompleteRun;
  if (r) {
    const what = r.status === 'rollback-incomplete' ? 'could not put back everything it changed' : `was stopped part-way${r.stoppedAt ? ` at "${r.stoppedAt}"` : ''}`;
    rows.push(row(`  ${mark} ${r.command[0]!.toUpperCase()}${r.command.slice(1)} run ${r.runId} ${what}. Journal: ${r.journal}`, tone));
  }
  if (a.journalError) rows.push(row(`  ✘ ${a.journalError}`, 'error'));
  if (a.lock) rows.push(row(`  ${mark} Lock ${a.lock.path}: ${a.lock.message}`, tone));
  if (a.notRunning.length) {
    rows.push(row(`  ${mark} Not running: ${a.notRunning.map((c) => `${c.container ?? c.service} (${c.state})`).join(', ')}`, tone));
  }
  rows.push(row('  Next:', 'heading'), ...a.next.map((n) => row(`    → ${n}`)), blank);
  return rows;
}

/** `attention` is on every report the engine makes (engine/commands/status.ts); a report without it has none. */
export function statusRows(r: StatusReport & { attention?: StatusAttention }): Row[] {
  const rows: Row[] = [row(`${r.project.name}  (${r.project.dir})`, 'heading'), blank];
  if (r.attention) rows.push(...attentionRows(r.attention));
  rows.push(row('Containers', 'heading'));
  const width = Math.max(7, ...r.services.map((s) => s.service.length));
  for (const s of r.services) {
    const tone = healthTone(s.state, s.health);
    const mark = tone === 'ok' ? '✔' : tone === 'warn' ? '!' : '✘';
    const state = `${s.state}${s.health ? ` (${s.health})` : ''}${s.restartCount ? `, ${s.restartCount} restarts` : ''}`;
    rows.push(row(`  ${mark} ${s.service.padEnd(width)}  ${state.padEnd(26)}  ${s.image ?? '-'}${s.version ? `  [${s.version}]` : ''}`, tone));
  }
  rows.push(blank, row('Database', 'heading'));
  const db = r.database;
  if (!db.reachable) rows.push(row('  ✘ not reachable', 'error'));
  else rows.push(row(`  ${db.name ?? '?'}: revision ${db.revisions?.join(', ') || '(none: empty database)'}, ${db.tables ?? '?'} tables`));
  const image = r.backendImage;
  if (image) {
    const ref = image.ref.startsWith('sha256:') ? image.ref.slice(0, 19) : image.ref; // an image id: its short form
    rows.push(row(`  backend image ${ref}: head ${image.heads.join(', ')}`));
    if (image.error) rows.push(row(`  ! ${image.error}`, 'warn'));
    else if (image.pending === null) rows.push(row('  pending migrations: unknown (database not readable)', 'dim'));
    else if (image.pending.length === 0) rows.push(row('  ✔ database is at the image head', 'ok'));
    else {
      rows.push(row(`  ! ${image.pending.length} pending migration(s):`, 'warn'));
      for (const p of image.pending) rows.push(row(`      ${p.id}  ${p.message}${p.isMerge ? '  (merge)' : ''}`));
    }
  }
  rows.push(blank, row('Latest backup', 'heading'));
  const b = r.latestBackup;
  rows.push(b ? row(`  ${b.path}  ${b.createdAt}  ${b.verified ? '✔ verified' : b.verified === false ? '✘ verification failed' : 'not verified'}`) : row('  none', 'dim'));
  if (r.warnings.length) rows.push(blank, row('Warnings', 'heading'), ...r.warnings.map((w) => row(`  ! ${w}`, 'warn')));
  return rows;
}

export function commandRows(out: CommandOutput): Row[] {
  const where = out.ranIn === 'backend' ? 'in the backend container' : 'in a throwaway container of the backend image (the backend is not running)';
  const rows: Row[] = [
    row(`$ ${out.command}`, 'heading'),
    row(`  ran ${where}; exit ${out.exitCode}`, out.exitCode === 0 ? 'dim' : 'error'),
    blank,
  ];
  const lines = out.output.replace(/\n$/, '').split('\n');
  rows.push(...lines.map((l) => row(l, /error|fail|traceback/i.test(l) ? 'error' : 'plain')));
  return rows;
}

export function halfAppliedRows(h: HalfApplied): Row[] {
  return [
    row(`✘ Revision ${h.revision}${h.message ? ` (${h.message})` : ''} is half applied`, 'error'),
    row(`  already in the schema: ${h.present.join(', ') || 'nothing'}`),
    ...(h.preexisting.length ? [row(`  there before it ran (it collides with them): ${h.preexisting.join(', ')}`, 'warn')] : []),
    ...(h.unverified?.length ? [row(`  there, but glowworm cannot tell whether it made them (not offered for removal): ${h.unverified.join(', ')}`, 'warn')] : []),
    row(`  not there yet: ${h.absent.join(', ') || 'nothing'}`),
    row('  options:', 'heading'),
    ...h.options.map((o) => row(`    - ${o}`)),
    // Why a way out is missing is part of the advice: "stamp" is what a user would otherwise try by hand.
    ...(h.stamp && !h.stamp.offered ? [row(`  ${h.stamp.reason}`, 'dim')] : []),
  ];
}

export function schemaRows(s: SchemaReport): Row[] {
  const rows: Row[] = [
    s.ok ? row('✔ The schema matches the recorded revision', 'ok') : row('✘ The schema does NOT match the recorded revision', 'error'),
    row(`  alembic_version: ${s.revisions.join(', ') || '(empty)'}`),
    row(`  tables: ${s.presentTables.length} present, ${s.expectedTables.length} expected`),
  ];
  if (s.missingTables.length) rows.push(row(`  ✘ missing: ${s.missingTables.join(', ')}`, 'error'));
  if (s.unexpectedTables.length) rows.push(row(`  ! not expected at this revision: ${s.unexpectedTables.join(', ')}`, 'warn'));
  if (s.halfApplied) rows.push(blank, ...halfAppliedRows(s.halfApplied));
  return rows;
}

export function backupRows(backups: readonly BackupInfo[]): Row[] {
  if (backups.length === 0) return [row('No backups yet in this project (.glowworm/backups).', 'dim')];
  return backups.flatMap((b) => {
    const m = b.manifest;
    if (!m) return [row(b.path), row('    no manifest: cannot be verified or restored safely', 'warn')];
    const verified = m.verified ? (m.verified.ok ? '✔ verified' : '✘ verification failed') : 'not verified';
    return [
      row(b.path, m.verified?.ok ? 'plain' : 'warn'),
      row(`    ${m.createdAt}  ${m.database} at ${m.alembic.join(', ') || '(empty)'}  ${Object.keys(m.tables).length} tables, ${totalRows(m)} rows, ${formatBytes(m.dump.bytes)}  ${verified}`, 'dim'),
    ];
  });
}
