// Finding our own container in the mount table, and which of a target's networks it must join. The join itself,
// against a real engine, is test/tool-image.test.ts.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ContainerDetails, DockerPort, NetworkAttachment } from '../docker/port.js';
import { networksToJoin, reachContainer } from './reach-container.js';
import { containerIdFromMountinfo, selfContainer } from './self-container.js';

const ID = '04faf63f1147923072e0ff86ff44b0f29660144af4333537341750dce6c3381c';
// As a container on Debian's docker.io 20.10 shows it (cgroup v1, overlay2), and a host.
const IN_CONTAINER = [
  `240 201 0:52 / / rw,relatime master:120 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X`,
  `441 240 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
  `442 240 254:0 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw`,
].join('\n');
// A host running containers sees their shm mounts under the same folder: that is not "in a container".
const ON_HOST = `30 1 254:0 / / rw - ext4 /dev/vda rw\n501 30 0:60 / /var/lib/docker/containers/${ID}/mounts/shm rw - tmpfs shm rw`;

function net(name: string, ipAddress: string | null = '10.0.0.2'): NetworkAttachment {
  return { name, aliases: [], ipAddress, ipamConfig: null };
}

function container(name: string, networks: NetworkAttachment[], hostConfig: Record<string, unknown> = {}, host = name): ContainerDetails {
  return {
    id: name === 'self' ? ID : `id-${name}`, name, image: 'i', imageId: 'sha256:i', status: 'running', running: true, restarting: false,
    exitCode: 0, health: null, restartCount: 0, startedAt: '', env: [], labels: {}, networks,
    raw: { Id: name, Name: `/${name}`, Image: 'i', Config: { Image: 'i', Hostname: host }, HostConfig: hostConfig, NetworkSettings: {}, State: {} },
  };
}

describe('selfContainer', () => {
  it('reads the id from the /etc/hostname bind mount, and nothing on a host', () => {
    expect(containerIdFromMountinfo(IN_CONTAINER)).toBe(ID);
    expect(containerIdFromMountinfo(ON_HOST)).toBeNull();
    expect(containerIdFromMountinfo('')).toBeNull();
  });

  it('is the container only when the engine knows it and its hostname is ours', async () => {
    const known = (c: ContainerDetails | null) => ({ inspectContainer: async () => c }) as unknown as DockerPort;
    const self = container('self', [net('bridge')], {}, hostname());
    expect(await selfContainer(known(self), IN_CONTAINER)).toBe(self);
    expect(await selfContainer(known(null), IN_CONTAINER)).toBeNull(); // another engine's container
    expect(await selfContainer(known(container('self', [], {}, 'another-host')), IN_CONTAINER)).toBeNull();
    expect(await selfContainer(known(self), ON_HOST)).toBeNull();
  });
});

describe('networksToJoin', () => {
  const db = container('db', [net('proj_default'), net('proj_backend'), net('no-ip', null)]);

  it('is every network of the target with an address that we are not on', () => {
    expect(networksToJoin(container('self', [net('bridge'), net('proj_backend')]), db)).toEqual(['proj_default']);
  });

  it('is none on the host network or sharing another container', () => {
    expect(networksToJoin(container('self', [], { NetworkMode: 'host' }), db)).toEqual([]);
    expect(networksToJoin(container('self', [], { NetworkMode: 'container:abc' }), db)).toEqual([]);
  });
});

describe('reachContainer', () => {
  it('on a host (no container of ours) asks the engine nothing', async () => {
    const calls: string[] = [];
    const docker = new Proxy({}, { get: (_t, name) => async () => void calls.push(String(name)) }) as DockerPort;
    // This test process runs on the host (or in a container this fake engine does not know).
    await reachContainer(docker, container('db', [net('proj_default')]));
    expect(calls.filter((c) => c !== 'inspectContainer')).toEqual([]);
  });
});
