// Stopping and starting the app's containers: the one piece every run that needs the writers quiet shares (the
// upgrade's downtime, backup, restore, migrate, reset, recover). Each is the other's undo: a stop is undone by
// starting what it stopped, a start by stopping it again (so that the undos before it, a database put back, run with
// no writer connected).
import { dependencyOrder, stopWaves, type ComposeProject } from '../../compose/index.js';
import type { DockerPort } from '../../docker/port.js';
import type { Emit } from '../../event-channel.js';
import { externalError } from '../../errors.js';
import { waitHealthy } from '../../verify/wait-healthy.js';
import type { Step } from '../executor.js';

/** What stopping and starting the app needs: the engine, the project's dependencies, and each service's container. */
export interface AppScope {
  docker: DockerPort;
  project: ComposeProject;
  /** The backend's service: waited healthy before its dependents start. */
  backend: string | null;
  containerOf(service: string): string;
  emit: Emit;
  timeoutMs: number;
}

/**
 * Dependents first, as compose stops (the frontend before the backend it proxies); the services of one wave in
 * parallel, since each stop is a wait for a process to exit and all of it counts as downtime. Returns how many of
 * the services have a container (stopped now or already).
 */
export async function stopApp(scope: AppScope, services: readonly string[], healthy?: Set<string>): Promise<number> {
  const { docker } = scope;
  let found = 0;
  for (const wave of stopWaves(scope.project, services)) {
    await Promise.all(wave.map(async (service) => {
      const c = await docker.inspectContainer(scope.containerOf(service));
      if (!c) return;
      found += 1;
      if (!c.running && !c.restarting) return;
      if (c.running && !c.restarting && c.health !== 'unhealthy') healthy?.add(service);
      await docker.stopContainer(c.id, 10);
      scope.emit({ type: 'container.state', service, container: c.name, state: 'exited', health: null, restartCount: c.restartCount });
    }));
  }
  return found;
}

/**
 * Dependencies first, the backend waited healthy before what depends on it. A service that fails to start does not
 * stop the others (a running worker and frontend beat a dead stack); the failures are thrown together at the end.
 * `waitFor`: the services that were up and healthy before (others, say a backend that crash-looped, are started as
 * they were, without waiting for a health they did not have); absent: the backend is waited for.
 */
export async function startApp(scope: AppScope, services: readonly string[], signal?: AbortSignal, waitFor?: ReadonlySet<string>): Promise<number> {
  const { docker } = scope;
  const problems: string[] = [];
  let started = 0;
  for (const service of dependencyOrder(scope.project, services.filter((s) => s in scope.project.services))) {
    const container = scope.containerOf(service);
    if (!(await docker.inspectContainer(container))) continue;
    try {
      await docker.startContainer(container);
      started += 1;
      if (service === scope.backend && (!waitFor || waitFor.has(service))) {
        await waitHealthy(docker, container, {
          timeoutMs: scope.timeoutMs, signal,
          onState: (c) => scope.emit({ type: 'container.state', service, container, state: c.status, health: c.health, restartCount: c.restartCount }),
        });
      }
    } catch (error) {
      problems.push(`${service}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw externalError('app.start-failed', `Could not start ${problems.join('; ')}`, 'See `glowworm doctor logs` for why, then `glowworm status`.');
  return started;
}

export function stopAppStep(scope: AppScope, services: readonly string[], step: { id: string; title?: string }): Step {
  // Known when the stop ran in this process; a rollback in a later one waits for the backend as for a healthy one.
  let healthy: Set<string> | undefined;
  return {
    id: step.id,
    title: step.title ?? `Stop ${services.join(', ') || 'nothing (the app is not running)'}`,
    run: async () => `${await stopApp(scope, services, (healthy = new Set()))} stopped`,
    // By now every later step is undone: what ran before runs again, as it was.
    undo: async (signal) => `${await startApp(scope, services, signal, healthy)} started again`,
  };
}

export function startAppStep(scope: AppScope, services: readonly string[], step: { id: string; title?: string }): Step {
  return {
    id: step.id,
    title: step.title ?? `Start ${services.join(', ') || 'nothing'}`,
    run: async (signal) => `${await startApp(scope, services, signal)} started`,
    undo: async () => `${await stopApp(scope, services)} stopped again`,
  };
}
