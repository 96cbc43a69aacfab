// Containers found by `container_name` that compose labelled with another project name: the stack was started under
// that name (`docker compose -p NAME`, COMPOSE_PROJECT_NAME) and glowworm was not told it. Left unsaid, whatever
// glowworm creates would carry the wrong project label, the volumes it names would be another project's, and compose
// would no longer see the containers as its own.

import type { ContainerMatches } from './match-containers.js';
import type { ComposeProject } from './model.js';

export function foreignProjectWarnings(project: Pick<ComposeProject, 'name'>, matches: Pick<ContainerMatches, 'services'>): string[] {
  const foreign = new Map<string, string[]>();
  for (const list of Object.values(matches.services)) {
    for (const m of list) {
      if (m.matchedBy !== 'container_name' || m.project === null || m.project === project.name) continue;
      foreign.set(m.project, [...(foreign.get(m.project) ?? []), m.container.name.replace(/^\//, '')]);
    }
  }
  return [...foreign.entries()].map(([name, containers]) =>
    `${containers.join(', ')} ${containers.length === 1 ? 'was' : 'were'} started as compose project "${name}", not "${project.name}": ` +
      `pass -p ${name} (or set COMPOSE_PROJECT_NAME=${name}) so glowworm and compose agree on the project.`);
}
