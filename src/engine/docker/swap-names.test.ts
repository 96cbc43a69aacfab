import { describe, expect, it } from 'vitest';
import { realName, swapNames, swapRank } from './swap-names.js';

describe('swap names', () => {
  const run = '20261202-161726-78ec';
  it('sees through both temporary names to the real one, and leaves every other name alone', () => {
    const { temp, aside } = swapNames('se1-glowworm-frontend', run);
    expect([realName(temp), realName(aside)]).toEqual(['se1-glowworm-frontend', 'se1-glowworm-frontend']);
    for (const name of ['se1-glowworm-frontend', 'glowworm-glowworm-new-1', 'x-glowworm-old-latest']) expect(realName(name)).toBe(name);
    expect([swapRank('se1-glowworm-frontend'), swapRank(aside), swapRank(temp)]).toEqual([0, 1, 2]);
  });
});
