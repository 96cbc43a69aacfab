// The step running now, with a spinner and how long it has been running.
import { Text } from 'ink';
import { formatDuration } from '../state/format.js';
import type { StepView } from '../state/step-list.js';
import { useNow } from '../hooks/use-now.js';
import { Spinner } from './Spinner.js';

export function LiveStep({ step }: { step: StepView }) {
  const now = useNow(1000);
  return (
    <Text wrap="truncate-end">
      <Spinner /> <Text bold>{step.title}</Text>
      {step.startedAt !== null ? <Text dimColor>{`  ${formatDuration(Math.max(0, now - step.startedAt))}`}</Text> : null}
    </Text>
  );
}
