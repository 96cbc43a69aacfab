import { describe, expect, it } from 'vitest';
import { estimateDumpBytes, progressReporter, type ProgressReport } from './progress.js';

describe('progressReporter', () => {
  it('reports at most ten a second however often the dump moves, and always the last figure', () => {
    let clock = 0;
    const seen: ProgressReport[] = [];
    const p = progressReporter({ total: 500e6, emit: (r) => seen.push(r), now: () => clock });
    // 24,906 chunks over 20 s, as one 500 MB dump came off the Docker socket.
    for (let i = 1; i <= 24_906; i++) {
      clock = (i * 20_000) / 24_906;
      p.update(i * 20_000);
    }
    p.finish(24_906 * 20_000);
    expect(seen.length).toBeLessThanOrEqual(20 * 10 + 1);
    expect(seen.length).toBeGreaterThan(150);
    for (let i = 1; i < seen.length - 1; i++) expect(seen[i]!.bytes).toBeGreaterThan(seen[i - 1]!.bytes);
    expect(seen.at(-1)).toEqual({ bytes: 498_120_000, total: 500e6, etaSeconds: 0 });
  });

  it('estimates the time left from the rate so far, and never reports a total below what is done', () => {
    let clock = 0;
    const seen: ProgressReport[] = [];
    const p = progressReporter({ total: 100, emit: (r) => seen.push(r), now: () => clock });
    p.update(1); // at once: no rate yet
    clock = 10_000;
    p.update(25); // 2.4 a second since the first byte, 75 left
    clock = 60_000;
    p.update(150); // past the estimate
    expect(seen).toEqual([
      { bytes: 1, total: 100, etaSeconds: null },
      { bytes: 25, total: 100, etaSeconds: 31 },
      { bytes: 150, total: 150, etaSeconds: 0 },
    ]);
  });

  it('measures the rate from the first byte: a slow start does not make the estimate too long', () => {
    let clock = 0;
    const seen: ProgressReport[] = [];
    const p = progressReporter({ total: 100e6, emit: (r) => seen.push(r), now: () => clock });
    p.update(0);
    clock = 5_000; // five seconds before the dump's first byte
    p.update(1e6);
    clock = 6_000;
    p.update(11e6); // then 10 MB a second: 89 MB left is 9 s, not the 48 s the average since the start gives
    expect(seen.at(-1)).toEqual({ bytes: 11e6, total: 100e6, etaSeconds: 9 });
  });

  it('has no estimate without a total', () => {
    let clock = 0;
    const seen: ProgressReport[] = [];
    const p = progressReporter({ total: null, emit: (r) => seen.push(r), now: () => clock });
    clock = 5_000;
    p.update(10);
    expect(seen).toEqual([{ bytes: 10, total: null, etaSeconds: null }]);
  });

  it('estimates SQL bytes from the stored sizes', () => {
    expect(estimateDumpBytes([{ bytes: 600 }, { bytes: 400 }])).toBe(1600);
  });
});
