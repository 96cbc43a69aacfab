// A short list of rows, all shown (for long ones use <ScrollWindow>).
import { Box } from 'ink';
import type { Row } from '../state/rows.js';
import { RowLine } from './RowLine.js';

/** `wrap`: long rows wrap instead of being cut (what the user must read whole, as a half-applied revision's options). */
export function Rows({ rows, wrap = false }: { rows: readonly Row[]; wrap?: boolean }) {
  return (
    <Box flexDirection="column">
      {rows.map((r, i) => (
        <RowLine key={i} row={r} wrap={wrap} />
      ))}
    </Box>
  );
}
