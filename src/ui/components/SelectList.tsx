// A vertical list with a cursor (❯), for menus and pickers. The selection lives in the caller's state.
import { Box, Text } from 'ink';

export function SelectList({ items, selected }: { items: readonly string[]; selected: number }) {
  return (
    <Box flexDirection="column">
      {items.map((label, i) => (
        <Text key={i} color={i === selected ? 'cyan' : undefined} bold={i === selected} wrap="truncate-end">
          {`${i === selected ? '❯' : ' '} ${label}`}
        </Text>
      ))}
    </Box>
  );
}
