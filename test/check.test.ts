// `glowworm check` against the rig's registry, through its HTTP API: on a 1.0.0 stack whose images live in a
// namespace of this test's own, it lists 1.1.0 and 2.0.0 (newest first) and pulls nothing; after a new digest is
// pushed under the running tag it reports the moved tag. And `--to` a tag the registry lacks names the nearest ones
// it has, once, with "did you mean" for the same version spelled otherwise (issue 11).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/engine/api.js';
import { docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { newNamespace, nsRef, onEngine, pushAs, useNamespace } from './support/registry-namespace.js';
import { runGlowworm } from './support/run-glowworm.js';

const ns = newNamespace('check');
const dir = tmpStackDir('check');
let stack: Stack;

async function check(...args: string[]): Promise<{ code: number | null; report: CheckReport; stdout: string }> {
  const run = await runGlowworm(['check', '--project-dir', dir, '--json', ...args]);
  return { code: run.code, report: JSON.parse(run.stdout.trim()) as CheckReport, stdout: run.stdout };
}

async function containerIds(): Promise<string> {
  return (await docker(['ps', '-aq', '--no-trunc', '--filter', `name=^${stack.prefix}`])).stdout.split('\n').sort().join(' ');
}

beforeAll(async () => {
  stack = await stackUp({ version: '1.0.0', dir, prefix: `c${randomBytes(3).toString('hex')}-` });
  for (const kind of ['backend', 'frontend'] as const) {
    await pushAs(ns, kind, '1.0.0', '1.0.0', true); // the running version, which this host pulled
    for (const v of ['1.1.0', '2.0.0']) await pushAs(ns, kind, v, v);
  }
  useNamespace(dir, ns);
}, 240_000);
afterAll(async () => {
  await stackDown(dir, stack?.prefix);
  for (const kind of ['backend', 'frontend'] as const) {
    for (const v of ['1.0.0', '1.1.0', '2.0.0']) await docker(['image', 'rm', nsRef(ns, kind, v)]); // what --plan pulled too
  }
});

describe('glowworm check on a 1.0.0 stack', () => {
  it('lists 1.1.0 and 2.0.0 as newer releases, newest first, and exits 7 (update available)', async () => {
    const { code, report } = await check();
    expect(code).toBe(7);
    const backend = report.images.find((i) => i.image === nsRef(ns, 'backend', '1.0.0'))!;
    expect(backend.services.sort()).toEqual(['glowworm-backend', 'glowworm-celery-worker']);
    expect(backend).toMatchObject({ tag: '1.0.0', newer: ['2.0.0', '1.1.0'], tagMoved: false, error: null });
    expect(backend.runningDigests).toContain(backend.registryDigest);
    expect(report.images.find((i) => i.image === nsRef(ns, 'frontend', '1.0.0'))!.newer).toEqual(['2.0.0', '1.1.0']);
    expect(report).toMatchObject({ updateAvailable: true, upgradeTo: { toTag: '2.0.0', reason: 'newer-release' } });
  });

  it('pulled nothing: the newer images are not on the engine afterwards, and no container changed', async () => {
    const before = await containerIds();
    await check();
    for (const kind of ['backend', 'frontend'] as const) {
      for (const v of ['1.1.0', '2.0.0']) expect(await onEngine(nsRef(ns, kind, v)), nsRef(ns, kind, v)).toBe(false);
    }
    expect(await containerIds()).toBe(before);
  });

  it('a tag filter keeps only the line asked for; nothing newer on it is "up to date", exit 0', async () => {
    const { code, report } = await check('--tags', '^1\\.0\\.');
    expect(report.images.every((i) => i.newer.length === 0 && i.tagMoved === false)).toBe(true);
    expect(report.updateAvailable).toBe(false);
    expect(code).toBe(0);
  });

  it('reports the moved tag after a new digest is pushed under the running tag', async () => {
    await pushAs(ns, 'backend', '1.1.0', '1.0.0'); // upstream republishes :1.0.0; this host still runs the old one
    await docker(['tag', `127.0.0.1:5000/glowworm/backend:1.0.0`, nsRef(ns, 'backend', '1.0.0')]);
    const { code, report } = await check('--tags', '^1\\.0\\.');
    const backend = report.images.find((i) => i.image === nsRef(ns, 'backend', '1.0.0'))!;
    const newDigest = (await docker(['inspect', '--format', '{{join .RepoDigests " "}}', '127.0.0.1:5000/glowworm/backend:1.1.0'])).stdout;
    expect(backend.tagMoved).toBe(true);
    expect(newDigest).toContain(backend.registryDigest!);
    expect(backend.runningDigests).not.toContain(backend.registryDigest);
    expect(report.images.find((i) => i.image === nsRef(ns, 'frontend', '1.0.0'))!.tagMoved).toBe(false);
    expect(report.upgradeTo).toEqual({ toTag: null, reason: 'tag-moved' });
    expect(code).toBe(7);
    const plain = await runGlowworm(['check', '--project-dir', dir, '--tags', '^1\\.0\\.']);
    expect(plain.stdout).toContain('tag 1.0.0 moved');
    expect(plain.stdout).toContain('Update available: glowworm upgrade (pulls the moved tags)');
  });
});

describe('upgrade --to a tag the registry does not have (issue 11)', () => {
  it('names the nearest tags it has once, with a hint, exit 2, nothing changed', async () => {
    const before = { ids: await containerIds(), sums: await tableChecksums(stack) };
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '9.9.9', '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain(`The registry has no tag "9.9.9" for ${nsRef(ns, 'backend', '9.9.9').replace(/:9\.9\.9$/, '')}.`);
    expect(run.stdout.split('Nearest tags it has: 2.0.0, 1.1.0, 1.0.0;').length - 1).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('HTTP code 404');
    expect(await containerIds()).toBe(before.ids);
    expect(await tableChecksums(stack)).toEqual(before.sums);
  });

  it('--to v1.1.0 asks "did you mean 1.1.0"', async () => {
    const run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'v1.1.0', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stdout.split('Did you mean 1.1.0?').length - 1).toBe(1);
  });
});

describe('check --plan', () => {
  it('pulls the update and shows its plan, cancelled at the question: exit 7, no container touched', async () => {
    const before = await containerIds();
    const run = await runGlowworm(['check', '--project-dir', dir, '--plan']);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(7);
    expect(run.stdout).toContain('Update available: glowworm upgrade --to 2.0.0');
    expect(run.stdout).toMatch(/Upgrade .*: 1\.0\.0 -> 2\.0\.0/);
    expect(run.stdout).toContain('only planned and cancelled at its question');
    expect(await onEngine(nsRef(ns, 'backend', '2.0.0'))).toBe(true); // pulled to read its migrations
    expect(await containerIds()).toBe(before);
  });
});
