// One snapshot of the deployment as it is (design.md rule 2): the compose project, each service's container and
// image, what each service is to GlowWorm, and the database's revision. Taken once; reconcile() decides from it.
import { matchContainers, serviceRoles, type ComposeProject, type ComposeService, type OrphanContainer, type ServiceRole, type ServiceRoles } from '../compose/index.js';
import { foreignProjectWarnings } from '../compose/foreign-project.js';
import type { ContainerDetails, DockerPort, ImageDetails } from '../docker/port.js';
import { realName } from '../docker/swap-names.js';
import { credentialsFromEnv, type DbCredentials } from '../db/credentials.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import { notInnodb, tableShapes } from '../db/table-shapes.js';
import { externalError } from '../errors.js';
import { reachContainer } from '../in-container/reach-container.js';
import type { Redactor } from '../secrets.js';

export const VERSION_LABEL = 'org.opencontainers.image.version';

export interface ServiceState {
  name: string;
  role: ServiceRole;
  compose: ComposeService;
  /** The container's name: the running one's, else what compose would call it. */
  containerName: string;
  container: ContainerDetails | null;
  image: ImageDetails | null;
}

export interface ObservedDb {
  creds: DbCredentials;
  revisions: string[];
  tables: string[];
  /** Tables not stored by InnoDB: any one of them keeps the backup from being taken while the app serves. */
  notInnodb: { table: string; engine: string }[];
}

export interface ObservedState {
  project: ComposeProject;
  roles: ServiceRoles;
  services: Record<string, ServiceState>;
  orphans: OrphanContainer[];
  db: ObservedDb | null;
  /** The backend's version now: its image's version label, else its tag. */
  fromVersion: string | null;
  warnings: string[];
}

/** A version for people: the OCI label when the image has one, else the tag (GlowWorm's real images have no label). */
export function versionOf(image: ImageDetails | null, ref: string | null): string | null {
  const label = image?.labels[VERSION_LABEL];
  if (label) return label;
  const tag = ref?.match(/:([\w][\w.-]{0,127})$/)?.[1];
  return tag ?? null;
}

/** The image each service's container runs (a backup records them: what to go back to). */
export function runningImages(observed: ObservedState): Record<string, { ref: string; id: string }> {
  const out: Record<string, { ref: string; id: string }> = {};
  for (const s of Object.values(observed.services)) if (s.container) out[s.name] = { ref: s.container.image, id: s.container.imageId };
  return out;
}

export function firstIp(c: ContainerDetails): string | null {
  return c.networks.find((n) => n.ipAddress)?.ipAddress ?? null;
}

export async function observe(docker: DockerPort, project: ComposeProject, redactor: Redactor): Promise<ObservedState> {
  await docker.ping();
  const summaries = await docker.listContainers();
  const matches = matchContainers(project, summaries);
  const roles = serviceRoles(project);
  // What compose itself would warn about (unset variables, obsolete keys) comes first, as compose prints it first.
  const warnings = [...project.warnings, ...foreignProjectWarnings(project, matches), ...roles.warnings];
  const services: Record<string, ServiceState> = {};

  for (const [name, compose] of Object.entries(project.services)) {
    if (!compose.active) continue;
    const matched = matches.services[name] ?? [];
    if (matched.length > 1) warnings.push(`${name} has ${matched.length} containers; glowworm manages the first (${matched[0]!.container.name}).`);
    const first = matched[0]?.container;
    const container = first ? await docker.inspectContainer(first.id) : null;
    const image = container ? await docker.inspectImage(container.imageId) : null;
    if (container) redactor.addFromEnv(container.env);
    services[name] = {
      name,
      role: roles.roles[name] ?? 'other',
      compose,
      // The name compose gives it, also when a stopped run left the service's only container under a temporary one.
      containerName: container ? realName(container.name) : compose.containerName ?? `${project.name}-${name}-1`,
      container,
      image,
    };
  }
  for (const o of matches.orphans) {
    warnings.push(`Container ${o.container.name} belongs to this project but its service "${o.service}" is no longer in the compose file (an orphan; glowworm leaves it alone).`);
  }

  const backend = roles.backend ? services[roles.backend] : undefined;
  const fromVersion = backend ? versionOf(backend.image, backend.container?.image ?? backend.compose.image) : null;
  const db = await observeDb(docker, services, roles, redactor, warnings);
  return { project, roles, services, orphans: matches.orphans, db, fromVersion, warnings };
}

async function observeDb(docker: DockerPort, services: Record<string, ServiceState>, roles: ServiceRoles, redactor: Redactor, warnings: string[]): Promise<ObservedDb | null> {
  const dbService = roles.db ? services[roles.db] : undefined;
  if (!dbService?.container) {
    warnings.push(roles.db ? `The database service ${roles.db} has no container.` : 'No database service found in the compose file.');
    return null;
  }
  if (!dbService.container.running) {
    warnings.push(`The database container ${dbService.containerName} is not running.`);
    return null;
  }
  const host = firstIp(dbService.container);
  if (!host) throw externalError('db.no-ip', `The database container ${dbService.containerName} has no IP address on any network.`);
  const backendEnv = roles.backend ? services[roles.backend]?.container?.env ?? null : null;
  const creds = credentialsFromEnv(dbService.container.env, backendEnv, host, redactor);
  // Run from glowworm's own image, the database's networks must be joined before its IP answers.
  await reachContainer(docker, dbService.container);
  return withDb(creds, async (db) => ({
    creds, revisions: await alembicRevisions(db), tables: await listTables(db), notInnodb: notInnodb(await tableShapes(db)),
  }));
}
