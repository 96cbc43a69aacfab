// The planner is pure: observed + target in, a Plan out, compared as text. The compose project is the compose
// module's GlowWorm-shaped fixture, loaded for real; containers and images are plain data (no Docker needed).
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadProject, serviceRoles, type ComposeProject } from '../compose/index.js';
import { buildGraph } from '../alembic/graph.js';
import { fixtureReleases } from '../alembic/glowworm-revisions.fixture.js';
import type { ContainerDetails, ImageDetails } from '../docker/port.js';
import type { ObservedState } from './observed-state.js';
import { planToText } from './plan.js';
import { reconcile, type TargetState } from './reconcile.js';
import { changedDefinitions } from './definition-changes.js';
import { operationTarget } from './operation.js';

const FIXTURE = fileURLToPath(new URL('../compose/fixtures/glowworm', import.meta.url));

function container(name: string, image: string, imageId: string, running = true): ContainerDetails {
  return {
    id: `${name}-id`, name, image, imageId, status: running ? 'running' : 'exited', running, restarting: false, exitCode: 0,
    health: null, restartCount: 0, startedAt: '', env: [], labels: {}, networks: [],
    raw: { Id: `${name}-id`, Name: `/${name}`, Image: imageId, Config: { Image: image }, HostConfig: {}, NetworkSettings: {}, State: {} },
  };
}

function image(id: string, version?: string): ImageDetails {
  return { id, repoTags: [], repoDigests: [], labels: version ? { 'org.opencontainers.image.version': version } : {}, config: {} };
}

let project: ComposeProject;

function observed(revisions: string[], backendImageId = 'sha256:old-backend'): ObservedState {
  const roles = serviceRoles(project);
  const ids: Record<string, string> = {
    'glowworm-backend': backendImageId, 'glowworm-celery-worker': backendImageId, 'glowworm-frontend': 'sha256:frontend',
    'glowworm-mysql': 'sha256:mysql', 'glowworm-redis': 'sha256:redis',
  };
  const services: ObservedState['services'] = {};
  for (const [name, compose] of Object.entries(project.services)) {
    services[name] = {
      name, role: roles.roles[name] ?? 'other', compose, containerName: compose.containerName!,
      container: container(compose.containerName!, compose.image!, ids[name]!), image: image(ids[name]!, name.includes('backend') || name.includes('worker') ? '1.0.0' : undefined),
    };
  }
  return {
    project, roles, services, orphans: [], warnings: [], fromVersion: '1.0.0',
    db: { creds: { user: 'root', password: 'x', database: 'glowworm', host: '172.18.0.2', port: 3306 }, revisions, tables: [], notInnodb: [] },
  };
}

function target(backendImageId: string): TargetState {
  const backend = 'nickstephens/glowworm-backend:test';
  const frontend = 'nickstephens/glowworm-frontend:test';
  return {
    project,
    refs: { 'glowworm-backend': backend, 'glowworm-celery-worker': backend, 'glowworm-frontend': frontend },
    images: { [backend]: image(backendImageId, '1.1.0'), [frontend]: image('sha256:frontend') },
    pulled: [{ ref: backend, digest: 'sha256:1a2711eb91f2aa' }, { ref: frontend, digest: 'sha256:8d2788e00f39bb' }],
    graph: buildGraph(fixtureReleases['1.1.0']),
    releaseNotes: {
      from: '1.0.0', to: '1.1.0', missing: undefined,
      breaking: [{ section: 'Deployment changes', scope: null, subject: 'compose change', hash: null, breaking: true, breakingReason: 'needs a deployment migration' }],
      entries: [
        { section: 'Deployment changes', scope: null, subject: 'compose change', hash: null, breaking: true, breakingReason: 'needs a deployment migration' },
        { section: 'Features', scope: 'playlists', subject: 'variants per resolution', hash: 'abc1234', breaking: false },
      ],
    },
    deployChanges: [],
    definitionChanges: {},
    alembicIni: '/app/alembic.ini',
    effects: new Map(),
  };
}

/**
 * The late-October shape observed, the November file as the target (as the preflight loads it: the edited file, read
 * in the user's project directory under its name). `dataMount`: what the database container runs on at its datadir.
 */
async function octoberToNovember(opts: { dataMount?: { Type: string; Source?: string; Name?: string }; mysqlImageId?: string } = {}) {
  const oct = fileURLToPath(new URL('../compose/fixtures/glowworm-2025-10', import.meta.url));
  const nov = fileURLToPath(new URL('../compose/fixtures/glowworm-2025-11/docker-compose.yml', import.meta.url));
  const before = await loadProject({ projectDir: oct, env: {} });
  const after = await loadProject({ projectDir: oct, files: [nov], projectName: before.name, env: {} });
  const roles = serviceRoles(before);
  const ids: Record<string, string> = { 'glowworm-backend': 'sha256:oct-backend', 'glowworm-frontend': 'sha256:oct-frontend', 'glowworm-mysql': 'sha256:mysql' };
  const services: ObservedState['services'] = {};
  for (const [name, compose] of Object.entries(before.services)) {
    services[name] = { name, role: roles.roles[name]!, compose, containerName: name, container: container(name, compose.image!, ids[name]!), image: image(ids[name]!) };
  }
  // The October database runs on its bind mount, as the file says (the target file keeps it: migration 007).
  const mount = { Destination: '/var/lib/mysql', ...(opts.dataMount ?? { Type: 'bind', Source: join(oct, 'data', 'mysql') }) };
  const db = services['glowworm-mysql']!.container!;
  db.raw = { ...db.raw, Mounts: [mount] } as never;
  const seen: ObservedState = { project: before, roles, services, orphans: [], warnings: [], fromVersion: 'latest',
    db: { creds: { user: 'root', password: 'x', database: 'glowworm', host: '172.18.0.2', port: 3306 }, revisions: ['ce5826f818f3'], tables: [], notInnodb: [] } };
  const backend = 'nickstephens/glowworm-backend:test';
  const frontend = 'nickstephens/glowworm-frontend:test';
  return reconcile(seen, {
    ...target('sha256:nov-backend'),
    project: after,
    refs: { 'glowworm-backend': backend, 'glowworm-celery-worker': backend, 'glowworm-frontend': frontend, 'glowworm-redis': 'redis:7-alpine', 'glowworm-mysql': 'mysql:8.0' },
    images: {
      [backend]: image('sha256:nov-backend'), [frontend]: image('sha256:nov-frontend'), 'redis:7-alpine': image('sha256:redis'),
      'mysql:8.0': image(opts.mysqlImageId ?? 'sha256:mysql'),
    },
    definitionChanges: changedDefinitions(before, after),
  }, { backup: true });
}

beforeAll(async () => {
  project = await loadProject({ projectDir: FIXTURE, env: {} });
});

describe('reconcile', () => {
  it('plans the backend and worker recreate, the frontend restart, the merge graph in Alembic order', () => {
    const plan = reconcile(observed(['a1b2c3d4e5f6']), target('sha256:new-backend'), { backup: true });
    expect(planToText(plan)).toBe(`Upgrade ${project.name} (${FIXTURE}): 1.0.0 -> 1.1.0
Services:
  recreate glowworm-backend nickstephens/glowworm-backend:test -> nickstephens/glowworm-backend:test
  recreate glowworm-celery-worker nickstephens/glowworm-backend:test -> nickstephens/glowworm-backend:test
  keep     glowworm-frontend nickstephens/glowworm-frontend:test -> nickstephens/glowworm-frontend:test
Images to pull:
  nickstephens/glowworm-backend:test (digest sha256:1a2711eb91f2)
  nickstephens/glowworm-frontend:test (digest sha256:8d2788e00f39)
Database: a1b2c3d4e5f6 -> ce5826f818f3
  1c0cd51f0957: add scheduled playlists table
  c2d3e4f5g6h7: create user logs table
  366388fee193 (merge): merge display mode and system settings
  ce5826f818f3: add playlist variants for resolution
Release notes (1.0.0 -> 1.1.0):
  BREAKING compose change (needs a deployment migration)
  Features: playlists: variants per resolution
Deployment changes:
  none
Operations:
   1. prepare glowworm-backend,glowworm-celery-worker (create the new containers before the downtime starts)
   2. backup glowworm (the way back if anything fails, dumped while the old version serves)
   3. verify-backup glowworm (restore it into a throwaway database and compare checksums)
   4. stop glowworm-frontend,glowworm-celery-worker,glowworm-backend (stop writers before the changes are copied (the downtime starts))
   5. catch-up glowworm (copy what changed since into the backup and its verified copy, and prove the copy equal to the database)
   6. recreate glowworm-backend (new image nickstephens/glowworm-backend:test)
   7. start glowworm-backend (start the new version)
   8. start glowworm-frontend (restart after the backup)
   9. wait-migrations glowworm-backend (4 pending migrations)
  10. recreate glowworm-celery-worker (new image nickstephens/glowworm-backend:test)
  11. start glowworm-celery-worker (start the new version)
  12. verify ${project.name} (health, Alembic head, schema, settings API)
  13. commit ${project.name} (remove the old containers kept for rollback)`);
  });

  it('plans nothing when the images are the running ones and the database is at head', () => {
    const plan = reconcile(observed(['ce5826f818f3'], 'sha256:same'), target('sha256:same'), { backup: true });
    expect(plan.operations).toEqual([]);
    expect(plan.services.every((s) => s.action === 'keep')).toBe(true);
  });

  it('still migrates when only the database is behind (an image pulled earlier, a migration never run)', () => {
    const plan = reconcile(observed(['c2d3e4f5g6h7'], 'sha256:same'), target('sha256:same'), { backup: true });
    expect(plan.migrations.pending.map((r) => r.id)).toEqual(['1c0cd51f0957', '366388fee193', 'ce5826f818f3']);
    expect(plan.operations.map((o) => o.kind)).toContain('wait-migrations');
    expect(plan.operations.map((o) => o.kind)).not.toContain('recreate');
  });

  it('a table that is not InnoDB moves the whole backup into the downtime, with a warning naming it', () => {
    const seen = observed(['a1b2c3d4e5f6']);
    seen.db!.notInnodb = [{ table: 'legacy_stats', engine: 'MyISAM' }];
    const plan = reconcile(seen, target('sha256:new'), { backup: true });
    const kinds = plan.operations.map((o) => o.kind);
    expect(kinds.slice(kinds.indexOf('stop'), kinds.indexOf('stop') + 3)).toEqual(['stop', 'backup', 'verify-backup']);
    expect(kinds).not.toContain('catch-up');
    expect(plan.operations.find((o) => o.kind === 'backup')).toMatchObject({ online: false });
    expect(plan.warnings.join('\n')).toContain('Not InnoDB: legacy_stats (MyISAM)');
  });

  it('rehearses before the stop on a copy of its own when asked, and warns when there is no backup at all', () => {
    const rehearsed = reconcile(observed(['a1b2c3d4e5f6']), target('sha256:new'), { backup: true, rehearse: true });
    const types = rehearsed.operations.map((o) => o.kind);
    // After an online backup it rehearses on a copy of its own before the stop: nothing of it in the downtime.
    expect(types.slice(0, types.indexOf('stop'))).toEqual(['prepare', 'backup', 'verify-backup', 'rehearse']);
    expect(rehearsed.operations.find((o) => o.kind === 'rehearse')).toMatchObject({ ownCopy: true });
    const offline = observed(['a1b2c3d4e5f6']);
    offline.db!.notInnodb = [{ table: 'legacy_stats', engine: 'MyISAM' }];
    const inDowntime = reconcile(offline, target('sha256:new'), { backup: true, rehearse: true }).operations;
    expect(inDowntime.map((o) => o.kind).indexOf('rehearse')).toBe(inDowntime.map((o) => o.kind).indexOf('verify-backup') + 1);
    expect(inDowntime.find((o) => o.kind === 'rehearse')).toMatchObject({ ownCopy: false });
    const bare = reconcile(observed(['a1b2c3d4e5f6']), target('sha256:new'), { backup: false });
    expect(bare.operations.map((o) => o.kind)).not.toContain('backup');
    expect(bare.warnings.join('\n')).toContain('--no-backup');
  });

  it('from the October shape: Redis is created first and waited for, changed services come from the file, new ones are created', async () => {
    const plan = await octoberToNovember();
    const text = planToText(plan);
    expect(text).toContain('recreate glowworm-backend nickstephens/glowworm-backend:latest -> nickstephens/glowworm-backend:test (from the compose file: environment, ports)');
    expect(text).toContain('recreate glowworm-frontend nickstephens/glowworm-frontend:latest -> nickstephens/glowworm-frontend:test (from the compose file: environment)');
    expect(text).toContain('create   glowworm-redis - -> redis:7-alpine');
    expect(text).toContain('create   glowworm-celery-worker - -> nickstephens/glowworm-backend:test');
    // The init.sql mount goes: the database server is recreated from the file too, on the same image and data.
    expect(text).toContain('recreate glowworm-mysql mysql:8.0 -> mysql:8.0 (from the compose file: volumes)');
    expect(plan.warnings.join('\n')).not.toMatch(/glowworm-mysql/);
    expect(text).toMatch(/^ +\d+\. recreate-database glowworm-mysql \(the compose file changes the database server: volumes\)$/m);
    const ops = plan.operations.map((o) => `${o.kind} ${operationTarget(o)}`);
    // Redis is new: it starts and turns healthy while the old version still serves.
    expect(ops.slice(0, 5)).toEqual([
      'prepare glowworm-backend,glowworm-celery-worker,glowworm-frontend,glowworm-redis,glowworm-mysql',
      'recreate glowworm-redis', 'start glowworm-redis', 'wait-healthy glowworm-redis',
      'backup glowworm',
    ]);
    // Inside the downtime: after the backup is brought to the stop, before the backend starts and migrates.
    expect(ops.slice(ops.indexOf('backup glowworm'))).toEqual([
      'backup glowworm', 'verify-backup glowworm', 'stop glowworm-frontend,glowworm-backend', 'catch-up glowworm', 'recreate-database glowworm-mysql',
      'recreate glowworm-backend', 'start glowworm-backend',
      'recreate glowworm-frontend', 'start glowworm-frontend',
      'wait-migrations glowworm-backend',
      'recreate glowworm-celery-worker', 'start glowworm-celery-worker',
      'verify glowworm-2025-10', 'commit glowworm-2025-10',
    ]);
    expect(plan.services.find((s) => s.service === 'glowworm-backend')).toMatchObject({ config: 'compose', changedFields: ['environment', 'ports'] });
  });

  it('leaves the database server as it runs, and says why, when the file would start it on other data', async () => {
    const plan = await octoberToNovember({ dataMount: { Type: 'volume', Name: 'glowworm_mysql_data' } });
    expect(plan.operations.map((o) => o.kind)).not.toContain('recreate-database');
    expect(plan.services.map((s) => s.service)).not.toContain('glowworm-mysql');
    expect(plan.warnings.join('\n')).toMatch(/changes glowworm-mysql \(volumes\) but mounts bind \S+\/data\/mysql at \/var\/lib\/mysql, where the running server has volume glowworm_mysql_data: .*would start without its data/);
  });

  it('recreates the database server when its tag now names another image, and warns the old server may not read the data back', async () => {
    const plan = await octoberToNovember({ mysqlImageId: 'sha256:mysql-newer' });
    expect(planToText(plan)).toContain('recreate glowworm-mysql mysql:8.0 -> mysql:8.0 (from the compose file: volumes, image)');
    expect(plan.warnings.join('\n')).toMatch(/database server's image changes .* the way back is the verified backup/);
  });

  it('warns when the target is the image the backend already crash-loops on (pulled and started by hand)', () => {
    const seen = observed(['ce5826f818f3'], 'sha256:broken');
    const backend = seen.services['glowworm-backend']!;
    backend.container = { ...backend.container!, restarting: true, running: false, restartCount: 5, startedAt: new Date().toISOString() };
    const plan = reconcile(seen, target('sha256:broken'), { backup: true });
    expect(plan.crashLoopingTarget).toEqual({ service: 'glowworm-backend', image: 'nickstephens/glowworm-backend:test', restarts: 5 });
    expect(plan.warnings.join('\n')).toMatch(/already crash-loops here/);
    // Another image (a release that fixes it): no warning.
    expect(reconcile(seen, target('sha256:fixed'), { backup: true }).crashLoopingTarget).toBeUndefined();
  });

  it('refuses a database newer than the image (rolling the image back alone cannot work)', () => {
    expect(() => reconcile(observed(['2024110901']), target('sha256:new'), { backup: true })).toThrow(/does not know|newer/i);
  });
});
