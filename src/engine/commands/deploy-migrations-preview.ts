// `glowworm deploy-migrations pending|preview`: which deployment migrations this deployment needs to run a backend
// image, decided exactly as the upgrade decides (the files, the running containers' mounts, the image's contents).
// Nothing is written.
import { readGraphFromImage } from '../alembic/history-probe.js';
import { inImage } from '../docker/in-image.js';
import { DeployMigrationRunner } from '../deploy-migrations/runner.js';
import type { DeployMigrationPreview } from '../deploy-migrations/deploy-plan.js';
import { externalError } from '../errors.js';
import { deploymentFacts } from '../preflight/deployment-facts.js';
import { Redactor } from '../secrets.js';
import type { ProjectOptions } from '../api.js';
import { backendImageOf, } from './backend-image.js';
import { openDeployment } from './deployment.js';

export async function previewDeployMigrations(opts: ProjectOptions & { image?: string }): Promise<DeployMigrationPreview[]> {
  const redactor = new Redactor();
  const { docker, observed } = await openDeployment(opts, redactor);
  const image = opts.image ?? observed.services[observed.roles.backend ?? '']?.compose.image ?? backendImageOf(observed);
  if (!(await docker.inspectImage(image))) {
    throw externalError('plan.image-missing', `The image ${image} is not on this engine.`, `Pull it first (\`docker pull ${image}\`), or name another with --image.`);
  }
  const project = observed.project;
  const runner = new DeployMigrationRunner({ composeFile: project.composeFiles[0]!, ...(project.envFile ? { envFile: project.envFile } : {}) }, { redactor });
  const { graph } = await readGraphFromImage(inImage(docker, image));
  const probe = await docker.createStopped(image, `glowworm-facts-${process.pid}-${Date.now().toString(36)}`, { 'io.glowworm.role': 'probe' });
  try {
    return await runner.preview(await deploymentFacts(observed, graph, await runner.imageFiles(), (path) => docker.readFile(probe, path)));
  } finally {
    await docker.removeContainer(probe, { force: true });
  }
}
