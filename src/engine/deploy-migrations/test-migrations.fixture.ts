// TEST FIXTURE ONLY — not shipped, never loaded by glowworm. Two fictional deployment migrations (the ones the runner
// was first built with, before migrations/ held GlowWorm's real changes), rewritten for the facts API, so the runner's
// mechanics (journal, originals, diffs, secrets, down, crashes) are tested on migrations that a test controls:
// - TEST_SIGNING_KEY generates a secret into `.env` and hands it to every service on the backend's image; needed when
//   the target backend has SIGNING_MODULE and `.env` has no DISPLAY_SIGNING_KEY yet (a fact AND the files);
// - TEST_SCHEDULER adds a `glowworm-scheduler` service; needed when the target backend has SCHEDULER_MODULE (the fact
//   only: once applied, only the journal keeps it from being proposed again).
import { imageRepository } from './compose-edit.js';
import { sharedBackendEnvironment, inBackendForm } from './backend-environment.js';
import { containerNamePrefix, findBackendService } from './glowworm-services.js';
import type { DeployMigration, DeployMigrationContext, DeploymentFacts } from './types.js';

export const SIGNING_MODULE = '/app/display_signing.py';
export const SCHEDULER_MODULE = '/app/scheduler.py';

const KEY = 'DISPLAY_SIGNING_KEY';
const SCHEDULER = 'glowworm-scheduler';

/** The backend, then every other service running the backend's image repository. */
function servicesRunningTheBackend(ctx: DeployMigrationContext): string[] {
  const backend = findBackendService(ctx.compose);
  const image = ctx.compose.service(backend)['image'];
  const others = ctx.compose.serviceNames().filter((name) => {
    const other = ctx.compose.service(name)['image'];
    return name !== backend && typeof image === 'string' && typeof other === 'string' && imageRepository(other) === imageRepository(image);
  });
  return [backend, ...others];
}

export const TEST_SIGNING_KEY: DeployMigration = {
  name: '001-test-display-signing-key',
  description: 'Add DISPLAY_SIGNING_KEY (a generated secret) to .env and pass it to the backend and its workers',
  imageFiles: [SIGNING_MODULE],
  needed: (ctx) => ctx.targetHas(SIGNING_MODULE) && !ctx.env.has(KEY),
  up(ctx) {
    ctx.env.add(KEY, ctx.generateSecret(), { addedBy: ctx.name });
    for (const service of servicesRunningTheBackend(ctx)) {
      if (ctx.compose.hasServiceEnv(service, KEY)) ctx.note(`The service ${service} already sets ${KEY}; it is kept as it is.`);
      else ctx.compose.setServiceEnv(service, KEY, `\${${KEY}}`, { addedBy: ctx.name });
    }
  },
  down(ctx) {
    for (const service of servicesRunningTheBackend(ctx)) {
      if (ctx.compose.isAddedBy(ctx.name, service, KEY)) ctx.compose.removeServiceEnv(service, KEY);
    }
    if (ctx.env.isAddedBy(KEY, ctx.name)) ctx.env.remove(KEY);
  },
};

export const TEST_SCHEDULER: DeployMigration = {
  name: '002-test-scheduler-service',
  description: `Add the ${SCHEDULER} service (celery beat, from the backend image)`,
  imageFiles: [SCHEDULER_MODULE],
  needed: (ctx) => ctx.targetHas(SCHEDULER_MODULE),
  up(ctx) {
    if (ctx.compose.hasService(SCHEDULER)) {
      ctx.note(`The compose file already has a ${SCHEDULER} service; it is kept as it is.`);
      return;
    }
    const backend = findBackendService(ctx.compose);
    const env = sharedBackendEnvironment(ctx, backend, /^(MYSQL_.+|REDIS_URL|SECRET_KEY|DISPLAY_SIGNING_KEY|LOG_LEVEL)$/, SCHEDULER);
    ctx.compose.addService(SCHEDULER, {
      image: ctx.compose.service(backend)['image'],
      container_name: `${containerNamePrefix(ctx.compose, backend) ?? ''}${SCHEDULER}`,
      command: 'celery -A celery_app beat --loglevel=info',
      environment: inBackendForm(ctx, backend, env),
    }, { addedBy: ctx.name, after: backend });
  },
  down(ctx) {
    if (!ctx.compose.hasService(SCHEDULER)) return;
    if (ctx.compose.isAddedBy(ctx.name, SCHEDULER)) ctx.compose.removeService(SCHEDULER);
    else ctx.note(`${SCHEDULER} was not added by this migration (no "added by" comment); it is left in place.`);
  },
};

export const TEST_MIGRATIONS: DeployMigration[] = [TEST_SIGNING_KEY, TEST_SCHEDULER];
export const TEST_MIGRATION_NAMES = TEST_MIGRATIONS.map((m) => m.name);

/** Facts about a target release for the test migrations: which of their two modules its backend image has. */
export function testFacts(target: { signing?: boolean; scheduler?: boolean } = { signing: true, scheduler: true }): DeploymentFacts {
  return {
    targetBackendFiles: { [SIGNING_MODULE]: target.signing === true, [SCHEDULER_MODULE]: target.scheduler === true },
    targetRevisions: [],
    running: {},
    project: { dir: '.', name: 'glowworm' },
  };
}
