import { describe, expect, it } from 'vitest';
import { checksumExpression, chunkRowsFor, chunkWhere } from './chunk-checksum.js';

describe('chunk checksum SQL', () => {
  it('checksums every column and its NULL-ness, xor-folded, as pt-table-checksum does', () => {
    expect(checksumExpression(['id', 'na`me'])).toBe(
      "COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(CONCAT_WS('#', `id`, `na``me`, CONCAT(ISNULL(`id`), ISNULL(`na``me`)))) AS UNSIGNED)), 10, 16)), '0')",
    );
  });

  it('bounds a chunk by its key, lower inclusive and upper exclusive, escaping the values', () => {
    expect(chunkWhere(['id'], { lower: null, upper: null })).toBe('1=1');
    expect(chunkWhere(['id'], { lower: null, upper: ['100'] })).toBe("`id` < '100'");
    expect(chunkWhere(['id'], { lower: ['100'], upper: ['200'] })).toBe("`id` >= '100' AND `id` < '200'");
    expect(chunkWhere(['a', 'b'], { lower: [1, "x'y"], upper: null })).toBe("(`a`, `b`) >= (1, 'x\\'y')");
  });

  it('sizes chunks by the average row length, within bounds', () => {
    expect(chunkRowsFor({ avgRowBytes: 0 })).toBe(10_000);
    expect(chunkRowsFor({ avgRowBytes: 65_536 }, 8 << 20)).toBe(128);
    expect(chunkRowsFor({ avgRowBytes: 1_000_000 }, 8 << 20)).toBe(100);
    expect(chunkRowsFor({ avgRowBytes: 10 }, 8 << 20)).toBe(100_000);
  });
});
