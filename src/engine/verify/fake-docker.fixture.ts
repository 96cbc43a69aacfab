// A DockerPort for the verification's unit tests: containers as scripted sequences of inspect states (each inspect
// takes the next, the last one repeats), their images' configs, and the backend's GET /health by exec.
import type { ContainerDetails, DockerPort, ExecResult, ImageDetails } from '../docker/port.js';

/** The real backend image's defaults (nstephens/glowworm, newest): its start script, and a healthcheck that curls it. */
export const BACKEND_IMAGE: ImageDetails = {
  id: 'sha256:backend', repoTags: ['glowworm-backend:test'], repoDigests: [], labels: {},
  config: {
    Cmd: ['/app/start-backend-with-migrations.sh'],
    Entrypoint: null,
    Healthcheck: {
      Test: ['CMD-SHELL', 'curl -f http://localhost:8001/health && python /app/scripts/verify-migrations.py || exit 1'],
      Interval: 30_000_000_000, Timeout: 30_000_000_000, StartPeriod: 60_000_000_000, Retries: 3,
    },
  },
};

export const WORKER_CMD = ['celery', '-A', 'celery_app', 'worker', '--beat', '--loglevel=info', '--concurrency=4'];

export type ContainerState = Partial<Omit<ContainerDetails, 'raw'>> & { config?: Record<string, unknown> };

export function containerDetails(name: string, s: ContainerState = {}): ContainerDetails {
  const config = s.config ?? { Cmd: BACKEND_IMAGE.config['Cmd'], Healthcheck: BACKEND_IMAGE.config['Healthcheck'] };
  return {
    id: `id-${name}`, name, image: 'glowworm-backend:test', imageId: BACKEND_IMAGE.id, status: 'running', running: true,
    restarting: false, exitCode: 0, health: 'healthy', restartCount: 0, startedAt: '2025-11-20T10:00:00Z', env: [], labels: {},
    networks: [], ...s,
    raw: { Id: `id-${name}`, Name: `/${name}`, Image: BACKEND_IMAGE.id, Config: { Image: 'glowworm-backend:test', ...config }, HostConfig: {}, NetworkSettings: {}, State: {} },
  };
}

/** The worker as the real compose file makes it: the backend image, its own command, the image's healthcheck. */
export function workerState(s: ContainerState = {}): ContainerState {
  return { health: 'unhealthy', config: { Cmd: WORKER_CMD, Healthcheck: BACKEND_IMAGE.config['Healthcheck'] }, ...s };
}

export function fakeDocker(containers: Record<string, ContainerState[]>, opts: { health?: ExecResult } = {}) {
  const inspected: string[] = [];
  const port = {
    inspectContainer: async (name: string) => {
      inspected.push(name);
      const states = containers[name];
      if (!states) return null;
      const state = states.length > 1 ? states.shift()! : states[0]!;
      return containerDetails(name, state);
    },
    inspectImage: async (ref: string) => (ref === BACKEND_IMAGE.id ? BACKEND_IMAGE : null),
    exec: async () => opts.health ?? { exitCode: 0, stdout: '{"status":"healthy","version":"0.1.0"}\n200', stderr: '' },
  } as Partial<DockerPort> as DockerPort;
  return { port, inspected };
}
