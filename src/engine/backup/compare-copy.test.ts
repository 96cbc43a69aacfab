import { describe, expect, it } from 'vitest';
import { foldSums } from './compare-copy.js';

describe('foldSums', () => {
  it('xors the chunk CRCs and adds the rows, as BIT_XOR over the whole table would', () => {
    // Rows with CRC32s 0xdeadbeef and 0x00000001 (xor 0xdeadbeee) in one chunk, 0xdeadbeee in the other: the table's BIT_XOR is 0.
    expect(foldSums([{ rows: 2, crc: 'deadbeee' }, { rows: 1, crc: 'deadbeee' }])).toEqual({ rows: 3, crc: '0' });
    expect(foldSums([{ rows: 1, crc: 'ffffffff' }, { rows: 0, crc: '0' }])).toEqual({ rows: 1, crc: 'ffffffff' });
    expect(foldSums([])).toEqual({ rows: 0, crc: '0' });
  });
});
