// The seed's own situation (issue 10): the user pulled a release whose migration fails and `docker compose up -d`'d
// it; the backend restart-loops. An upgrade to that very image would fail the same way: the plan says so, and --yes
// alone does not confirm it (--force does).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

async function restartCount(container: string): Promise<number> {
  return Number((await docker(['inspect', '--format', '{{.RestartCount}}', container])).stdout.trim());
}

describe('a backend crash-looping on a release pulled by hand', () => {
  const dir = tmpStackDir('crash-loop');
  let stack: Stack;
  let refused: CliRun;
  let checksums: Record<string, string>;
  let composeBefore: string;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `c${randomBytes(3).toString('hex')}-` });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm\/backend:)1\.1\.0/g, '$11.2.0-broken'));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    for (let i = 0; i < 120 && (await restartCount(backend)) < 2; i++) await new Promise((r) => setTimeout(r, 500));
    checksums = await tableChecksums(stack);
    composeBefore = readFileSync(file, 'utf8');
    refused = await runGlowworm(['upgrade', '--project-dir', dir, '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('warns in the plan that the target is the image it already crash-loops on', () => {
    const plan = eventsOf(refused, 'plan.ready')[0]!.plan;
    expect(plan.crashLoopingTarget).toMatchObject({ service: 'glowworm-backend', image: '127.0.0.1:5000/glowworm/backend:1.2.0-broken' });
    expect(plan.warnings.join('\n')).toMatch(/already crash-loops here on .*backend:1\.2\.0-broken/);
  });

  it('refuses --yes without --force, naming both ways on, with nothing changed', async () => {
    expect(refused.code).toBe(2);
    const failed = eventsOf(refused, 'upgrade.failed')[0]!;
    expect(failed.error.code).toBe('upgrade.crash-looping-target');
    expect(failed.error.hint).toContain('--force');
    expect(failed.state).toBe('Nothing was changed: the running version is as it was.');
    expect(eventsOf(refused, 'step.started').some((s) => /^\d+-/.test(s.step))).toBe(false);
    expect(await tableChecksums(stack)).toEqual(checksums);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(composeBefore);
  });
});
