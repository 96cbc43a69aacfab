// `glowworm history`: every run of this project, newest first, from its journal (`.glowworm/runs/*.json`: what ran,
// when, how it ended) and, when the CLI recorded it, its run record (history/run-record.ts: migration durations,
// downtime, the failing revision). Read-only: a journal is never rewritten here, an unreadable one is listed as such.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry, ProjectOptions } from '../api.js';
import { readRunRecords, type RunRecord } from '../history/run-record.js';
import type { JournalData } from '../runbook/journal.js';
import { runsDir } from '../runbook/journal.js';

function ms(from: string | undefined, to: string | undefined): number | null {
  if (!from || !to) return null;
  const d = Date.parse(to) - Date.parse(from);
  return Number.isFinite(d) ? d : null;
}

function entryOf(path: string, j: JournalData, r: RunRecord | undefined): HistoryEntry {
  const plan = j.state['plan'] as { fromVersion?: string | null; toVersion?: string | null } | undefined;
  const backup = j.state['backup'] as { file?: string } | undefined;
  const failed = j.steps.find((s) => s.status === 'failed');
  return {
    runId: j.runId,
    command: j.command,
    startedAt: j.startedAt,
    endedAt: r?.endedAt ?? (j.status === 'running' ? null : j.updatedAt),
    status: j.status,
    outcome: r?.outcome ?? null,
    fromVersion: r?.fromVersion ?? plan?.fromVersion ?? null,
    toVersion: r?.toVersion ?? plan?.toVersion ?? null,
    durationMs: r?.durationMs ?? (j.status === 'running' ? null : ms(j.startedAt, j.updatedAt)),
    downtimeMs: r?.downtimeMs ?? null,
    backupPath: r?.backupPath ?? backup?.file ?? null,
    failedRevision: r?.failedRevision ?? null,
    error: r?.error ?? failed?.error?.message ?? null,
    migrations: r?.migrations ?? [],
    rehearsal: r?.rehearsal ?? [],
    steps: j.steps.map((s) => ({ id: s.id, title: s.title, status: s.status, durationMs: ms(s.startedAt, s.endedAt) })),
    journal: path,
  };
}

export async function readHistory(opts: ProjectOptions): Promise<HistoryEntry[]> {
  const dir = runsDir(opts.projectDir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const records = await readRunRecords(opts.projectDir);
  const entries: HistoryEntry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const j = JSON.parse(await readFile(path, 'utf8')) as JournalData;
      entries.push(entryOf(path, j, records.get(j.runId)));
    } catch (error) {
      const runId = name.replace(/\.json$/, '');
      entries.push({
        runId, command: 'unknown', startedAt: '', endedAt: null, status: 'unreadable', outcome: null, fromVersion: null, toVersion: null,
        durationMs: null, downtimeMs: null, backupPath: null, failedRevision: null, error: `journal unreadable: ${(error as Error).message}`,
        migrations: [], rehearsal: [], steps: [], journal: path,
      });
    }
  }
  // Run ids begin with their start time (20261125-153817-…), so they sort as the runs began.
  return entries.sort((a, b) => b.runId.localeCompare(a.runId));
}
