// The preflight: work out what the deployment will be, without touching it. Pulling belongs here, before the user
// confirms, because the plan needs the new image's contents (its Alembic graph, its release notes); a pull only
// adds images and never changes a running container (see docs/architecture.md, "Plan before confirm").
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { loadProject, serviceRoles, withTag, type ComposeProject } from '../compose/index.js';
import { unsetVariableWarnings } from '../compose/load-project.js';
import { pendingRevisions } from '../alembic/graph.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { droppedTables, readSchemaEffects, type RevisionEffects } from '../alembic/schema-effects.js';
import { releaseNotesFromImage } from '../changelog/from-image.js';
import { markImpliedBreaking } from '../changelog/notes-between.js';
import type { DockerPort, ImageDetails } from '../docker/port.js';
import { inImage } from '../docker/in-image.js';
import type { Emit } from '../event-channel.js';
import { externalError, toGlowwormError, userError } from '../errors.js';
import { unknownTagError } from '../registry/tag-hint.js';
import type { Redactor } from '../secrets.js';
import type { ObservedState } from '../plan/observed-state.js';
import { versionOf } from '../plan/observed-state.js';
import type { TargetState } from '../plan/reconcile.js';
import type { DeploymentMigrationsPort } from '../deploy-migrations/types.js';
import type { DeploymentFacts } from '../deploy-migrations/types.js';
import { deploymentFacts } from './deployment-facts.js';
import { refuseImageMismatch, refuseUneditableImages, retagMainFile } from './image-edits.js';
import { changedDefinitions } from '../plan/definition-changes.js';
import { FRONTEND_PACKAGE, identityOf, packageVersion, repoDigestOf, type ReleaseIdentity } from '../plan/release-identity.js';


export interface PreflightOptions {
  toTag: string | null;
  pull: boolean;
  /** Where the run keeps its working files (`.glowworm/runs/<runId>`). */
  workDir: string;
}

export interface PreflightIO {
  docker: DockerPort;
  emit: Emit;
  redactor: Redactor;
  deployments: Pick<DeploymentMigrationsPort, 'preview' | 'imageFiles'>;
}

export interface Preflight {
  target: TargetState;
  /** The edited compose text and .env text the apply step writes (null: unchanged). */
  files: { compose: string | null; env: string | null };
}

/** The image refs of the app services (backend, workers, frontend), retagged to `toTag` when given. */
function appRefs(project: ComposeProject, toTag: string | null): Record<string, string> {
  const roles = serviceRoles(project);
  const out: Record<string, string> = {};
  for (const [name, role] of Object.entries(roles.roles)) {
    const image = project.services[name]?.image;
    if (!image || !['backend', 'worker', 'frontend'].includes(role)) continue;
    out[name] = toTag ? withTag(image, toTag) : image;
  }
  return out;
}

/** Image refs of the services in the target project that have no container yet, whatever their role. */
function newServiceRefs(project: ComposeProject, observed: ObservedState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, service] of Object.entries(project.services)) {
    if (service.active && service.image && !observed.services[name]?.container) out[name] = service.image;
  }
  return out;
}

/** The database service's image in the target project, when it has a container now (the recreate's image). */
function databaseServerRef(project: ComposeProject, observed: ObservedState): Record<string, string> {
  const db = observed.roles.db;
  const image = db ? project.services[db]?.image : undefined;
  return db && image && observed.services[db]?.container ? { [db]: image } : {};
}

export async function preflight(io: PreflightIO, observed: ObservedState, opts: PreflightOptions): Promise<Preflight> {
  const { docker, emit } = io;
  const backend = observed.roles.backend;
  if (!backend) throw userError('plan.no-backend', 'No GlowWorm backend service found in the compose file.', 'Name the service glowworm-backend, or use an image whose repository ends in "backend".');
  if (opts.toTag && !/^[\w][\w.-]{0,127}$/.test(opts.toTag)) throw userError('plan.bad-tag', `"${opts.toTag}" is not a valid image tag.`);
  if (opts.toTag) await refuseUneditableImages(observed, opts.toTag);

  // 1. Pull what the target needs (the compose file's tags, or --to's).
  const refs = appRefs(observed.project, opts.toTag);
  const pulled: { ref: string; digest: string | null }[] = [];
  for (const ref of [...new Set(Object.values(refs))]) {
    if (opts.pull) {
      await docker.pull(ref, (p) => emit({ type: 'pull.progress', image: ref, ...p })).catch(async (error: unknown) => {
        throw (toGlowwormError(error).code === 'docker.not-found' ? await unknownTagError(ref) : null) ?? error;
      });
    }
    const image = await docker.inspectImage(ref);
    if (!image) throw externalError('plan.image-missing', `The image ${ref} is not available${opts.pull ? ' after pulling' : ' locally (--no-pull)'}.`);
    const digest = repoDigestOf(image, ref);
    emit({ type: 'pull.completed', image: ref, digest });
    pulled.push({ ref, digest });
  }
  const backendRef = refs[backend]!;
  const backendImage = (await docker.inspectImage(backendRef))!;
  const toVersion = versionOf(backendImage, backendRef) ?? opts.toTag ?? 'unknown';

  // 2. Read the target backend image: Alembic graph (throwaway container, no network) and release notes (not started).
  const history = await readGraphFromImage(inImage(docker, backendRef));
  const graph = history.graph;
  for (const w of history.warnings) emit({ type: 'notice', level: 'warn', message: w });
  // What the migrations do to the tables: the verification expects it, and a dropped table is a breaking change.
  const effects = await readSchemaEffects(inImage(docker, backendRef)).catch((error: Error): Map<string, RevisionEffects> => {
    emit({ type: 'notice', level: 'warn', message: `${error.message}; the verification will expect the tables there are now.` });
    return new Map();
  });
  const probeName = `glowworm-notes-${process.pid}-${Date.now().toString(36)}`;
  const probe = await docker.createStopped(backendRef, probeName, { 'io.glowworm.role': 'probe' });
  let notes: Awaited<ReturnType<typeof releaseNotesFromImage>>;
  let facts: DeploymentFacts;
  try {
    notes = await releaseNotesFromImage(async (path) => (await docker.readFile(probe, path))?.toString('utf8') ?? null, observed.fromVersion, toVersion);
    facts = await deploymentFacts(observed, graph, await io.deployments.imageFiles(), (path) => docker.readFile(probe, path));
  } finally {
    await docker.removeContainer(probe, { force: true });
  }

  // 3. Deployment migrations and the retag, as edited texts; then the project as it will be.
  const mainFile = observed.project.composeFiles[0]!;
  const composeText = await readFile(mainFile, 'utf8');
  const envText = observed.project.envFile ? await readFile(observed.project.envFile, 'utf8').catch(() => null) : null;
  const previewed = await io.deployments.preview(facts, { compose: composeText, env: envText }, backendRef);
  const changes = [...previewed.changes];
  let compose = previewed.compose;
  if (opts.toTag) {
    const retagged = retagMainFile(compose, observed, opts.toTag);
    if (retagged !== compose) {
      changes.push({ name: 'image-tags', description: `set the GlowWorm images to :${opts.toTag}`, diff: createTwoFilesPatch(mainFile, mainFile, compose, retagged) });
      compose = retagged;
    }
  }
  await mkdir(opts.workDir, { recursive: true, mode: 0o700 });
  const targetCompose = join(opts.workDir, 'target-compose.yml');
  await writeFile(targetCompose, compose, { mode: 0o600 });
  let envFile: string | undefined;
  if (previewed.env !== null) {
    envFile = join(opts.workDir, 'target.env');
    await writeFile(envFile, previewed.env, { mode: 0o600 });
  }
  const project = await loadProject({
    projectDir: observed.project.workingDir,
    files: [targetCompose, ...observed.project.composeFiles.slice(1)],
    projectName: observed.project.name,
    envFile: envFile ?? observed.project.envFile ?? undefined,
  });
  await refuseImageMismatch(project, refs);
  // Variables the target files need and nothing sets: compose would warn at the next `up`; the plan says so now.
  const known = new Set(observed.project.unsetVariables.map((u) => u.name));
  for (const warning of unsetVariableWarnings(project.unsetVariables.filter((u) => !known.has(u.name)))) {
    emit({ type: 'notice', level: 'warn', message: `After the upgrade: ${warning}` });
  }

  // A service the edits add (Redis, the worker) is created from its definition; like `compose up`, its image is pulled
  // only when the engine lacks it (the app images were pulled above).
  const created = newServiceRefs(project, observed);
  // The database server is recreated from the target file when the file changes it (plan/database-server.ts); the
  // image it would run on is known to the plan, and pulled, as compose would, only when the engine lacks it.
  const server = databaseServerRef(project, observed);
  for (const ref of new Set(Object.values({ ...created, ...server }))) {
    if (await docker.inspectImage(ref)) continue;
    if (!opts.pull) throw externalError('plan.image-missing', `The image ${ref} of a service the upgrade creates is not on this engine (--no-pull).`, `Pull it first: docker pull ${ref}`);
    await docker.pull(ref, (p) => emit({ type: 'pull.progress', image: ref, ...p }));
    emit({ type: 'pull.completed', image: ref, digest: null });
  }
  const targetRefs = { ...appRefs(project, null), ...created, ...server };
  const images: TargetState['images'] = {};
  for (const ref of new Set(Object.values(targetRefs))) {
    const image = await docker.inspectImage(ref);
    if (!image) throw externalError('plan.image-missing', `The image ${ref} (from the edited compose file) is not available.`);
    images[ref] = image;
  }

  // No commit ever marks a breaking change in GlowWorm; a release that needs a deployment migration is breaking.
  // A dropped table is breaking too: whatever read it (a report, a script) stops working.
  const removedTables = droppedTables(pendingRevisions(graph, observed.db?.revisions ?? []), effects);
  const releaseNotes = markImpliedBreaking(notes, { deployMigrations: previewed.changes.map((c) => ({ name: c.name, description: c.description })), removedTables });
  const target: TargetState = {
    identity: await releaseIdentity(docker, observed, { backendRef, backendImage, heads: graph.heads, frontendRef: observed.roles.frontend ? refs[observed.roles.frontend] ?? null : null }),
    project,
    refs: targetRefs,
    images,
    pulled,
    graph,
    releaseNotes,
    deployChanges: changes,
    definitionChanges: changedDefinitions(observed.project, project),
    alembicIni: history.ini,
    effects,
  };
  return { target, files: { compose: compose === composeText ? null : compose, env: previewed.env === envText ? null : previewed.env } };
}

/** Where the deployment is and where it goes, by what a release is known by (release-identity.ts). */
async function releaseIdentity(
  docker: DockerPort,
  observed: ObservedState,
  to: { backendRef: string; backendImage: ImageDetails; heads: string[]; frontendRef: string | null },
): Promise<{ from: ReleaseIdentity; to: ReleaseIdentity }> {
  const backend = observed.roles.backend ? observed.services[observed.roles.backend] : undefined;
  const frontend = observed.roles.frontend ? observed.services[observed.roles.frontend] : undefined;
  const running = frontend?.container ? await docker.readFile(frontend.container.id, FRONTEND_PACKAGE).catch(() => null) : null;
  let next: Buffer | null = null;
  if (to.frontendRef && (await docker.inspectImage(to.frontendRef))) {
    const probe = await docker.createStopped(to.frontendRef, `glowworm-frontend-probe-${process.pid}-${Date.now().toString(36)}`, { 'io.glowworm.role': 'probe' });
    try {
      next = await docker.readFile(probe, FRONTEND_PACKAGE).catch(() => null);
    } finally {
      await docker.removeContainer(probe, { force: true });
    }
  }
  return {
    from: identityOf(backend?.container?.image ?? backend?.compose.image ?? null, backend?.image ?? null, observed.db?.revisions ?? [], packageVersion(running?.toString('utf8'))),
    to: identityOf(to.backendRef, to.backendImage, to.heads, packageVersion(next?.toString('utf8'))),
  };
}
