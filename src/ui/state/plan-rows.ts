// The plan screen's content as rows: versions per service, images, release notes (breaking first), pending
// migrations (merges marked), deployment changes with their diffs, warnings.
import type { Plan, ReleaseNoteEntry, ReleaseNotes } from '../../engine/plan/plan.js';
import { identityText } from '../../engine/plan/release-identity.js';
import { blank, capped, diffRows, row, type Row } from './rows.js';

export const MAX_NOTE_ENTRIES = 12;

function serviceRows(plan: Plan): Row[] {
  const width = Math.max(7, ...plan.services.map((s) => s.service.length));
  return plan.services.map((s) => {
    const versions = `${s.fromVersion ?? '?'} → ${s.toVersion ?? '?'}`;
    const tone = s.action === 'keep' ? 'dim' : 'plain';
    return row(`  ${s.service.padEnd(width)}  ${s.action.padEnd(8)}  ${versions.padEnd(18)}  ${s.toImage}`, tone);
  });
}

function noteText(e: ReleaseNoteEntry): string {
  return `${e.scope ? `${e.scope}: ` : ''}${e.subject}${e.hash ? ` (${e.hash})` : ''}`;
}

export function releaseNoteRows(notes: ReleaseNotes | null): Row[] {
  const rows: Row[] = [row('Release notes', 'heading')];
  if (notes === null || notes.missing) rows.push(row(`  no release notes${notes?.missing ? `: ${notes.missing}` : ''}`, 'dim'));
  if (notes === null) return rows;
  // Breaking changes we found ourselves (a deployment migration, a dropped table) are there without notes too.
  for (const e of notes.breaking) {
    rows.push(row(`  ! BREAKING ${noteText(e)}`, 'warn'));
    if (e.breakingReason) rows.push(row(`      why: ${e.breakingReason}`, 'warn'));
  }
  rows.push(...capped(notes.entries, MAX_NOTE_ENTRIES, (e) => row(`  · ${e.section}: ${noteText(e)}`), 'entries'));
  if (!notes.missing && notes.breaking.length === 0 && notes.entries.length === 0) rows.push(row('  nothing listed between these versions', 'dim'));
  return rows;
}

function migrationRows(plan: Plan): Row[] {
  const m = plan.migrations;
  const current = m.current === null ? 'unknown' : m.current.join(', ') || 'empty';
  const rows: Row[] = [row(`Database migrations (${current} → ${m.targetHeads.join(', ')})`, 'heading')];
  if (m.pending.length === 0) rows.push(row('  no pending migrations', 'dim'));
  for (const r of m.pending) rows.push(row(`  ${r.id}  ${r.message}${r.isMerge ? '  (merge)' : ''}`));
  return rows;
}

function deployRows(plan: Plan): Row[] {
  const rows: Row[] = [row('Deployment changes', 'heading')];
  if (plan.deployChanges.length === 0) rows.push(row('  none', 'dim'));
  for (const d of plan.deployChanges) {
    rows.push(row(`  ${d.name}: ${d.description}`));
    rows.push(...diffRows(d.diff));
  }
  return rows;
}

export function planRows(plan: Plan): Row[] {
  const rows: Row[] = [
    row(`Upgrade ${plan.project.name}: ${plan.fromVersion ?? 'unknown'} → ${plan.toVersion}`, 'heading'),
    row(`  ${plan.project.dir}`, 'dim'),
    ...(plan.identity ? [row(`  now:    ${identityText(plan.identity.from)}`), row(`  target: ${identityText(plan.identity.to)}`)] : []),
    blank,
    row('Services', 'heading'),
    ...serviceRows(plan),
    blank,
    row('Images', 'heading'),
    ...(plan.images.length ? plan.images.map((i) => row(`  ${i.ref}  (${i.reason})`)) : [row('  none to pull', 'dim')]),
    blank,
    ...releaseNoteRows(plan.releaseNotes),
    blank,
    ...migrationRows(plan),
    blank,
    ...deployRows(plan),
  ];
  if (plan.warnings.length) rows.push(blank, row('Warnings', 'heading'), ...plan.warnings.map((w) => row(`  ! ${w}`, 'warn')));
  return rows;
}
