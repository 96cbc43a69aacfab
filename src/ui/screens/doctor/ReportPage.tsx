// A read-only report: what it reads (said first), then the result, scrollable.
import { Box, Text } from 'ink';
import { KeyHints } from '../../components/KeyHints.js';
import { ScrollWindow } from '../../components/ScrollWindow.js';
import { Spinner } from '@inkjs/ui';
import { useKeys } from '../../hooks/use-keys.js';
import { usePromise } from '../../hooks/use-promise.js';
import { useScroll } from '../../hooks/use-scroll.js';
import { useTerminalRows } from '../../hooks/use-terminal-rows.js';
import type { DoctorItem } from '../../state/doctor-items.js';
import type { Row } from '../../state/rows.js';

const NO_ROWS: Row[] = [];

export function ReportPage({ item, rows, onBack }: { item: DoctorItem; rows: Promise<Row[]>; onBack: () => void }) {
  const result = usePromise(rows);
  const loaded = result.status === 'ok' ? result.value : NO_ROWS;
  const height = Math.max(5, useTerminalRows() - 7);
  const scroll = useScroll(loaded.length, height);
  useKeys({ ...scroll.keys, escape: onBack, enter: onBack, text: (c) => c === 'q' && onBack() });
  return (
    <Box flexDirection="column">
      <Text bold>{item.label}</Text>
      <Text dimColor wrap="wrap">{item.explains}</Text>
      <Box flexDirection="column" marginTop={1}>
        {result.status === 'pending' ? <Spinner label="Reading…" /> : null}
        {result.status === 'error' ? <Text color="red">{`✘ ${result.message}`}</Text> : null}
        {result.status === 'error' && result.hint ? <Text color="cyan">{`Next: ${result.hint}`}</Text> : null}
        {result.status === 'ok' ? <ScrollWindow rows={loaded} height={height} offset={scroll.offset} /> : null}
      </Box>
      <KeyHints hints={[['↑/↓', 'scroll'], ['esc/q', 'back to the menu']]} />
    </Box>
  );
}
