// The doctor's menu, with what the selected item will do.
import { Box, Text } from 'ink';
import { KeyHints } from '../../components/KeyHints.js';
import { SelectList } from '../../components/SelectList.js';
import { useKeys } from '../../hooks/use-keys.js';
import { doctorItem, type DoctorItemId } from '../../state/doctor-items.js';

export function DoctorMenu({ items, crashLoop, selected, projectDir, onUp, onDown, onOpen, onLeave }: {
  items: readonly DoctorItemId[]; crashLoop: boolean; selected: number; projectDir: string;
  onUp: () => void; onDown: () => void; onOpen: () => void; onLeave: () => void;
}) {
  useKeys({ up: onUp, down: onDown, enter: onOpen, escape: onLeave, text: (c) => c === 'q' && onLeave() });
  const item = doctorItem(items[selected]!);
  const label = (id: DoctorItemId) => {
    const i = doctorItem(id);
    // Said first on the line: it is why this item leads the menu now.
    const now = crashLoop && id === 'recover' ? 'The backend crash-loops now — ' : '';
    return `${now}${i.label}${i.changes ? '  (changes things; asks first)' : ''}`;
  };
  return (
    <Box flexDirection="column">
      <Text bold>{`glowworm doctor — ${projectDir}`}</Text>
      <SelectList items={items.map(label)} selected={selected} />
      <Box marginTop={1}>
        <Text wrap="wrap" dimColor>{item.explains}</Text>
      </Box>
      <KeyHints hints={[['↑/↓', 'move'], ['enter', 'open'], ['q', 'leave']]} />
    </Box>
  );
}
