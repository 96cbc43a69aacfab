// The project a command works on, found as docker compose finds it (-f, --project-directory, -p, --env-file,
// COMPOSE_FILE, COMPOSE_PROJECT_NAME, override files: src/engine/compose/load-project.ts) before the engine is
// called, so that a typo is exit 2 with nothing created: the engine writes `.glowworm/` only into a project directory
// that exists and holds GlowWorm.
import type { ProjectOptions } from '../engine/api.js';
import { loadProject } from '../engine/compose/index.js';
import { requireGlowwormServices } from '../engine/compose/glowworm-project.js';
import type { ProjectArgs } from './args.js';

export async function resolveProject(args: ProjectArgs, cwd = process.cwd()): Promise<ProjectOptions> {
  const project = await loadProject({
    cwd,
    projectDir: args.projectDirectory ?? undefined,
    files: args.files,
    projectName: args.projectName ?? undefined,
    envFile: args.envFile ?? undefined,
  });
  requireGlowwormServices(project);
  return {
    projectDir: project.workingDir,
    files: project.composeFiles,
    projectName: project.name,
    ...(project.envFile ? { envFile: project.envFile } : {}),
  };
}
