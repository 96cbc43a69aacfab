// DockerodeDocker against the real engine, where two glowworm processes meet: each removes the throwaway containers
// of dead runs (throwaway-owner.ts) and a resumed run removes its killed run's leftover by name, so two removals of
// one container can run at once. The second must wait for the first, not fail the run with "already in progress".
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DockerodeDocker } from '../src/engine/docker/dockerode-docker.js';
import { BASE_IMAGE_TAG } from './rig/base-image.js';
import { docker } from './rig/index.js';

describe('DockerodeDocker.removeContainer', () => {
  it('two removals of one running container at once both succeed, and it is gone after either', async () => {
    const port = new DockerodeDocker();
    for (let round = 0; round < 3; round++) {
      const name = `gw-test-remove-${randomBytes(3).toString('hex')}`;
      await docker(['run', '-d', '--name', name, BASE_IMAGE_TAG, 'sleep', '300']);
      const id = (await docker(['inspect', '--format', '{{.Id}}', name])).stdout.trim();
      const results = await Promise.allSettled([port.removeContainer(id, { force: true, volumes: true }), port.removeContainer(id, { force: true, volumes: true })]);
      expect(results.map((r) => (r.status === 'rejected' ? String((r.reason as Error).message) : 'ok'))).toEqual(['ok', 'ok']);
      expect(await port.inspectContainer(id)).toBeNull();
    }
  });
});
