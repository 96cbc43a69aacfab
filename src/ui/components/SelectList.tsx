// A vertical list with a cursor (❯), for menus and pickers. The selection lives in the caller's state.
// Not @inkjs/ui's Select (which does take Down+Enter in one chunk right): its focus always starts on the first option, so going back could not land on the item left, and it reports a choice only when the value changes, so the same item could not be opened twice.
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
