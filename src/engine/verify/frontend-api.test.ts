import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../compose/index.js';
import type { DockerPort, ExecResult } from '../docker/port.js';
import { frontendApiUrl, probeFrontendApi } from './frontend-api.js';

const OCT = fileURLToPath(new URL('../compose/fixtures/glowworm-2025-10', import.meta.url));

function answering(result: ExecResult): { docker: DockerPort; calls: string[][] } {
  const calls: string[][] = [];
  const docker = { exec: async (_c: string, cmd: string[]) => (calls.push(cmd), result) } as unknown as DockerPort;
  return { docker, calls };
}

describe('the API through the frontend', () => {
  it('is asked by the frontend service name and its container port, not the published one', async () => {
    const project = await loadProject({ projectDir: OCT, env: { FRONTEND_PORT: '8080' } });
    expect(frontendApiUrl(project, 'glowworm-frontend')).toBe('http://glowworm-frontend:3003/api/setup/status');
    expect(frontendApiUrl(project, null)).toBeNull();
  });

  it('passes a 200, and names a 500 (the frontend without VITE_BACKEND_URL) by its status', async () => {
    const ok = answering({ exitCode: 0, stdout: '{"setup_complete":true}\n200', stderr: '' });
    expect(await probeFrontendApi(ok.docker, 'glowworm-backend', 'http://glowworm-frontend:3003/api/setup/status'))
      .toMatchObject({ check: 'frontend-api', passed: true });
    expect(ok.calls[0]).toContain('http://glowworm-frontend:3003/api/setup/status');
    const broken = answering({ exitCode: 0, stdout: '{"detail":"VITE_BACKEND_URL is not set"}\n500', stderr: '' });
    expect(await probeFrontendApi(broken.docker, 'glowworm-backend', 'http://glowworm-frontend:3003/api/setup/status'))
      .toMatchObject({ passed: false, failure: 'http-500' });
    const down = answering({ exitCode: 7, stdout: '', stderr: 'curl: (7) Failed to connect' });
    expect(await probeFrontendApi(down.docker, 'glowworm-backend', 'http://glowworm-frontend:3003/api/setup/status'))
      .toMatchObject({ passed: false, failure: 'unreachable' });
  });
});
