// The doctor's menu, with what the selected item will do.
import { Box, Text } from 'ink';
import { KeyHints } from '../../components/KeyHints.js';
import { SelectList } from '../../components/SelectList.js';
import { useKeys } from '../../hooks/use-keys.js';
import { DOCTOR_ITEMS } from '../../state/doctor-items.js';

export function DoctorMenu({ selected, projectDir, onUp, onDown, onOpen, onLeave }: {
  selected: number; projectDir: string; onUp: () => void; onDown: () => void; onOpen: () => void; onLeave: () => void;
}) {
  useKeys({ up: onUp, down: onDown, enter: onOpen, escape: onLeave, text: (c) => c === 'q' && onLeave() });
  const item = DOCTOR_ITEMS[selected]!;
  return (
    <Box flexDirection="column">
      <Text bold>{`glowworm doctor — ${projectDir}`}</Text>
      <SelectList items={DOCTOR_ITEMS.map((i) => `${i.label}${i.changes ? '  (changes things; asks first)' : ''}`)} selected={selected} />
      <Box marginTop={1}>
        <Text wrap="wrap" dimColor>{item.explains}</Text>
      </Box>
      <KeyHints hints={[['↑/↓', 'move'], ['enter', 'open'], ['q', 'leave']]} />
    </Box>
  );
}
