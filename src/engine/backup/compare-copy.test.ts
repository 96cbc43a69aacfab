import { describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { foldSums, inLanes, type Lane } from './compare-copy.js';

describe('foldSums', () => {
  it('xors the chunk CRCs and adds the rows, as BIT_XOR over the whole table would', () => {
    // Rows with CRC32s 0xdeadbeef and 0x00000001 (xor 0xdeadbeee) in one chunk, 0xdeadbeee in the other: the table's BIT_XOR is 0.
    expect(foldSums([{ rows: 2, crc: 'deadbeee' }, { rows: 1, crc: 'deadbeee' }])).toEqual({ rows: 3, crc: '0' });
    expect(foldSums([{ rows: 1, crc: 'ffffffff' }, { rows: 0, crc: '0' }])).toEqual({ rows: 1, crc: 'ffffffff' });
    expect(foldSums([])).toEqual({ rows: 0, crc: '0' });
  });
});

describe('inLanes', () => {
  const lane = () => ({ live: {} as Db, copy: {} as Db }) satisfies Lane;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers in the items\' order, each item once, one in flight per lane', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await inLanes([lane(), lane(), lane()], [5, 1, 4, 2, 3, 0], async (_l, n) => {
      most = Math.max(most, ++inFlight);
      await sleep(n * 3);
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(3);
  });

  it('after a failure, takes no further item, and throws only once the other lanes are idle', async () => {
    const started: number[] = [];
    let running = 0;
    const done = inLanes([lane(), lane()], [0, 1, 2, 3, 4, 5], async (_l, n) => {
      started.push(n);
      running++;
      try {
        await sleep(n === 0 ? 5 : 30);
        if (n === 0) throw new Error('the live server went away');
        return n;
      } finally {
        running--;
      }
    });
    await expect(done).rejects.toThrow('the live server went away');
    expect(running).toBe(0);
    expect(started).toEqual([0, 1]);
  });
});
