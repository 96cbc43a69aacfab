// Rehearse the migrations before the real upgrade: the target backend image runs `alembic upgrade head` against the
// throwaway server that holds the freshly restored, verified backup, on an internal network of its own (no way to
// production, no way out), with only the database settings in its environment (rehearsal-env.ts). Each revision is
// timed; a failure names the revision and its error, and the real upgrade never starts. Everything it creates is
// removed, whatever happens.
import { dirname } from 'node:path';
import { classifyLogLine } from '../alembic/log-line.js';
import { failedRevisionFromOutput } from '../alembic/migration-failure.js';
import type { RevisionGraph } from '../alembic/graph.js';
import type { DockerPort } from '../docker/port.js';
import { ownerLabel } from '../docker/throwaway-owner.js';
import type { Emit } from '../event-channel.js';
import { externalError } from '../errors.js';
import type { Verifier } from '../backup/verify.js';
import { REHEARSAL_DB_ALIAS, rehearsalEnv } from './rehearsal-env.js';

export interface RehearsalResult {
  ok: boolean;
  timings: { revision: string; durationMs: number }[];
}

export async function rehearseMigrations(opts: {
  docker: DockerPort;
  emit: Emit;
  runId: string;
  project: string;
  verifier: Verifier;
  database: string;
  image: string;
  ini: string | null;
  graph: RevisionGraph;
  /** Production's backend env: only whether it uses DATABASE_URL is taken from it (rehearsal-env.ts). */
  backendEnv: string[];
  timeoutMs: number;
}): Promise<RehearsalResult> {
  const { docker, emit } = opts;
  const network = `glowworm-rehearse-${opts.runId}`;
  const labels = { 'io.glowworm.project': opts.project, 'io.glowworm.run': opts.runId, 'io.glowworm.role': 'rehearsal', ...ownerLabel() };
  const started = Date.now();
  let container: string | null = null;
  // What a killed run left behind would collide with these names on `--resume`.
  const leftover = await docker.inspectContainer(`glowworm-rehearse-${opts.runId}`);
  if (leftover?.labels['io.glowworm.role'] === 'rehearsal') await docker.removeContainer(leftover.id, { force: true });
  await docker.disconnectNetwork(network, opts.verifier.container).catch(() => undefined);
  await docker.removeNetwork(network);
  await docker.createNetwork(network, labels, true);
  try {
    await docker.connectNetwork(network, opts.verifier.container, { Aliases: [REHEARSAL_DB_ALIAS] });
    const script = `cd ${JSON.stringify(dirname(opts.ini ?? '/app/alembic.ini'))} && exec alembic upgrade head`;
    container = await docker.createContainer({
      name: `glowworm-rehearse-${opts.runId}`,
      body: {
        Image: opts.image,
        Entrypoint: ['sh', '-c'],
        Cmd: [script],
        Env: rehearsalEnv(opts.backendEnv, opts.database, opts.verifier.rootPassword),
        Labels: labels,
        HostConfig: { NetworkMode: network, RestartPolicy: { Name: 'no' } },
      },
    });
    await docker.startContainer(container);

    const timings: { revision: string; durationMs: number }[] = [];
    const lines: string[] = [];
    let current: { revision: string; since: number } | null = null;
    const finish = (ok: boolean, at: number) => {
      if (!current) return;
      const rev = opts.graph.revisions.get(current.revision);
      const durationMs = at - current.since;
      if (ok) timings.push({ revision: current.revision, durationMs });
      emit({ type: 'rehearsal.migration', revision: current.revision, message: rev?.message ?? null, durationMs, ok });
      current = null;
    };
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), opts.timeoutMs);
    try {
      for await (const raw of docker.logs(container, { follow: true }, stop.signal)) {
        const c = classifyLogLine(raw.text, raw.stream);
        lines.push(c.text);
        emit({ type: 'log.line', service: 'rehearsal', stream: raw.stream, text: c.text, level: c.level });
        if (c.migration?.kind === 'upgrade') {
          finish(true, Date.now());
          current = { revision: c.migration.to, since: Date.now() };
        }
      }
    } finally {
      clearTimeout(timer);
    }
    const info = await docker.inspectContainer(container);
    if (info?.running) throw externalError('rehearsal.timeout', `The rehearsal did not finish within ${Math.round(opts.timeoutMs / 1000)} s.`);
    const ok = info?.exitCode === 0;
    finish(ok, Date.now());
    const failure = ok ? null : failedRevisionFromOutput(lines);
    const error = ok ? null : failure?.error ?? lines.filter((l) => classifyLogLine(l, 'stderr').level === 'error').at(-1) ?? `alembic exited ${info?.exitCode}`;
    emit({ type: 'rehearsal.completed', ok, durationMs: Date.now() - started, failedRevision: failure?.revision ?? null, error });
    if (!ok) {
      throw externalError('rehearsal.failed', `The rehearsal failed${failure?.revision ? ` in revision ${failure.revision}` : ''}: ${error}`,
        'Production was not touched. This release\'s migrations fail on a copy of your data; report the error to the GlowWorm project.');
    }
    return { ok, timings };
  } finally {
    if (container) await docker.removeContainer(container, { force: true }).catch(() => undefined);
    await docker.disconnectNetwork(network, opts.verifier.container).catch(() => undefined);
    await docker.removeNetwork(network).catch(() => undefined);
  }
}
