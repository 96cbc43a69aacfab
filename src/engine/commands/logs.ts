// A service's log lines, classified, optionally filtered to the lines the seed's guide greps for (migration,
// database, schema) or to errors only, and optionally followed.
import type { LogFilter, ProjectOptions, ServiceLogLine } from '../api.js';
import { classifyLogLine, dockerTimestamp } from '../alembic/log-line.js';
import type { DockerPort } from '../docker/port.js';
import { userError } from '../errors.js';
import { Redactor } from '../secrets.js';
import { openDeployment } from './deployment.js';
import { newestKeptLog } from '../runbook/kept-logs.js';

const MIGRATION_WORDS = /migrat|database|schema|alembic|mysql|revision/i;

export function passesFilter(line: ServiceLogLine, filter: LogFilter): boolean {
  if (filter === 'errors') return line.level === 'error';
  if (filter === 'migration') return line.level === 'error' || MIGRATION_WORDS.test(line.text);
  return true;
}

export async function* serviceLogs(
  opts: ProjectOptions,
  query: { service?: string; filter: LogFilter; follow: boolean; tail?: number },
  signal?: AbortSignal,
  docker?: DockerPort,
): AsyncGenerator<ServiceLogLine> {
  const redactor = new Redactor();
  const d = await openDeployment(opts, redactor, docker);
  const service = query.service ?? d.observed.roles.backend;
  const state = service ? d.observed.services[service] : undefined;
  if (!service || !state) throw userError('logs.no-service', `No service "${query.service ?? 'backend'}" in this project.`);
  if (!state.container) throw userError('logs.no-container', `${service} has no container.`);
  // A rolled-back run removed the container that failed; the log it kept of it comes first, marked as such.
  const kept = query.follow ? null : await newestKeptLog(d.observed.project.workingDir, service);
  if (kept) {
    const lines = kept.lines.map((raw) => {
      const c = classifyLogLine(raw.text, raw.stream);
      return { service, stream: raw.stream, text: c.text, level: c.level } satisfies ServiceLogLine;
    }).filter((l) => passesFilter(l, query.filter));
    if (lines.length) {
      yield { service, stream: 'stdout', level: 'info', text: `--- kept from the container upgrade run ${kept.runId} removed when it rolled back ---` };
      yield* lines;
      yield { service, stream: 'stdout', level: 'info', text: `--- the running ${service} container ---` };
    }
  }
  // Docker's timestamps: a line read now was written earlier, and the reader wants to know when.
  const read = { follow: query.follow, timestamps: true, ...(query.tail !== undefined ? { tail: query.tail } : {}) };
  for await (const raw of d.docker.logs(state.container.id, read, signal)) {
    const c = classifyLogLine(raw.text, raw.stream);
    const ts = dockerTimestamp(raw.text);
    const line: ServiceLogLine = { service, stream: raw.stream, text: redactor.redactText(c.text), level: c.level, ...(ts === null ? {} : { ts }) };
    if (passesFilter(line, query.filter)) yield line;
  }
}
