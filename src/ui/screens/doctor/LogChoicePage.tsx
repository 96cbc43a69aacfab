// Which log lines to show.
import { Box, Text } from 'ink';
import { KeyHints } from '../../components/KeyHints.js';
import { SelectList } from '../../components/SelectList.js';
import { useKeys } from '../../hooks/use-keys.js';
import { LOG_CHOICES, doctorItem } from '../../state/doctor-items.js';

export function LogChoicePage({ selected, onUp, onDown, onOpen, onBack }: {
  selected: number; onUp: () => void; onDown: () => void; onOpen: () => void; onBack: () => void;
}) {
  useKeys({ up: onUp, down: onDown, enter: onOpen, escape: onBack, text: (c) => c === 'q' && onBack() });
  return (
    <Box flexDirection="column">
      <Text bold>Show logs</Text>
      <Text dimColor wrap="wrap">{doctorItem('logs').explains}</Text>
      <SelectList items={LOG_CHOICES.map((c) => c.label)} selected={selected} />
      <KeyHints hints={[['↑/↓', 'move'], ['enter', 'show'], ['esc/q', 'back']]} />
    </Box>
  );
}
