// `glowworm status` and the doctor's overview: containers, health, images, the database revision against the
// running backend image's head, and the newest backup. Read-only; works when parts of the stack are down.
// Above all it says what a fault left (`attention`): a run killed with `kill -9`, or a terminal closed at the wrong
// moment, cannot clean up after itself, so the next person to look must be told — the unfinished run, the lock, the
// app containers that are down — and what to run. The CLI exits non-zero then.
import type { ProjectOptions, ServiceStatus, StatusReport } from '../api.js';
import { toGlowwormError } from '../errors.js';
import { Journal, type StepStatus } from '../runbook/journal.js';
import { inspectLock, liveLockHint, staleLockHint, type LockStatus } from '../runbook/lock.js';
import { pendingRevisions, toPendingRevision } from '../alembic/graph.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { listBackups } from '../backup/store.js';
import type { DockerPort } from '../docker/port.js';
import { versionOf } from '../plan/observed-state.js';
import { Redactor } from '../secrets.js';
import { backendImageOf } from './backend-image.js';
import { inImage } from '../docker/in-image.js';
import { openDeployment } from './deployment.js';
import { crashLooping } from '../docker/crash-loop.js';
import { classifyLogLine } from '../alembic/log-line.js';
import { failedRevisionFromOutput } from '../alembic/migration-failure.js';
import type { ObservedState } from '../plan/observed-state.js';

export interface StatusAttention {
  /** ok: nothing to do; running: a live run holds the lock (wait for it); attention: a fault left something to do. */
  verdict: 'ok' | 'running' | 'attention';
  /** The newest upgrade that did not finish (killed, stopped with Ctrl-C, or still running), and where it stopped. */
  unfinishedRun: { runId: string; status: string; startedAt: string; journal: string; stoppedAt: { step: string; title: string; status: StepStatus } | null } | null;
  /**
   * The newest run of another command (backup, restore, migrate, reset, recover) that did not end cleanly: killed
   * part-way (`running`), or whose put-back failed (`rollback-incomplete`); with the backup it took, the way back.
   */
  incompleteRun: { runId: string; command: string; status: string; journal: string; stoppedAt: string | null; backup: string | null } | null;
  /** A journal that could not be read, which may be of an unfinished run. */
  journalError: string | null;
  /** The project's lock, when there is one: whose it is, and whether its run still lives. */
  lock: { path: string; pid: number | null; runId: string | null; command: string | null; alive: boolean; message: string } | null;
  /** GlowWorm's own containers (database, redis, backend, worker, frontend) that are not running. */
  notRunning: { service: string; container: string | null; state: string }[];
  /** The backend restarting again and again: on which image, in which migration, with which database error. */
  crashLoop: { service: string; image: string; restarts: number; since: string; revision: string | null; error: string | null } | null;
  /** What to do next, in order, each naming the command; empty when there is nothing to do. */
  next: string[];
}

/** The status report with what needs attention. (`attention` belongs in api.ts's StatusReport; see status-command.) */
export type ProjectStatus = StatusReport & { attention: StatusAttention };

async function unfinishedUpgrade(projectDir: string): Promise<{ run: StatusAttention['unfinishedRun']; error: string | null; hint: string | null }> {
  try {
    const j = await Journal.findUnfinished(projectDir, 'upgrade', new Redactor());
    const last = j?.steps.at(-1);
    const stoppedAt = last ? { step: last.id, title: last.title, status: last.status } : null;
    return { run: j && { runId: j.runId, status: j.status, startedAt: j.startedAt, journal: j.file, stoppedAt }, error: null, hint: null };
  } catch (error) {
    const e = toGlowwormError(error);
    return { run: null, error: e.message, hint: e.hint ?? null };
  }
}

const OTHER_COMMANDS = ['backup', 'restore', 'migrate', 'reset', 'recover'] as const;

/**
 * The newest open run of another command, unless a run newer than it ended cleanly (the user has moved on). One pass,
 * newest first; unreadable journals are the upgrade check's to report.
 */
async function incompleteCommandRun(projectDir: string, lock: LockStatus | null): Promise<StatusAttention['incompleteRun']> {
  for await (const entry of Journal.newestFirst(projectDir, new Redactor())) {
    if ('unreadable' in entry) continue;
    const j = entry.journal;
    if (j.status === 'completed' || j.status === 'rolled-back') return null;
    // A live run is working, not incomplete; an upgrade's is unfinishedRun.
    if (!j.isOpen || !OTHER_COMMANDS.includes(j.command as (typeof OTHER_COMMANDS)[number]) || (lock?.live && lock.held?.runId === j.runId)) continue;
    const last = j.steps.at(-1);
    return {
      runId: j.runId, command: j.command, status: j.status, journal: j.file, stoppedAt: last?.title ?? null,
      backup: j.state<{ file: string }>('backup')?.file ?? null,
    };
  }
  return null;
}

function incompleteRunHint(r: NonNullable<StatusAttention['incompleteRun']>): string {
  const what = r.status === 'rollback-incomplete' ? 'could not put back everything it changed' : `was stopped part-way${r.stoppedAt ? ` at "${r.stoppedAt}"` : ''}`;
  const back = r.backup ? ` Its verified backup ${r.backup} holds the database as it was before it: \`glowworm restore ${r.backup}\`.` : '';
  return `The \`glowworm ${r.command}\` run ${r.runId} ${what} (journal ${r.journal}).${back} Then start the app with \`docker compose up -d\` and check with \`glowworm status\`.`;
}

function nextSteps(a: Omit<StatusAttention, 'verdict' | 'next'>, lock: LockStatus | null, journalHint: string | null, dir: string): string[] {
  const next: string[] = [];
  if (lock?.live) return [liveLockHint(lock)]; // the run that holds it is working: anything else would get in its way
  if (journalHint) next.push(journalHint);
  if (a.unfinishedRun) {
    next.push(a.unfinishedRun.stoppedAt
      ? 'Run `glowworm upgrade --resume` to continue the unfinished upgrade, or `glowworm upgrade --rollback` to put everything back.'
      : 'It stopped before it changed anything: `glowworm upgrade --resume` plans it again with its options (`glowworm upgrade --rollback` has nothing to put back).');
  }
  if (a.incompleteRun) next.push(incompleteRunHint(a.incompleteRun));
  // `--resume` and `--rollback` take a dead upgrade's lock over; another command's lock needs its own way out.
  if (lock && !(a.unfinishedRun && lock.held?.command === 'upgrade')) next.push(staleLockHint(lock.held, lock.path));
  if (a.crashLoop && !a.unfinishedRun) {
    next.push(`${a.crashLoop.service} crash-loops on ${a.crashLoop.image}${a.crashLoop.revision ? ` in migration ${a.crashLoop.revision}` : ''}: \`glowworm recover\` puts the version that worked back (a verified backup first).`);
  } else if (a.notRunning.length && !a.unfinishedRun) {
    next.push(a.notRunning.some((c) => c.state === 'restarting')
      ? 'A container restarts again and again: `glowworm doctor` shows its logs and the schema.'
      : `Start them with \`docker compose up -d\` in ${dir}; if they stop again, \`glowworm doctor\` shows why.`);
  }
  return next;
}

export async function readAttention(projectDir: string, services: readonly ServiceStatus[], crashLoop: StatusAttention['crashLoop'] = null): Promise<StatusAttention> {
  const [unfinished, lock] = await Promise.all([unfinishedUpgrade(projectDir), inspectLock(projectDir)]);
  const facts = {
    unfinishedRun: unfinished.run,
    incompleteRun: await incompleteCommandRun(projectDir, lock),
    journalError: unfinished.error,
    lock: lock && { path: lock.path, pid: lock.held?.pid ?? null, runId: lock.held?.runId ?? null, command: lock.held?.command ?? null, alive: lock.live, message: lock.message },
    notRunning: services.filter((s) => s.role !== 'other' && s.state !== 'running').map((s) => ({ service: s.service, container: s.container, state: s.state })),
    crashLoop,
  };
  const next = nextSteps(facts, lock, unfinished.hint, projectDir);
  const verdict = lock?.live ? 'running' : facts.unfinishedRun || facts.incompleteRun || facts.journalError || lock || facts.notRunning.length || facts.crashLoop ? 'attention' : 'ok';
  return { verdict, ...facts, next };
}

/** The backend crash-looping, with the revision it fails in (the first pending one) and the database's error. */
async function crashLoopOf(docker: DockerPort, observed: ObservedState, image: StatusReport['backendImage'], redactor: Redactor): Promise<StatusAttention['crashLoop']> {
  const backend = observed.roles.backend ? observed.services[observed.roles.backend] : undefined;
  const c = backend?.container;
  if (!backend || !c || !crashLooping(c)) return null;
  let error: string | null = null;
  try {
    const lines: string[] = [];
    for await (const line of docker.logs(c.id, { follow: false, tail: 300 })) lines.push(redactor.redactText(line.text));
    // The start script prints Alembic's captured output on failure: the parser finds the database's own error in it.
    error = failedRevisionFromOutput(lines)?.error ?? [...lines].reverse().map((l) => classifyLogLine(l, 'stdout')).find((l) => l.level === 'error')?.text ?? null;
  } catch {
    // The log is a help, not a condition: the loop itself is the finding.
  }
  const created = (c.raw as unknown as { Created?: string }).Created ?? c.startedAt;
  return { service: backend.name, image: c.image, restarts: c.restartCount, since: created, revision: image?.pending?.[0]?.id ?? null, error };
}

export async function readStatus(opts: ProjectOptions, docker?: DockerPort): Promise<ProjectStatus> {
  const redactor = new Redactor();
  const d = await openDeployment(opts, redactor, docker);
  const { observed } = d;
  const services = Object.values(observed.services).map((s) => ({
    service: s.name,
    role: s.role,
    container: s.container?.name ?? null,
    state: s.container ? (s.container.restarting ? 'restarting' : s.container.status) : 'missing',
    health: s.container?.health ?? null,
    restartCount: s.container?.restartCount ?? 0,
    image: s.container?.image ?? s.compose.image,
    version: versionOf(s.image, s.container?.image ?? s.compose.image),
  }));
  let backendImage: StatusReport['backendImage'] = null;
  try {
    const ref = backendImageOf(observed);
    const history = await readGraphFromImage(inImage(d.docker, ref));
    let pending: StatusReport['backendImage'] = { ref, heads: history.graph.heads, pending: null };
    try {
      if (observed.db) pending = { ...pending, pending: pendingRevisions(history.graph, observed.db.revisions).map(toPendingRevision) };
    } catch (error) {
      pending = { ...pending, error: (error as Error).message };
    }
    backendImage = pending;
  } catch (error) {
    observed.warnings.push(`Could not read the backend image's migrations: ${(error as Error).message}`);
  }
  const newest = (await listBackups(observed.project.workingDir))[0];
  return {
    project: { name: observed.project.name, dir: observed.project.workingDir, files: observed.project.composeFiles },
    services,
    database: {
      reachable: observed.db !== null,
      name: observed.db?.creds.database ?? null,
      revisions: observed.db?.revisions ?? null,
      tables: observed.db?.tables.length ?? null,
    },
    backendImage,
    latestBackup: newest ? { path: newest.path, createdAt: newest.manifest?.createdAt ?? '', verified: newest.manifest?.verified?.ok ?? null } : null,
    warnings: observed.warnings,
    attention: await readAttention(opts.projectDir, services, await crashLoopOf(d.docker, observed, backendImage, redactor)),
  };
}
