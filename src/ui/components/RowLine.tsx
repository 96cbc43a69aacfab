// One row of a long screen. Colour is a bonus; the row's text already carries its marker (✔ ✘ !) for NO_COLOR.
import { Text } from 'ink';
import type { Row, Tone } from '../state/rows.js';

const STYLE: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  plain: {},
  heading: { bold: true },
  ok: { color: 'green' },
  error: { color: 'red', bold: true },
  warn: { color: 'yellow' },
  dim: { dimColor: true },
  added: { color: 'green' },
  removed: { color: 'red' },
  accent: { color: 'cyan' },
};

/** Cut at the edge by default: a scrolled window counts one row per line. */
export function RowLine({ row, wrap = false }: { row: Row; wrap?: boolean }) {
  return (
    <Text {...STYLE[row.tone]} wrap={wrap ? 'wrap' : 'truncate-end'}>
      {row.text || ' '}
    </Text>
  );
}
