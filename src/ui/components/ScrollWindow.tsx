// A window onto many rows (ink has no scrolling): the screen keeps the offset, this shows rows [offset, offset+height)
// and says how to see the rest.
import { Box, Text } from 'ink';
import { windowOf, type Row } from '../state/rows.js';
import { RowLine } from './RowLine.js';

export function ScrollWindow({ rows, height, offset }: { rows: readonly Row[]; height: number; offset: number }) {
  const { start, end } = windowOf(rows.length, height, offset);
  const scrolls = rows.length > height;
  return (
    <Box flexDirection="column">
      {rows.slice(start, end).map((r, i) => (
        <RowLine key={start + i} row={r} />
      ))}
      {scrolls ? (
        <Text dimColor>
          {`── lines ${start + 1}–${end} of ${rows.length}${end < rows.length ? ', more below' : ''} (↑/↓ PgUp/PgDn to scroll) ──`}
        </Text>
      ) : null}
    </Box>
  );
}
