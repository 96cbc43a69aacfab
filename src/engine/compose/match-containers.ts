// Which running (or stopped) containers belong to which service. Compose v1 and v2 both label their containers with
// `com.docker.compose.project` and `com.docker.compose.service`; a container without our labels still belongs to a
// service whose `container_name` it carries (e.g. after the project directory, and so the project name, changed).
// Labelled containers whose service left the file are orphans (the real app leaves a `glowworm-celery-beat`);
// one-off containers (`docker compose run`) belong to nobody.

import type { ContainerSummary } from '../docker/port.js';
import { swapRank } from '../docker/swap-names.js';
import type { ComposeProject } from './model.js';

export type { ContainerSummary };

export const LABEL_PROJECT = 'com.docker.compose.project';
export const LABEL_SERVICE = 'com.docker.compose.service';
export const LABEL_ONEOFF = 'com.docker.compose.oneoff';
export const LABEL_NUMBER = 'com.docker.compose.container-number';
export const LABEL_VERSION = 'com.docker.compose.version';

export interface MatchedContainer {
  container: ContainerSummary;
  matchedBy: 'labels' | 'container_name';
  /** `com.docker.compose.project` of the container (may differ from ours when matched by name), or null. */
  project: string | null;
  /** Which compose created it, from `com.docker.compose.version`: `v1` (1.x) or `v2`; null when unlabelled. */
  composeGeneration: 'v1' | 'v2' | null;
  /** `com.docker.compose.container-number`, or null. */
  number: number | null;
}

export interface OrphanContainer {
  container: ContainerSummary;
  /** The service named by its label, which the compose file no longer has. */
  service: string;
}

export interface ContainerMatches {
  /** Every service of the project, with its containers ordered by container number, then name; the ones an
   * unfinished glowworm run left under a temporary name come after, the old one it put aside before the new one. */
  services: Record<string, MatchedContainer[]>;
  orphans: OrphanContainer[];
  /** `docker compose run` containers of this project; never counted as a service's containers. */
  oneOffs: ContainerSummary[];
}

/** `glowworm-glowworm-backend-1` (compose v2) and `glowworm_glowworm-backend_1` (v1): names compose gives a service's
 * first container when there is no `container_name`. */
export function defaultContainerNames(project: Pick<ComposeProject, 'name'>, service: string): { v2: string; v1: string } {
  return { v2: `${project.name}-${service}-1`, v1: `${project.name}_${service}_1` };
}

export function matchContainers(project: ComposeProject, containers: readonly ContainerSummary[]): ContainerMatches {
  const services: Record<string, MatchedContainer[]> = {};
  for (const name of Object.keys(project.services)) services[name] = [];
  const byContainerName = new Map<string, string>();
  for (const service of Object.values(project.services)) {
    if (service.containerName) byContainerName.set(service.containerName, service.name);
  }
  const orphans: OrphanContainer[] = [];
  const oneOffs: ContainerSummary[] = [];

  for (const container of containers) {
    const labels = container.labels ?? {};
    const ours = labels[LABEL_PROJECT] === project.name;
    const labelledService = ours ? labels[LABEL_SERVICE] : undefined;
    if (ours && labels[LABEL_ONEOFF]?.toLowerCase() === 'true') {
      oneOffs.push(container);
      continue;
    }
    if (labelledService !== undefined && services[labelledService]) {
      services[labelledService].push(describe(container, 'labels'));
      continue;
    }
    const byName = byContainerName.get(container.name.replace(/^\//, ''));
    if (byName !== undefined) {
      (services[byName] as MatchedContainer[]).push(describe(container, 'container_name'));
    } else if (labelledService !== undefined) {
      orphans.push({ container, service: labelledService });
    }
  }
  for (const list of Object.values(services)) list.sort(byNumberThenName);
  return { services, orphans, oneOffs };
}

function describe(container: ContainerSummary, matchedBy: MatchedContainer['matchedBy']): MatchedContainer {
  const labels = container.labels ?? {};
  const version = labels[LABEL_VERSION];
  const number = Number(labels[LABEL_NUMBER]);
  return {
    container,
    matchedBy,
    project: labels[LABEL_PROJECT] ?? null,
    composeGeneration: version === undefined ? null : version.startsWith('1.') ? 'v1' : 'v2',
    number: labels[LABEL_NUMBER] !== undefined && Number.isInteger(number) ? number : null,
  };
}

function byNumberThenName(a: MatchedContainer, b: MatchedContainer): number {
  return swapRank(a.container.name) - swapRank(b.container.name)
    || (a.number ?? Infinity) - (b.number ?? Infinity) || a.container.name.localeCompare(b.container.name);
}
