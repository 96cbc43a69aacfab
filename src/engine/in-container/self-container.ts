// Which container this process runs in, when it runs in one on the engine it talks to (glowworm's own image, README
// "Three ways to run it"). Docker bind-mounts /etc/hostname from /var/lib/docker/containers/<id>/hostname into every
// container it starts, and the mount table names that source: the id, without guessing from cgroups (whose layout
// differs between cgroup v1 and v2) or the hostname (`--hostname` changes it). On a host, /etc/hostname is no mount.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ContainerDetails, DockerPort } from '../docker/port.js';

const HOSTNAME_SOURCE = /\/containers\/([0-9a-f]{64})\/hostname$/;

/** The container id in a /proc/self/mountinfo text, or null when /etc/hostname is not docker's bind mount. */
export function containerIdFromMountinfo(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    // mountinfo(5): id, parent, major:minor, root (the path inside the source), mount point, …
    const fields = line.split(' ');
    if (fields[4] !== '/etc/hostname') continue;
    const id = fields[3]?.match(HOSTNAME_SOURCE)?.[1];
    if (id) return id;
  }
  return null;
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return ''; // not Linux, or no /proc: not in a Linux container
  }
}

/**
 * This process's own container, inspected through the engine, or null when it runs on a host or in a container of
 * another engine (the id is unknown there, or names a container whose hostname is not ours).
 */
export async function selfContainer(docker: DockerPort, mountinfo: string = readMountinfo()): Promise<ContainerDetails | null> {
  const id = containerIdFromMountinfo(mountinfo);
  if (!id) return null;
  const self = await docker.inspectContainer(id);
  if (!self) return null;
  return self.raw.Config['Hostname'] === hostname() ? self : null;
}
