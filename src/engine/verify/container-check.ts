// One container's health check, judged by what the container runs. GlowWorm's celery worker runs on the backend
// image with a command of its own and no healthcheck of its own, so it inherits the image's HEALTHCHECK (curl of the
// backend's /health): Docker calls it unhealthy forever while it works fine. Such a container — healthcheck equal to
// its image's, command different from its image's — is judged by staying up over a short settle window instead.
// Decided from the inspect alone, never from a service name. Everything else: running, and healthy if it has a
// healthcheck (waitHealthy).
import { isDeepStrictEqual } from 'node:util';
import type { ContainerDetails, DockerPort, ImageDetails } from '../docker/port.js';
import { externalError } from '../errors.js';
import { failedCheck, failureOfError, passedCheck, type CheckResult } from './check-result.js';
import { waitHealthy } from './wait-healthy.js';

export type ContainerRule =
  | { kind: 'health' }
  /** Its healthcheck comes from the image and probes what the image's default command serves; `why` says so. */
  | { kind: 'stays-up'; why: string };

function commandOf(config: Record<string, unknown>): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return [...list(config['Entrypoint']), ...list(config['Cmd'])];
}

function hasHealthcheck(h: unknown): boolean {
  const test = (h as { Test?: unknown } | null | undefined)?.Test;
  return Array.isArray(test) && test.length > 0 && test[0] !== 'NONE';
}

function shown(cmd: string[]): string {
  const text = cmd.join(' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Which rule judges a container: from its inspect and its image's config (null: the image is gone). */
export function containerRule(c: Pick<ContainerDetails, 'raw'>, image: Pick<ImageDetails, 'config'> | null): ContainerRule {
  const own = c.raw.Config['Healthcheck'];
  if (!image || !hasHealthcheck(own) || !isDeepStrictEqual(own, image.config['Healthcheck'])) return { kind: 'health' };
  const runs = commandOf(c.raw.Config);
  const imageRuns = commandOf(image.config);
  if (isDeepStrictEqual(runs, imageRuns)) return { kind: 'health' };
  const test = ((own as { Test: unknown[] }).Test ?? []).map(String).join(' ');
  const url = /https?:\/\/[^\s"']+/.exec(test)?.[0];
  const probes = url ? `probes ${url}, the server of the image's default command (${shown(imageRuns)})` : `probes the image's default command (${shown(imageRuns)})`;
  return { kind: 'stays-up', why: `its healthcheck comes from the image and ${probes}, which this container does not run (it runs ${shown(runs)})` };
}

export interface ContainerCheckOptions {
  timeoutMs: number;
  /** How long a container judged by staying up must stay up without a restart. */
  settleMs: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/** Running for `settleMs` with no restart since `first`: polled, so an exit or a restart fails at once. */
async function staysUp(docker: DockerPort, first: ContainerDetails, opts: ContainerCheckOptions): Promise<ContainerDetails> {
  const until = Date.now() + opts.settleMs;
  const name = first.name;
  let c: ContainerDetails | null = first;
  while (true) {
    if (!c) throw externalError('verify.container-missing', `Container ${name} does not exist.`);
    if (c.restarting || c.restartCount > first.restartCount) {
      throw externalError('verify.restart-loop', `${name} is restarting (restart count ${c.restartCount}, last exit code ${c.exitCode}).`);
    }
    if (!c.running) throw externalError('verify.exited', `${name} is not running (${c.status}, exit code ${c.exitCode}).`);
    const left = until - Date.now();
    if (left <= 0) return c;
    if (opts.signal?.aborted) throw externalError('aborted', 'Stopped while waiting.');
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 500, left)));
    c = await docker.inspectContainer(name);
  }
}

export async function checkContainer(docker: DockerPort, name: string, opts: ContainerCheckOptions): Promise<CheckResult> {
  try {
    const first = await docker.inspectContainer(name);
    if (!first) throw externalError('verify.container-missing', `Container ${name} does not exist.`);
    const rule = containerRule(first, await docker.inspectImage(first.imageId));
    if (rule.kind === 'stays-up') {
      const c = await staysUp(docker, first, opts);
      const health = c.health ? `Docker's health "${c.health}"` : "Docker's health";
      return passedCheck('container-health', `running, no restart in ${Math.round(opts.settleMs / 1000)} s; judged by that, not by ${health}: ${rule.why}`, name);
    }
    const c = await waitHealthy(docker, name, { timeoutMs: opts.timeoutMs, signal: opts.signal });
    return passedCheck('container-health', `running${c.health ? `, ${c.health}` : ', no healthcheck'}`, name);
  } catch (error) {
    return failedCheck('container-health', failureOfError(error), (error as Error).message, name);
  }
}
