// The backend's log, filtered or followed. The pane is bounded; leaving stops the stream.
import { Box, Text } from 'ink';
import type { ServiceLogLine } from '../../../engine/api.js';
import { KeyHints } from '../../components/KeyHints.js';
import { LogPane } from '../../components/LogPane.js';
import { Spinner } from '@inkjs/ui';
import type { BatchOptions } from '../../hooks/consume-in-batches.js';
import { useKeys } from '../../hooks/use-keys.js';
import { useLogScroll } from '../../hooks/use-log-scroll.js';
import { useLogStream } from '../../hooks/use-log-stream.js';
import { useTerminalRows } from '../../hooks/use-terminal-rows.js';
import type { LogChoice } from '../../state/doctor-items.js';

export function LogsPage({ choice, lines, onBack, batching }: { choice: LogChoice; lines: AsyncIterable<ServiceLogLine>; onBack: () => void; batching?: Partial<BatchOptions> }) {
  const { buffer, done, error } = useLogStream(lines, 500, batching);
  const height = Math.max(3, useTerminalRows() - 8);
  const log = useLogScroll(buffer, height);
  useKeys({ ...log.keys, escape: onBack, text: (c) => (c === 'q' ? onBack() : log.keys.text?.(c)) });
  return (
    <Box flexDirection="column">
      <Text bold>{`Logs: ${choice.label}`}</Text>
      <LogPane buffer={buffer} height={height} title={`${buffer.total} lines`} showService scroll={log.scroll} />
      {error ? <Text color="red">{`✘ ${error}`}</Text> : null}
      {!done && choice.follow ? <Spinner label="following…" /> : null}
      {!done && !choice.follow ? <Spinner label="reading…" /> : null}
      <KeyHints hints={[['↑/↓ PgUp/PgDn', 'scroll'], ['f', log.scroll.follow ? 'hold' : 'follow'], ['esc/q', 'back']]} />
    </Box>
  );
}
