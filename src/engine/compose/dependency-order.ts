// The order compose starts services in: every service after the services it depends on, ties broken by name so the
// order is stable (plans compare as text). Stopping goes the other way round.

import { userError } from '../errors.js';
import type { ComposeProject } from './model.js';

/**
 * Start order, dependencies first. With `serviceNames`, only those services are returned, still in an order that
 * respects dependencies through services left out; `withDependencies` adds what they depend on (as `compose up svc`).
 */
export function dependencyOrder(
  project: ComposeProject,
  serviceNames?: readonly string[],
  opts: { withDependencies?: boolean } = {},
): string[] {
  const full = fullStartOrder(project);
  if (!serviceNames) return full;
  for (const name of serviceNames) {
    if (!project.services[name]) {
      throw userError(
        'compose.service-unknown',
        `No service "${name}" in the compose project (services: ${Object.keys(project.services).join(', ')}).`,
      );
    }
  }
  const wanted = new Set(serviceNames);
  if (opts.withDependencies) for (const name of serviceNames) addDependencies(project, name, wanted);
  return full.filter((name) => wanted.has(name));
}

/** Stop order: dependents first. */
export function reverseDependencyOrder(
  project: ComposeProject,
  serviceNames?: readonly string[],
  opts: { withDependencies?: boolean } = {},
): string[] {
  return dependencyOrder(project, serviceNames, opts).reverse();
}

/**
 * Stop order in waves, as compose stops: a service stops only once every service that depends on it (directly or
 * through services left out) has stopped; the services of one wave may stop together.
 */
export function stopWaves(project: ComposeProject, serviceNames: readonly string[]): string[][] {
  const remaining = new Set(reverseDependencyOrder(project, serviceNames));
  const dependsOn = new Map([...remaining].map((name) => [name, transitiveDependencies(project, name)]));
  const waves: string[][] = [];
  while (remaining.size) {
    // Free to stop: no remaining service depends on it. There is always one, the order above has no cycle.
    const wave = [...remaining].filter((name) => ![...remaining].some((other) => dependsOn.get(other)!.has(name)));
    waves.push(wave);
    for (const name of wave) remaining.delete(name);
  }
  return waves;
}

function transitiveDependencies(project: ComposeProject, name: string): Set<string> {
  const into = new Set<string>();
  addDependencies(project, name, into);
  return into;
}

// Kahn's algorithm, always taking the alphabetically first service whose dependencies have all started.
function fullStartOrder(project: ComposeProject): string[] {
  const waitingOn = new Map<string, Set<string>>();
  for (const [name, service] of Object.entries(project.services)) {
    waitingOn.set(name, new Set(service.dependsOn.map((d) => d.service).filter((d) => d in project.services)));
  }
  const order: string[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([name]) => name).sort();
    const next = ready[0];
    if (next === undefined) throw cycleError(waitingOn);
    order.push(next);
    waitingOn.delete(next);
    for (const deps of waitingOn.values()) deps.delete(next);
  }
  return order;
}

function addDependencies(project: ComposeProject, name: string, into: Set<string>): void {
  for (const dep of project.services[name]?.dependsOn ?? []) {
    if (!into.has(dep.service) && project.services[dep.service]) {
      into.add(dep.service);
      addDependencies(project, dep.service, into);
    }
  }
}

// Every service left is on or behind a cycle; walking dependencies from the first must come back to one of them.
function cycleError(waitingOn: Map<string, Set<string>>) {
  const start = [...waitingOn.keys()].sort()[0] as string;
  const path: string[] = [];
  let current = start;
  while (!path.includes(current)) {
    path.push(current);
    current = [...(waitingOn.get(current) ?? [])].sort()[0] as string;
  }
  const cycle = [...path.slice(path.indexOf(current)), current];
  return userError(
    'compose.dependency-cycle',
    `Services depend on each other in a cycle: ${cycle.join(' -> ')}.`,
    'Remove one of these depends_on (or links) entries so the services can start in order.',
  );
}
