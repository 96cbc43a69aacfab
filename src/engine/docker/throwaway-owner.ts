// The containers and networks glowworm makes for its own use (probes that read an image, the server that verifies a
// backup, a rehearsal) are removed by the process that made them, in `finally`. A process killed with SIGKILL, or
// a terminal closed under it, cannot: a verification server would go on running MariaDB, forgotten. Each one
// carries its maker (host and pid), so a later run can tell an orphan, whose maker is gone, from one in use by a
// glowworm still running (another project's upgrade, a doctor window) and remove only the orphans.
import { hostname } from 'node:os';
import { processAlive } from '../host-process.js';
import type { DockerPort } from './port.js';

export const OWNER_LABEL = 'io.glowworm.owner';

/** The label that names this process as the maker; `host/pid`. */
export function ownerLabel(): Record<string, string> {
  return { [OWNER_LABEL]: `${hostname()}/${process.pid}` };
}

export function parseOwner(value: string | undefined): { host: string; pid: number } | null {
  const m = /^(.+)\/(\d+)$/.exec(value ?? '');
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

export interface SweepOptions {
  host?: string;
  alive?: (pid: number) => boolean;
}

/**
 * Remove what dead glowworm processes on this host left behind: containers (with their anonymous volumes) first,
 * then networks, which cannot go while a container is attached. Makers on another host are never judged: a remote
 * engine may be shared, and their pids mean nothing here. Returns the names removed.
 */
export async function sweepOrphans(docker: DockerPort, opts: SweepOptions = {}): Promise<string[]> {
  const host = opts.host ?? hostname();
  const alive = opts.alive ?? processAlive;
  const orphaned = (labels: Record<string, string>) => {
    const owner = parseOwner(labels[OWNER_LABEL]);
    return owner !== null && owner.host === host && owner.pid !== process.pid && !alive(owner.pid);
  };
  const removed: string[] = [];
  for (const c of await docker.listContainers([OWNER_LABEL])) {
    if (!orphaned(c.labels)) continue;
    await docker.removeContainer(c.id, { force: true, volumes: true });
    removed.push(c.name);
  }
  for (const n of await docker.listNetworks([OWNER_LABEL])) {
    if (!orphaned(n.labels)) continue;
    await docker.removeNetwork(n.name);
    removed.push(n.name);
  }
  return removed;
}
