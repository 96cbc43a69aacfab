// What users reach: the API through the frontend. The celery generation's frontend finds the backend through
// VITE_BACKEND_URL and answers 500 on every API call without it, while the backend itself is healthy — so checking
// the backend alone would pass a broken upgrade. GET /api/setup/status needs no login. The frontend publishes its port
// on the host, but the tool may not run there (and a proxy may sit in front): ask from inside the backend container,
// by the frontend's service name on the compose network.
import type { ComposeProject } from '../compose/index.js';
import type { DockerPort } from '../docker/port.js';
import { failedCheck, passedCheck, type CheckResult } from './check-result.js';
import { httpGetInContainer } from './http-probe.js';

const PATH = '/api/setup/status';

/** The URL of the frontend's API on the compose network, or null when the project has no frontend to ask. */
export function frontendApiUrl(project: ComposeProject, frontend: string | null): string | null {
  const service = frontend ? project.services[frontend] : undefined;
  if (!service) return null;
  const port = service.ports[0]?.target ?? (service.expose[0] ? Number.parseInt(service.expose[0], 10) : 3003);
  return `http://${service.name}:${port}${PATH}`;
}

export async function probeFrontendApi(docker: DockerPort, backend: string, url: string): Promise<CheckResult> {
  const res = await httpGetInContainer(docker, backend, url);
  if (res.status === 200) return passedCheck('frontend-api', `GET ${PATH} through the frontend answered 200`);
  if (res.status === null) return failedCheck('frontend-api', 'unreachable', `GET ${url}: ${res.error ?? 'no answer'}`);
  return failedCheck('frontend-api', `http-${res.status}`, `GET ${PATH} through the frontend answered ${res.status}: ${res.body.slice(0, 120)}`);
}
