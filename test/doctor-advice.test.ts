// Issue 10, "doctor advice that cannot cost data": on a backend restart-looping on 1.2.0-broken (pulled by hand), the
// doctor decides what the failed revision left from the schema the image's own migrations define at the database's
// revision. display_devices.resolution_width, a column of the initial schema holding the seeded devices' data, is
// named as there before and never offered for removal; a revision that failed is not offered for stamping.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaReport } from '../src/engine/api.js';
import { alembicRevision, compose, dbQuery, docker, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { runGlowworm, type CliRun } from './support/run-glowworm.js';

async function restartCount(container: string): Promise<number> {
  return Number((await docker(['inspect', '--format', '{{.RestartCount}}', container])).stdout.trim());
}

describe('doctor verify-schema on a backend crash-looping in a half-applied migration', () => {
  const dir = tmpStackDir('doctor-advice');
  let stack: Stack;
  let run: CliRun;
  let report: SchemaReport;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `a${randomBytes(3).toString('hex')}-` });
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(glowworm\/backend:)1\.1\.0/g, '$11.2.0-broken'));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    for (let i = 0; i < 120 && (await restartCount(backend)) < 2; i++) await new Promise((r) => setTimeout(r, 500));
    run = await runGlowworm(['doctor', 'verify-schema', '--project-dir', dir, '--json']);
    report = JSON.parse(run.stdout) as SchemaReport;
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('the stack is in the issue\'s state: the database at 1.1.0\'s head, the failed revision\'s tables there, the column holding data', async () => {
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    const tables = await dbQuery<{ t: string }[]>(stack, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('device_daemon_status', 'device_commands')");
    expect(tables).toHaveLength(2);
    const widths = await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM display_devices WHERE resolution_width IS NOT NULL');
    expect(Number(widths[0]!.n)).toBeGreaterThan(0);
  });

  it('names the failed revision\'s leftovers, and the initial schema\'s column as there before it', () => {
    expect(run.code, run.stderr).toBe(3);
    expect(report.halfApplied).toMatchObject({ revision: '2024110900' });
    expect([...report.halfApplied!.present].sort()).toEqual(['table device_commands', 'table device_daemon_status']);
    expect(report.halfApplied!.preexisting).toContain('column display_devices.resolution_width');
  });

  it('never offers to remove display_devices.resolution_width, nor anything that was there before', () => {
    const h = report.halfApplied!;
    expect(h.present.join('\n')).not.toMatch(/resolution_width/);
    for (const option of h.options) {
      for (const old of h.preexisting) {
        const name = old.replace(/^\w+ /, '');
        if (option.includes(name)) expect(option, option).not.toMatch(/remove|drop/i);
      }
    }
    expect(h.options.join('\n')).toMatch(/remove only what 2024110900 left \((table device_daemon_status|table device_commands), (table device_daemon_status|table device_commands)\)/);
  });

  it('does not offer Stamp, and says why', () => {
    const h = report.halfApplied!;
    expect(h.options.join('\n')).not.toMatch(/stamp/i);
    expect(h.stamp).toMatchObject({ offered: false });
    expect(h.stamp!.reason).toMatch(/failed on what was there before it \(column display_devices\.resolution_width\)/);
  });
});
