// observed + target → Plan. Pure (design.md rule 2): no I/O, so the planner is tested by comparing planToText().
// Decides which services change and in what order the executor acts; the executor makes no decisions of its own.
import type { RevisionEffects } from '../alembic/schema-effects.js';
import { dependencyOrder, reverseDependencyOrder, serviceRoles, type ComposeProject } from '../compose/index.js';
import { pendingRevisions, toPendingRevision, type RevisionGraph } from '../alembic/graph.js';
import type { ImageDetails } from '../docker/port.js';
import { crashLooping } from '../docker/crash-loop.js';
import type { ObservedState } from './observed-state.js';
import type { DeployChange, Operation, Plan, ReleaseNotes, ServiceChange } from './plan.js';
import { versionOf } from './observed-state.js';
import type { ReleaseIdentity } from './release-identity.js';
import { databaseServerChange, serverImageWarning } from './database-server.js';

/** What the upgrade aims at, gathered by the preflight (target-state.ts) after pulling. */
export interface TargetState {
  /** Where the deployment is and where it goes, by tag, digest, Alembic head and frontend version. */
  identity?: { from: ReleaseIdentity; to: ReleaseIdentity };
  /** The compose project as it will be: deployment migrations and the new image tags applied (in memory). */
  project: ComposeProject;
  /** Target image ref of every app service (backend, workers, frontend). */
  refs: Record<string, string>;
  images: Record<string, ImageDetails>;
  pulled: { ref: string; digest: string | null }[];
  graph: RevisionGraph;
  releaseNotes: ReleaseNotes | null;
  deployChanges: DeployChange[];
  /** Per existing service, the container fields the edits change (definition-changes.ts); absent: unchanged. */
  definitionChanges: Record<string, string[]>;
  /** Where the target image keeps alembic.ini (the rehearsal runs Alembic from there). */
  alembicIni: string | null;
  /** What each of the target image's revisions does to the schema (empty when it could not be read). */
  effects: ReadonlyMap<string, RevisionEffects>;
}

export interface PlanOptions {
  backup: boolean;
  /** Run the new migrations on the restored backup before changing anything. */
  rehearse?: boolean;
}

const APP_ROLES = new Set(['backend', 'worker', 'frontend']);

export function reconcile(observed: ObservedState, target: TargetState, opts: PlanOptions): Plan {
  const warnings = [...observed.warnings];
  const backend = observed.roles.backend;
  const backendRef = backend ? target.refs[backend] : undefined;
  const toVersion = versionOf(backendRef ? target.images[backendRef] ?? null : null, backendRef ?? null) ?? 'unknown';

  const targetRoles = serviceRoles(target.project).roles;
  const roleOf = (name: string) => observed.services[name]?.role ?? targetRoles[name] ?? 'other';
  // The app's services, and any service the release adds (Redis): glowworm creates those as compose would.
  const appServices = Object.keys(target.project.services).filter((name) =>
    target.refs[name] && (APP_ROLES.has(roleOf(name)) || !observed.services[name]?.container));

  const services: ServiceChange[] = appServices.map((name) => {
    const now = observed.services[name];
    const ref = target.refs[name]!;
    const image = target.images[ref];
    const changedFields = target.definitionChanges[name] ?? [];
    const action = !now?.container ? 'create' : now.container.imageId !== image?.id || changedFields.length > 0 ? 'recreate' : 'keep';
    return {
      service: name,
      container: now?.containerName ?? target.project.services[name]?.containerName ?? `${target.project.name}-${name}-1`,
      action,
      fromImage: now?.container?.image ?? null,
      toImage: ref,
      fromVersion: now ? versionOf(now.image, now.container?.image ?? null) : null,
      toVersion: versionOf(image ?? null, ref),
      // A definition the edits changed reaches the container only by creating it from the file, as compose does.
      config: action === 'create' || changedFields.length > 0 ? 'compose' : 'kept',
      ...(changedFields.length ? { changedFields } : {}),
    };
  });

  // The database server, recreated from the target file when the file changes it (plan/database-server.ts).
  const dbServer = databaseServerChange(observed, target);
  if (dbServer && 'warning' in dbServer) warnings.push(dbServer.warning);
  const dbRecreate = dbServer && 'change' in dbServer ? dbServer.change : null;
  if (dbRecreate) {
    services.push(dbRecreate.change);
    const imageWarning = serverImageWarning(dbRecreate);
    if (imageWarning) warnings.push(imageWarning);
  }

  for (const s of Object.values(observed.services)) {
    if (appServices.includes(s.name) || !s.container || s.role === 'db') continue;
    const wanted = target.project.services[s.name]?.image;
    if (wanted && wanted !== s.container.image) {
      warnings.push(`${s.name} runs ${s.container.image} but the compose file says ${wanted}; glowworm does not upgrade ${s.name}.`);
    }
    const changed = target.definitionChanges[s.name];
    if (changed) {
      warnings.push(`The compose file changes ${s.name} (${changed.join(', ')}); glowworm does not recreate ${s.name}, so the change applies at its next \`docker compose up -d\`.`);
    }
  }

  const crashLoopingTarget = crashLoopOnTarget(observed, target);
  if (crashLoopingTarget) {
    warnings.push(`${crashLoopingTarget.service} already crash-loops here on ${crashLoopingTarget.image} (restarted ${crashLoopingTarget.restarts} times), the very image this plan goes to: upgrading to it again fails the same way. Wait for a release that fixes it, or go back to the version that worked (\`glowworm upgrade --to <its tag>\`).`);
  }

  const current = observed.db?.revisions ?? null;
  const pending = current === null ? [] : pendingRevisions(target.graph, current).map(toPendingRevision);
  if (current === null) warnings.push('The database revision could not be read; pending migrations are unknown.');

  const changing = services.filter((s) => s.action !== 'keep');
  const operations: Operation[] = [];
  if (changing.length || pending.length || target.deployChanges.length) {
    const dbName = observed.db?.creds.database ?? 'database';
    const running = new Set(appServices.filter((n) => observed.services[n]?.container?.running));
    if (changing.length) {
      // Creating containers takes no downtime: do it while the old version still serves.
      operations.push({ kind: 'prepare', services: changing.map((s) => s.service), cause: 'create the new containers before the downtime starts' });
    }
    const byName = new Map(services.map((s) => [s.service, s]));
    const roles = Object.fromEntries(appServices.map((name) => [name, roleOf(name)]));
    const bringUp = (name: string) => {
      const s = byName.get(name)!;
      if (s.action === 'recreate' || s.action === 'create') {
        operations.push({ kind: 'recreate', service: name, container: s.container, image: s.toImage, create: s.action === 'create', cause: s.action === 'create' ? 'new service in this release' : `new image ${s.toImage}` });
      }
      operations.push({ kind: 'start', service: name, container: s.container, writes: roles[name] === 'backend' || roles[name] === 'worker', cause: s.action === 'keep' ? 'restart after the backup' : 'start the new version' });
    };
    // What the app waits for and the release adds (Redis) touches nothing that runs: it starts, and is waited for when
    // it has a healthcheck (as compose's `depends_on: service_healthy` would), before the downtime.
    const support = dependencyOrder(target.project, appServices.filter((n) => !APP_ROLES.has(roles[n]!)));
    for (const name of support) {
      bringUp(name);
      if (target.project.services[name]?.healthcheck && !target.project.services[name]!.healthcheck!.disabled) {
        operations.push({ kind: 'wait-healthy', service: name, container: byName.get(name)!.container, cause: 'the services that depend on it wait until it is healthy' });
      }
    }
    const stopping = reverseDependencyOrder(observed.project, [...running].filter((n) => n in observed.project.services));
    // The bulk of the backup is copied while the old version serves when every table is InnoDB (a consistent online
    // dump); the downtime then pays only for the changes made since. Otherwise the writers stop first, as before.
    const online = opts.backup && observed.db !== null && observed.db.notInnodb.length === 0;
    const rehearse = (ownCopy: boolean) => {
      if (opts.rehearse && pending.length) {
        operations.push({ kind: 'rehearse', database: dbName, revisions: pending.length, ownCopy, cause: `run the ${pending.length} new migrations on a restored copy first${ownCopy ? ', while the old version serves' : ''}` });
      }
    };
    if (online) {
      operations.push({ kind: 'backup', database: dbName, online: true, cause: 'the way back if anything fails, dumped while the old version serves' });
      operations.push({ kind: 'verify-backup', database: dbName, cause: 'restore it into a throwaway database and compare checksums' });
      rehearse(true);
    }
    if (stopping.length) {
      operations.push({ kind: 'stop', services: stopping, cause: online ? 'stop writers before the changes are copied (the downtime starts)' : 'stop writers before the backup (the downtime starts)' });
    }
    if (online) {
      operations.push({ kind: 'catch-up', database: dbName, cause: 'copy what changed since into the backup and its verified copy, and prove the copy equal to the database' });
    } else if (opts.backup) {
      if (observed.db?.notInnodb.length) {
        warnings.push(`Not InnoDB: ${observed.db.notInnodb.map((t) => `${t.table} (${t.engine})`).join(', ')}. Such tables cannot be dumped consistently while the app serves, so the backup is taken inside the downtime, with the app stopped.`);
      }
      operations.push({ kind: 'backup', database: dbName, online: false, cause: 'the way back if anything fails' });
      operations.push({ kind: 'verify-backup', database: dbName, cause: 'restore it into a throwaway database and compare checksums' });
    } else {
      warnings.push('--no-backup: if the upgrade fails after the schema changed, glowworm cannot restore the database.');
    }
    if (opts.backup && !online) rehearse(false);
    if (target.deployChanges.length) {
      // One operation: the files are written together, from the texts the plan showed.
      operations.push({ kind: 'apply-deploy-migration', changes: target.deployChanges.map((d) => d.name), cause: target.deployChanges.map((d) => d.name).join(', ') });
    }
    if (dbRecreate) {
      // Inside the downtime, once the backup is verified and before anything of the new version starts on it.
      const c = dbRecreate.change;
      operations.push({ kind: 'recreate-database', service: c.service, container: c.container, image: c.toImage, cause: `the compose file changes the database server: ${dbRecreate.reasons.join(', ')}` });
    }
    // Frontends only proxy (they never write): they restart while the backend migrates, so their restart is not
    // extra downtime. Workers write: they start only once the migrations succeeded.
    const order = startOrder(target.project, appServices.filter((n) => APP_ROLES.has(roles[n]!)), backend, roles);
    const frontends = order.filter((n) => roles[n] === 'frontend');
    if (backend && order.includes(backend)) {
      bringUp(backend);
      frontends.forEach(bringUp);
      operations.push({ kind: 'wait-migrations', service: backend, container: byName.get(backend)!.container, pending: pending.length, cause: pending.length ? `${pending.length} pending migrations` : 'wait until it serves' });
    }
    order.filter((n) => n !== backend && !frontends.includes(n)).forEach(bringUp);
    operations.push({ kind: 'verify', project: observed.project.name, cause: 'health, Alembic head, schema, settings API' });
    operations.push({ kind: 'commit', project: observed.project.name, cause: 'remove the old containers kept for rollback' });
  }

  return {
    project: { name: observed.project.name, dir: observed.project.workingDir, files: observed.project.composeFiles },
    fromVersion: observed.fromVersion,
    toVersion,
    ...(target.identity ? { identity: target.identity } : {}),
    services,
    images: target.pulled.map((p) => ({ ref: p.ref, reason: p.digest ? `digest ${p.digest.slice(0, 19)}` : 'pulled' })),
    migrations: { current, targetHeads: target.graph.heads, pending },
    deployChanges: target.deployChanges,
    releaseNotes: target.releaseNotes,
    operations,
    warnings,
    ...(crashLoopingTarget ? { crashLoopingTarget } : {}),
  };
}

/** The backend restarting over and over (or stopped after restarts) on the image the target runs it on. */
function crashLoopOnTarget(observed: ObservedState, target: TargetState): Plan['crashLoopingTarget'] | null {
  const backend = observed.roles.backend;
  const c = backend ? observed.services[backend]?.container : null;
  const ref = backend ? target.refs[backend] : undefined;
  if (!backend || !c || !ref) return null;
  return crashLooping(c) && target.images[ref]?.id === c.imageId ? { service: backend, image: ref, restarts: c.restartCount } : null;
}

/**
 * The backend first (it migrates; workers must not touch an unmigrated schema), then what users reach (the
 * frontend), then workers and the rest — each group in dependency order.
 */
function startOrder(project: ComposeProject, names: string[], backend: string | null, roles: Record<string, string>): string[] {
  const ordered = dependencyOrder(project, names).filter((n) => names.includes(n) && n !== backend);
  const rank = (n: string) => (roles[n] === 'frontend' ? 0 : 1);
  return [...(backend && names.includes(backend) ? [backend] : []), ...ordered.sort((a, b) => rank(a) - rank(b))];
}
