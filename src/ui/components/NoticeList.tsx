// Notices from the engine (info, warnings, errors), each with its marker.
import { Box, Text } from 'ink';
import type { NoticeView } from '../state/run-view.js';

export function NoticeList({ notices, max = 6 }: { notices: readonly NoticeView[]; max?: number }) {
  if (notices.length === 0) return null;
  return (
    <Box flexDirection="column">
      {notices.slice(-max).map((n, i) => (
        <Text key={i} color={n.level === 'error' ? 'red' : n.level === 'warn' ? 'yellow' : undefined}>
          {`${n.level === 'error' ? '✘' : n.level === 'warn' ? '!' : 'i'} ${n.message}`}
        </Text>
      ))}
    </Box>
  );
}
