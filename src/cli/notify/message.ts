// What a notification says: one JSON document per outcome (the webhook body), and the same in a title and a line of
// text (ntfy, or anything that shows text). Made only from the run's events, which passed the engine's Redactor, and
// from check's report, which holds no secret; the notification URL itself is never in it.
import { hostname } from 'node:os';
import type { CheckReport } from '../../engine/api.js';
import type { RunFacts, RunRecord } from '../../engine/history/run-record.js';
import { formatMaybeDuration } from '../../ui/state/format.js';

export type NotifyEvent = 'completed' | 'failed-rolled-back' | 'rollback-incomplete' | 'failed' | 'update-available';

/** The webhook body: the run's facts (RunFacts: versions, durations, backup, failing revision and error) and where. */
export interface Notification extends Omit<RunFacts, 'durationMs'> {
  durationMs: number | null;
  v: 1;
  event: NotifyEvent;
  /** The run's outcome (docs/exit-codes.md), or `update-available` for check. */
  outcome: string;
  command: string;
  project: string;
  projectDir: string;
  host: string;
  runId: string | null;
  state: string | null;
  /** check: each image with a moved tag or newer tags. */
  updates?: { image: string; tagMoved: boolean | null; newer: string[] }[];
  title: string;
  text: string;
}

function eventOf(outcome: string): NotifyEvent {
  if (outcome === 'ok') return 'completed';
  if (outcome === 'failed-rolled-back') return 'failed-rolled-back';
  if (outcome === 'needs-attention') return 'rollback-incomplete';
  return 'failed';
}


export function runNotification(record: RunRecord, projectName: string): Notification {
  const event = eventOf(record.outcome);
  const versions = `${record.fromVersion ?? '?'} → ${record.toVersion ?? '?'}`;
  const title = {
    completed: `glowworm ${record.command} completed on ${projectName}`,
    'failed-rolled-back': `glowworm ${record.command} failed on ${projectName}, rolled back`,
    'rollback-incomplete': `glowworm ${record.command} failed on ${projectName}: ROLLBACK INCOMPLETE`,
    failed: `glowworm ${record.command} failed on ${projectName} (${record.outcome})`,
    'update-available': '',
  }[event];
  const parts = [record.command === 'upgrade' ? versions : null, `took ${formatMaybeDuration(record.durationMs)}`];
  if (record.downtimeMs !== null) parts.push(`downtime ${formatMaybeDuration(record.downtimeMs)}`);
  if (record.failedRevision) parts.push(`revision ${record.failedRevision} failed: ${record.error ?? ''}`);
  else if (record.error) parts.push(record.error);
  if (record.state) parts.push(record.state);
  if (record.backupPath) parts.push(`backup ${record.backupPath}`);
  return {
    v: 1, event, outcome: record.outcome, command: record.command, project: projectName, projectDir: record.projectDir, host: hostname(),
    runId: record.runId, fromVersion: record.fromVersion, toVersion: record.toVersion, durationMs: record.durationMs, downtimeMs: record.downtimeMs,
    backupPath: record.backupPath, failedRevision: record.failedRevision, error: record.error, state: record.state,
    title, text: parts.filter(Boolean).join('; '),
  };
}

export function updateNotification(report: CheckReport): Notification {
  const updates = report.images.filter((i) => i.tagMoved || i.newer.length).map((i) => ({ image: i.image, tagMoved: i.tagMoved, newer: i.newer }));
  const text = updates.map((u) => `${u.image}: ${u.tagMoved ? 'the tag moved (a new image)' : ''}${u.tagMoved && u.newer.length ? '; ' : ''}${u.newer.length ? `newer ${u.newer.join(', ')}` : ''}`).join('\n');
  return {
    v: 1, event: 'update-available', outcome: 'update-available', command: 'check', project: report.project.name, projectDir: report.project.dir,
    host: hostname(), runId: null, fromVersion: null, toVersion: report.upgradeTo?.toTag ?? null, durationMs: null, downtimeMs: null,
    backupPath: null, failedRevision: null, error: null, state: null, updates,
    title: `GlowWorm update available for ${report.project.name}`, text,
  };
}

/** `upgrade --auto` could not ask the registry: nothing was changed, but whoever reads the notifications must know. */
export function checkFailedNotification(report: CheckReport): Notification {
  const errors = report.images.filter((i) => i.error).map((i) => `${i.image}: ${i.error}`);
  return {
    ...updateNotification(report), event: 'failed', outcome: 'external', command: 'upgrade', updates: [],
    error: errors.join('; '), state: 'Nothing was changed: the running version is as it was.',
    title: `glowworm upgrade --auto could not check for updates on ${report.project.name}`, text: errors.join('\n'),
  };
}
