import { docker, dockerChecked } from './process.js';

export interface ContainerState {
  name: string;
  service: string;
  image: string;
  status: string;
  /** healthy | unhealthy | starting, or 'none' when the container has no healthcheck */
  health: string;
  restartCount: number;
}

interface InspectedContainer {
  Name: string;
  Config: { Image: string; Labels: Record<string, string> | null };
  State: { Status: string; Health?: { Status: string } };
  RestartCount: number;
}

/** Containers carrying the compose project label (what docker-compose created for the project), by name. */
export async function projectContainers(project: string): Promise<ContainerState[]> {
  const ids = await dockerChecked(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
  const idList = ids.stdout.split('\n').filter(Boolean);
  if (idList.length === 0) return [];
  const inspect = await docker(['inspect', ...idList]);
  if (inspect.code !== 0) return []; // a container went away between ps and inspect: report on the next poll
  const containers = JSON.parse(inspect.stdout) as InspectedContainer[];
  return containers
    .map((c) => ({
      name: c.Name.replace(/^\//, ''),
      service: c.Config.Labels?.['com.docker.compose.service'] ?? '',
      image: c.Config.Image,
      status: c.State.Status,
      health: c.State.Health?.Status ?? 'none',
      restartCount: c.RestartCount,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function formatContainers(containers: readonly ContainerState[]): string {
  if (containers.length === 0) return '(no containers)';
  return containers
    .map((c) => `${c.name.padEnd(40)} ${c.status.padEnd(10)} ${c.health.padEnd(10)} restarts=${c.restartCount}  ${c.image}`)
    .join('\n');
}
