// Finding the project as docker compose does (issue 11), on a real rig stack: a typo'd directory creates nothing,
// -f from elsewhere names the project after the file's directory, an override that pins the backend image is refused
// before any container changes (naming the file), -p and COMPOSE_PROJECT_NAME find a stack by its compose labels,
// and a variable nothing sets is a warning in status and the plan.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../src/engine/api.js';
import { docker, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm } from './support/run-glowworm.js';

async function containerIds(names: string[]): Promise<string[]> {
  const r = await docker(['inspect', '--format', '{{.Id}} {{.Config.Image}} {{.State.Running}}', ...names]);
  return r.stdout.trim().split('\n');
}

describe('project resolution on a real stack', () => {
  const dir = tmpStackDir('projres');
  // A second directory holding a copy of the stack's files: another basename, so another default project name.
  const copy = tmpStackDir('projcopy');
  let stack: Stack;
  let names: string[];

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `pr${randomBytes(3).toString('hex')}-` });
    names = Object.values(stack.containers) as string[];
    for (const file of ['docker-compose.yml', '.env']) copyFileSync(join(dir, file), join(copy, file));
  }, 300_000);
  afterAll(async () => {
    rmSync(copy, { recursive: true, force: true });
    await stackDown(dir, stack?.prefix);
  });

  it('a --project-dir that does not exist is exit 2, says so, and is not created (nor .glowworm in it)', async () => {
    const typo = join(dir, 'typo');
    for (const command of [['status'], ['upgrade', '--to', '2.0.0', '--yes', '--json'], ['backup', '--yes'], ['doctor', 'status']]) {
      const run = await runGlowworm([...command, '--project-dir', typo]);
      expect(run.code, command.join(' ')).toBe(2);
      // With --json the refusal is NDJSON too, ending in run.finished (outcome usage); otherwise it is on stderr.
      const said = command.includes('--json') ? eventsOf(run, 'notice').map((n) => n.message).join('\n') : run.stderr;
      expect(said).toContain(`The project directory ${typo} does not exist.`);
      if (command.includes('--json')) expect(run.events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'usage' });
      expect(existsSync(typo)).toBe(false);
    }
    const missingFile = await runGlowworm(['upgrade', '--to', '2.0.0', '--yes', '-f', join(typo, 'docker-compose.yml')]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain(`Compose file not found: ${join(typo, 'docker-compose.yml')}.`);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(join(dir, '.glowworm'))).toBe(false);
  });

  it('-f DIR/docker-compose.yml run from / names the project after DIR and finds its containers', async () => {
    const run = await runGlowworm(['status', '-f', join(dir, 'docker-compose.yml'), '--json'], { cwd: '/' });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as StatusReport;
    expect(report.project).toMatchObject({ name: stack.project, dir, files: [join(dir, 'docker-compose.yml')] });
    expect(report.services.filter((s) => s.container).map((s) => s.container).sort()).toEqual([...names].sort());
    expect(report.database.reachable).toBe(true);
  });

  it('another app\'s compose file is exit 2, naming it as not GlowWorm', async () => {
    const other = join(copy, 'nginx');
    mkdirSync(other);
    writeFileSync(join(other, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx:1.27\n');
    const run = await runGlowworm(['upgrade', '--to', '2.0.0', '--yes', '--project-dir', other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no GlowWorm services: web (nginx:1.27)');
    expect(existsSync(join(other, '.glowworm'))).toBe(false);
  });

  it('-p and COMPOSE_PROJECT_NAME find the containers a stack was started with by their compose labels', async () => {
    const unnamed = JSON.parse((await runGlowworm(['status', '--project-dir', copy, '--json'])).stdout) as StatusReport;
    expect(unnamed.project.name).toBe(basename(copy));
    expect(unnamed.warnings.join('\n')).toContain(`started as compose project "${stack.project}", not "${basename(copy)}": pass -p ${stack.project}`);

    const byFlag = await runGlowworm(['status', '--project-dir', copy, '-p', stack.project, '--json']);
    const byEnv = await runGlowworm(['status', '--project-dir', copy, '--json'], { env: { COMPOSE_PROJECT_NAME: stack.project } });
    for (const run of [byFlag, byEnv]) {
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as StatusReport;
      expect(report.project).toMatchObject({ name: stack.project, dir: copy });
      expect(report.services.filter((s) => s.container).map((s) => s.container).sort()).toEqual([...names].sort());
      expect(report.warnings.join('\n')).not.toContain('started as compose project');
    }
  });

  it('a variable the compose file needs and nothing sets is a warning in status and in the plan, as compose words it', async () => {
    const env = join(copy, '.env');
    writeFileSync(env, readFileSync(env, 'utf8').replace(/^MYSQL_PASSWORD=.*\n/m, ''));
    const warning = `The "MYSQL_PASSWORD" variable is not set. Defaulting to a blank string (${join(copy, 'docker-compose.yml')} at services.`;
    const status = JSON.parse((await runGlowworm(['status', '--project-dir', copy, '-p', stack.project, '--json'])).stdout) as StatusReport;
    expect(status.warnings.join('\n')).toContain(warning);
    // No --yes and no terminal: the plan is shown, then the run stops at the question (exit 2) with nothing changed.
    const before = await containerIds(names);
    const plan = await runGlowworm(['upgrade', '--to', '2.0.0', '--project-dir', copy, '-p', stack.project, '--json']);
    expect(plan.code).toBe(2);
    expect(eventsOf(plan, 'plan.ready')[0]?.plan.warnings.join('\n')).toContain(warning);
    expect(await containerIds(names)).toEqual(before);
  }, 180_000);

  it('an override file that pins the backend image: upgrade --to refuses before any container changed, naming the file', async () => {
    const override = join(dir, 'docker-compose.override.yml');
    writeFileSync(override, `services:\n  glowworm-backend:\n    image: ${stack.images.backend}\n`);
    const compose = readFileSync(join(dir, 'docker-compose.yml'));
    const before = await containerIds(names);
    const run = await runGlowworm(['upgrade', '--to', '2.0.0', '--yes', '--json', '--project-dir', dir]);
    expect(run.code).toBe(2);
    const notice = eventsOf(run, 'notice').map((n) => n.message).join('\n');
    expect(notice).toContain(`The image of glowworm-backend (${stack.images.backend}) is set in ${override} (line 3)`);
    expect(notice).toContain(`Edit ${override}`);
    expect(notice).not.toMatch(/bug in glowworm/i);
    expect(eventsOf(run, 'plan.ready')).toEqual([]);
    expect(eventsOf(run, 'run.finished').at(-1)).toMatchObject({ outcome: 'usage' });
    expect(await containerIds(names)).toEqual(before);
    expect(readFileSync(join(dir, 'docker-compose.yml'))).toEqual(compose);
    const backups = join(dir, '.glowworm', 'backups');
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);
  }, 180_000);

  it('done as the refusal says (the override no longer sets the image), upgrade --to goes to the target; the override stays as it is', async () => {
    const override = join(dir, 'docker-compose.override.yml');
    writeFileSync(override, 'services:\n  glowworm-backend:\n    restart: always\n');
    const overrideBytes = readFileSync(override);
    const run = await runGlowworm(['upgrade', '--to', '2.0.0', '--yes', '--json', '--project-dir', dir]);
    expect(run.code, eventsOf(run, 'notice').map((n) => n.message).join('\n')).toBe(0);
    const plan = eventsOf(run, 'plan.ready')[0]!.plan;
    expect(plan.services.find((s) => s.service === 'glowworm-backend')).toMatchObject({ fromVersion: '1.1.0', toVersion: '2.0.0' });
    const images = await docker(['inspect', '--format', '{{.Config.Image}}', `${stack.prefix}glowworm-backend`, `${stack.prefix}glowworm-celery-worker`]);
    expect(images.stdout.trim().split('\n')).toEqual([stack.images.backend.replace(':1.1.0', ':2.0.0'), stack.images.backend.replace(':1.1.0', ':2.0.0')]);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain(stack.images.backend.replace(':1.1.0', ':2.0.0'));
    expect(readFileSync(override)).toEqual(overrideBytes);
  }, 300_000);
});
