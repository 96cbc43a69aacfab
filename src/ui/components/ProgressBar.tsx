// @inkjs/ui's bar at a fixed width, followed by its percentage. Ours only adds what it lacks: a width of its own (it
// fills its row) and the percentage, left out when the total is unknown rather than made up (the track stays empty).
import { ProgressBar as Bar } from '@inkjs/ui';
import { Box, Text } from 'ink';

export function ProgressBar({ fraction, width = 24 }: { fraction: number | null; width?: number }) {
  return (
    <Box flexShrink={0}>
      <Box width={width}>
        <Bar value={(fraction ?? 0) * 100} />
      </Box>
      {fraction === null ? null : <Text>{` ${String(Math.round(fraction * 100)).padStart(3)}%`}</Text>}
    </Box>
  );
}
