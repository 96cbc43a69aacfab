import { describe, expect, it } from 'vitest';
import { catchUpSummary } from './catch-up-backup.js';

describe('catchUpSummary', () => {
  it('says nothing had changed when the first comparison found no difference', () => {
    expect(catchUpSummary({ chunksCopied: 0, tablesCopiedWhole: 0, comparisonsMs: [1234], finalComparison: 'none', after: { tables: 8 } }))
      .toBe('nothing had changed; equal to the database at the stop (8 tables compared in 1.2 s)');
  });

  it('counts what was copied again, and what the final comparison read', () => {
    expect(catchUpSummary({ chunksCopied: 3, tablesCopiedWhole: 1, comparisonsMs: [900, 46], finalComparison: 'copied-again', after: { tables: 8 } }))
      .toBe('3 chunks and 1 table copied again; equal to the database at the stop (8 tables compared in 0.9 s, what was copied again in 0.0 s)');
    expect(catchUpSummary({ chunksCopied: 3, tablesCopiedWhole: 0, comparisonsMs: [900, 880], finalComparison: 'every-table', after: { tables: 8 } }))
      .toBe('3 chunks and 0 tables copied again; equal to the database at the stop (8 tables compared in 0.9 s, and again in 0.9 s: something wrote to the database meanwhile)');
  });
});
