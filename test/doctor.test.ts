// The doctor's questions on the situation users actually land in: they pulled a release whose migration fails and ran
// `docker-compose up -d`; the backend restart-loops, the schema is half migrated. Real stack, real engine.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../src/engine/engine.js';
import type { ServiceLogLine } from '../src/engine/api.js';
import { docker, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { compose } from './rig/stack-up.js';

async function waitForRestarts(name: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const r = await docker(['inspect', '--format', '{{.RestartCount}}', name]);
    if (Number(r.stdout.trim()) >= 1) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`${name} never restarted`);
}

describe('doctor on a backend restart-looping after "just pull"', () => {
  const dir = tmpStackDir('doctor');
  let stack: Stack;
  const opts = () => ({ projectDir: dir });

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `d${randomBytes(3).toString('hex')}-` });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('backend:1.1.0', 'backend:1.2.0-broken'));
    await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend']);
    await waitForRestarts(`${stack.prefix}glowworm-backend`);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('status shows the crash loop and the revision the image wants', async () => {
    const s = await engine.status(opts());
    const backend = s.services.find((x) => x.service === 'glowworm-backend')!;
    expect(backend.restartCount).toBeGreaterThan(0);
    expect(backend.version).toBe('1.2.0-broken');
    expect(s.database).toMatchObject({ reachable: true, revisions: ['ce5826f818f3'] });
    expect(s.backendImage?.heads).toEqual(['2024110900']);
    expect(s.backendImage?.pending?.map((p) => p.id)).toEqual(['2024110900']);
  });

  it('runs `alembic current` in a throwaway container when the backend cannot be exec\'d into', async () => {
    const out = await engine.alembic(opts(), 'current');
    expect(out.ranIn).toBe('throwaway');
    expect(out.exitCode).toBe(0);
    expect(out.output).toContain('ce5826f818f3');
  });

  it('verify-schema finds the failed revision half applied and offers restore and fix forward, never stamp', async () => {
    const r = await engine.verifySchema(opts());
    expect(r.ok).toBe(false);
    expect(r.halfApplied).toMatchObject({ revision: '2024110900' });
    expect(r.halfApplied!.present).toEqual(expect.arrayContaining(['table device_daemon_status', 'table device_commands']));
    expect(r.halfApplied!.options.join('\n')).toMatch(/restore[\s\S]*Fix forward/i);
    // A revision that failed is never stamped: its data steps cannot be verified, and it collided with a column.
    expect(r.halfApplied!.options.join('\n')).not.toMatch(/alembic stamp/i);
    expect(r.missingTables).toEqual([]);
  });

  it('filters the logs to errors: the ❌ marker and the database error of each crash', async () => {
    const lines: ServiceLogLine[] = [];
    for await (const l of engine.logs(opts(), { filter: 'errors', follow: false, tail: 400 })) lines.push(l);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.level === 'error')).toBe(true);
    const text = lines.map((l) => l.text).join('\n');
    // Each restart fails again (the first on the duplicate column, later ones on the tables the first one left).
    expect(text).toMatch(/❌ Migration failed with return code 1/);
    expect(text).toMatch(/OperationalError: \(10(50|60), /);
    expect(text).not.toMatch(/Waiting for MySQL|Starting GlowWorm/);
  });
});
