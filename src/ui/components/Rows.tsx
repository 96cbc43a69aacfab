// A short list of rows, all shown (for long ones use <ScrollWindow>).
import { Box } from 'ink';
import type { Row } from '../state/rows.js';
import { RowLine } from './RowLine.js';

export function Rows({ rows }: { rows: readonly Row[] }) {
  return (
    <Box flexDirection="column">
      {rows.map((r, i) => (
        <RowLine key={i} row={r} />
      ))}
    </Box>
  );
}
