// glowworm connects to the database with mysql2 at the database container's IP (db/connection.ts). A host routes to
// every container network; a container reaches only the networks it is on. So when glowworm runs in its own image,
// it joins each network of the container it is about to reach, for the rest of its run (the container is `--rm`:
// its endpoints go with it). This is what `docker network connect` would do; the user mounts only the socket and the
// project folder, and needs no `--network` flag. With `--network host` there is nothing to join.
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';
import { selfContainer } from './self-container.js';

/** The networks of `target` that `self` is not on (none when self shares the host's or another container's stack). */
export function networksToJoin(self: ContainerDetails, target: ContainerDetails): string[] {
  const mode = String(self.raw.HostConfig['NetworkMode'] ?? '');
  if (mode === 'host' || mode.startsWith('container:')) return [];
  const mine = new Set(self.networks.map((n) => n.name));
  return target.networks.filter((n) => n.ipAddress && !mine.has(n.name)).map((n) => n.name);
}

/** Make `target`'s IP addresses reachable from this process: a no-op on a host, a network join in a container. */
export async function reachContainer(docker: DockerPort, target: ContainerDetails): Promise<void> {
  const self = await selfContainer(docker);
  if (!self) return;
  for (const network of networksToJoin(self, target)) {
    try {
      await docker.connectNetwork(network, self.id, {});
    } catch (error) {
      // Joined meanwhile by a concurrent call of this process: inspect again rather than parse the engine's message.
      const now = await docker.inspectContainer(self.id);
      if (now?.networks.some((n) => n.name === network)) continue;
      throw externalError('container.network-join-failed',
        `glowworm runs in container ${self.name} and could not join the network ${network} to reach ${target.name}: ${(error as Error).message}`,
        `Run the image with --network host, or join it yourself first: docker network connect ${network} ${self.name}`, error);
    }
  }
}
