// The integration lanes of vitest.config.ts: every integration file is in exactly one list (a file in none still
// runs, in lane a's catch-all, but is balanced by guesswork until it is placed), each has its measured seconds, and
// the two lanes stay about equally long — otherwise the suite waits on the longer one.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_LANES, INTEGRATION_SECONDS } from '../../vitest.config.js';

const TEST_DIR = new URL('..', import.meta.url).pathname;

/** What lane a's include (test/**\/*.test.ts, without test/rig/**\/*.unit.test.ts) picks up. */
function integrationFiles(dir = TEST_DIR, rel = 'test'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${rel}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : integrationFiles(`${dir}${entry.name}/`, path);
    return entry.name.endsWith('.test.ts') && !(path.startsWith('test/rig/') && entry.name.endsWith('.unit.test.ts')) ? [path] : [];
  });
}

const listed = Object.entries(INTEGRATION_LANES).flatMap(([lane, files]) => files.map((file) => ({ lane, file })));
const total = (files: string[]) => files.reduce((sum, file) => sum + (INTEGRATION_SECONDS[file] ?? 0), 0);

describe('the integration lanes', () => {
  it('finds the integration files (this check looks where lane a looks)', () => {
    expect(integrationFiles()).toContain('test/faults.test.ts');
    expect(integrationFiles()).not.toContain('test/rig/lanes.unit.test.ts');
  });

  it('list every integration file, none in two lists', () => {
    const lanesOf = (file: string) => listed.filter((l) => l.file === file).map((l) => l.lane);
    const misplaced = integrationFiles().map((file) => ({ file, lanes: lanesOf(file) })).filter((f) => f.lanes.length !== 1);
    expect(misplaced, 'each file in exactly one of INTEGRATION_LANES.a, .b, .alone (vitest.config.ts)').toEqual([]);
  });

  it('list no file that is not there', () => {
    const files = new Set(integrationFiles());
    expect(listed.filter((l) => !files.has(l.file))).toEqual([]);
  });

  it('have each file timed, and the two lanes within 10% of each other', () => {
    expect(listed.filter((l) => INTEGRATION_SECONDS[l.file] === undefined).map((l) => l.file)).toEqual([]);
    const [a, b] = [total(INTEGRATION_LANES.a), total(INTEGRATION_LANES.b)];
    expect(Math.abs(a - b) / Math.max(a, b), `lane a ${a} s, lane b ${b} s`).toBeLessThanOrEqual(0.1);
  });
});
