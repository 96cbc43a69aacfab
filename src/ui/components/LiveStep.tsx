// The step running now, with a spinner and how long it has been running.
import { Box, Text } from 'ink';
import { formatDuration } from '../state/format.js';
import type { StepView } from '../state/step-list.js';
import { useNow } from '../hooks/use-now.js';
import { Spinner } from '@inkjs/ui';

export function LiveStep({ step }: { step: StepView }) {
  const now = useNow(1000);
  return (
    <Box gap={1}>
      <Spinner />
      <Text wrap="truncate-end">
        <Text bold>{step.title}</Text>
        {step.startedAt !== null ? <Text dimColor>{`  ${formatDuration(Math.max(0, now - step.startedAt))}`}</Text> : null}
      </Text>
    </Box>
  );
}
