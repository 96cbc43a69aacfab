// The verification checks reported so far.
import { Box, Text } from 'ink';
import type { VerifyRow } from '../state/run-view.js';

export function VerifyChecks({ checks }: { checks: readonly VerifyRow[] }) {
  return (
    <Box flexDirection="column">
      <Text bold>Verification</Text>
      {checks.map((c) => (
        <Text key={c.check} wrap="truncate-end">
          <Text color={c.ok ? 'green' : 'red'}>{c.ok ? '  ✔' : '  ✘'}</Text>
          {` ${c.check}: ${c.detail}`}
        </Text>
      ))}
    </Box>
  );
}
