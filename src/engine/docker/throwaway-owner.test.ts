import { describe, expect, it } from 'vitest';
import type { ContainerSummary, DockerPort, NetworkSummary } from './port.js';
import { processAlive } from '../host-process.js';
import { OWNER_LABEL, ownerLabel, parseOwner, sweepOrphans } from './throwaway-owner.js';

/** A DockerPort that knows only what the sweep uses: labelled containers and networks, and what was removed. */
function fakeDocker(containers: ContainerSummary[], networks: NetworkSummary[]) {
  const removed: string[] = [];
  const hasLabels = (labels: Record<string, string>, filter: string[]) => filter.every((key) => key in labels);
  const port = {
    listContainers: async (filter: string[] = []) => containers.filter((c) => hasLabels(c.labels, filter)),
    listNetworks: async (filter: string[]) => networks.filter((n) => hasLabels(n.labels, filter)),
    removeContainer: async (id: string) => void removed.push(`container ${id}`),
    removeNetwork: async (name: string) => void removed.push(`network ${name}`),
  } as Partial<DockerPort> as DockerPort;
  return { port, removed };
}

const container = (id: string, owner?: string): ContainerSummary => ({
  id, name: `name-${id}`, image: 'img', imageId: 'sha256:1', state: 'exited', labels: owner ? { [OWNER_LABEL]: owner } : {},
});

describe('sweepOrphans', () => {
  const alive = (pid: number) => pid === 100;

  it('removes what dead makers on this host left, containers before networks, and names them', async () => {
    const { port, removed } = fakeDocker(
      [container('a', 'here/200'), container('b', 'here/100'), container('c', 'there/200'), container('d')],
      [{ name: 'net-dead', labels: { [OWNER_LABEL]: 'here/201' } }, { name: 'net-alive', labels: { [OWNER_LABEL]: 'here/100' } }],
    );
    const names = await sweepOrphans(port, { host: 'here', alive });
    expect(removed).toEqual(['container a', 'network net-dead']);
    expect(names).toEqual(['name-a', 'net-dead']);
  });

  it('never removes what this very process made, and ignores labels it cannot read', async () => {
    const { port, removed } = fakeDocker([container('mine', `here/${process.pid}`), container('odd', 'no-pid-here')], []);
    await sweepOrphans(port, { host: 'here', alive: () => false });
    expect(removed).toEqual([]);
  });
});

describe('owner labels', () => {
  it('name this process, and read back', () => {
    const owner = parseOwner(ownerLabel()[OWNER_LABEL]);
    expect(owner?.pid).toBe(process.pid);
    expect(parseOwner('host/with/slash/42')).toEqual({ host: 'host/with/slash', pid: 42 });
    expect(parseOwner(undefined)).toBeNull();
  });

  it('processAlive tells this process from a pid no process has', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 1)).toBe(false); // above Linux's pid_max ceiling (4194304)
  });
});
