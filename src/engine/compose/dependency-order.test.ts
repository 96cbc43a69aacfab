import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyOrder, reverseDependencyOrder, stopWaves } from './dependency-order.js';
import { writeTempProject } from './fixtures/temp-project.js';
import { loadProject } from './load-project.js';

const glowworm = () => loadProject({ projectDir: resolve(import.meta.dirname, 'fixtures/glowworm'), env: {} });
const project = (services: string) => loadProject({ projectDir: writeTempProject({ 'compose.yaml': `services:\n${services}` }), env: {} });

describe('dependencyOrder', () => {
  it('starts GlowWorm dependencies first, ties broken by name', async () => {
    expect(dependencyOrder(await glowworm())).toEqual([
      'glowworm-mysql',
      'glowworm-redis',
      'glowworm-backend',
      'glowworm-celery-worker',
      'glowworm-frontend',
    ]);
  });

  it('stops in the reverse order', async () => {
    expect(reverseDependencyOrder(await glowworm())).toEqual([
      'glowworm-frontend',
      'glowworm-celery-worker',
      'glowworm-backend',
      'glowworm-redis',
      'glowworm-mysql',
    ]);
  });

  it('is stable: independent services come in name order whatever the file order', async () => {
    const p = await project('  zeta: {image: a}\n  alpha: {image: a}\n  mid: {image: a, depends_on: [zeta]}\n');
    expect(dependencyOrder(p)).toEqual(['alpha', 'zeta', 'mid']);
  });

  it('orders a subset by dependencies through services left out, or adds them on request', async () => {
    const p = await glowworm();
    expect(dependencyOrder(p, ['glowworm-frontend', 'glowworm-mysql'])).toEqual(['glowworm-mysql', 'glowworm-frontend']);
    expect(dependencyOrder(p, ['glowworm-backend'], { withDependencies: true })).toEqual([
      'glowworm-mysql',
      'glowworm-redis',
      'glowworm-backend',
    ]);
    expect(reverseDependencyOrder(p, ['glowworm-mysql', 'glowworm-celery-worker'])).toEqual([
      'glowworm-celery-worker',
      'glowworm-mysql',
    ]);
  });

  it('stops in waves: dependents first, together when nothing orders them, also through services left out', async () => {
    const p = await project(
      '  db: {image: x}\n  api: {image: x, depends_on: [db]}\n  web: {image: x, depends_on: [api]}\n  worker: {image: x, depends_on: [db]}\n',
    );
    expect(stopWaves(p, ['api', 'db', 'web', 'worker'])).toEqual([['worker', 'web'], ['api'], ['db']]);
    expect(stopWaves(p, ['db', 'web'])).toEqual([['web'], ['db']]); // web depends on db through api
    expect(stopWaves(p, [])).toEqual([]);
  });

  it('counts links and volumes_from as dependencies', async () => {
    const p = await project('  a: {image: x, links: ["c:alias"]}\n  b: {image: x, volumes_from: ["a:ro"]}\n  c: {image: x}\n');
    expect(dependencyOrder(p)).toEqual(['c', 'a', 'b']);
  });

  it('names the cycle', async () => {
    const p = await project(
      '  web: {image: x, depends_on: [api]}\n  api: {image: x, depends_on: [worker]}\n  worker: {image: x, depends_on: [web]}\n  db: {image: x}\n',
    );
    expect(() => dependencyOrder(p)).toThrow('Services depend on each other in a cycle: api -> worker -> web -> api.');
  });

  it('names a cycle reached through a service that is not on it', async () => {
    const p = await project('  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [b]}\n');
    expect(() => dependencyOrder(p)).toThrow('Services depend on each other in a cycle: b -> c -> b.');
  });

  it('rejects unknown service names', async () => {
    expect(() => dependencyOrder(Object.assign(Object.create(null), { services: {} }), ['nope'])).toThrow(
      'No service "nope" in the compose project',
    );
  });
});
