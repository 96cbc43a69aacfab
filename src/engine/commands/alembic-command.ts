// `alembic current` / `alembic history --verbose`, as the seed's troubleshooting guide runs them — in the backend
// container when it runs, else (a backend restart-looping on a failed migration cannot be exec'd into) in a
// throwaway container of the backend image with the backend's environment and network, so it reaches the database.
import { dirname } from 'node:path';
import type { CommandOutput, ProjectOptions } from '../api.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import type { DockerPort } from '../docker/port.js';
import { Redactor } from '../secrets.js';
import { backendImageOf } from './backend-image.js';
import { inImage } from '../docker/in-image.js';
import { openDeployment } from './deployment.js';
import { userError } from '../errors.js';

export async function runAlembic(opts: ProjectOptions, what: 'current' | 'history', docker?: DockerPort): Promise<CommandOutput> {
  const redactor = new Redactor();
  const d = await openDeployment(opts, redactor, docker);
  const backend = d.observed.roles.backend ? d.observed.services[d.observed.roles.backend] : undefined;
  if (!backend) throw userError('plan.no-backend', 'No GlowWorm backend service found in the compose file.');
  const image = backendImageOf(d.observed);
  const ini = (await readGraphFromImage(inImage(d.docker, image))).ini ?? '/app/alembic.ini';
  const args = what === 'current' ? 'current' : 'history --verbose';
  const script = `cd ${JSON.stringify(dirname(ini))} && exec alembic ${args}`;
  const command = `alembic ${args}`;
  const c = backend.container;
  // A crash-looping backend is "running" for a few seconds between crashes: exec into it only when it is healthy
  // (or has no healthcheck), or the command may die with it.
  const usable = !!c?.running && !c.restarting && (c.health === null || c.health === 'healthy');
  const result = usable
    ? await d.docker.exec(c!.id, ['sh', '-c', script])
    : await d.docker.runOnce(image, ['sh', '-c', script], {
        entrypoint: [],
        env: c?.env ?? Object.entries(backend.compose.environment).map(([k, v]) => `${k}=${v}`),
        networkMode: c?.networks[0]?.name ?? backend.compose.networks[0]?.name ?? 'bridge',
        labels: { 'io.glowworm.role': 'probe' },
      });
  const output = redactor.redactText([result.stdout, result.stderr].filter((t) => t.trim()).join('\n'));
  return { command, exitCode: result.exitCode, output, ranIn: usable ? 'backend' : 'throwaway' };
}
