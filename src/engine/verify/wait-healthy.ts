// Wait until a container is running and, if it has a healthcheck, healthy. Fails fast on what will not heal: an exit,
// a restart (the restart policy is looping a crash), or "unhealthy".
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';

export async function waitHealthy(
  docker: DockerPort,
  container: string,
  opts: {
    timeoutMs: number;
    signal?: AbortSignal;
    restartsAllowed?: number;
    onState?: (c: ContainerDetails) => void;
    /** false: a running container whose healthcheck has not answered yet ("starting") will do; the caller checks it serves. */
    untilHealthy?: boolean;
  },
): Promise<ContainerDetails> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: ContainerDetails | null = null;
  // Docker's restart count covers the container's whole life; only restarts while we watch mean a crash now.
  let baseline: number | null = null;
  while (true) {
    const c = await docker.inspectContainer(container);
    if (!c) throw externalError('verify.container-missing', `Container ${container} does not exist.`);
    if (!last || last.status !== c.status || last.health !== c.health || last.restartCount !== c.restartCount) opts.onState?.(c);
    last = c;
    baseline ??= c.restartCount;
    if (c.restartCount > baseline + (opts.restartsAllowed ?? 0) || c.restarting) {
      throw externalError('verify.restart-loop', `${container} is restarting (restart count ${c.restartCount}, last exit code ${c.exitCode}): it crashes on start.`);
    }
    if (!c.running) throw externalError('verify.exited', `${container} is not running (${c.status}, exit code ${c.exitCode}).`);
    if (c.health === null || c.health === 'healthy' || (c.health === 'starting' && opts.untilHealthy === false)) return c;
    if (c.health === 'unhealthy') throw externalError('verify.unhealthy', `${container} reports unhealthy.`);
    if (Date.now() > deadline) throw externalError('verify.timeout', `${container} did not become healthy in ${Math.round(opts.timeoutMs / 1000)} s (health: ${c.health}).`);
    if (opts.signal?.aborted) throw externalError('aborted', 'Stopped while waiting.');
    await new Promise((r) => setTimeout(r, 500));
  }
}
