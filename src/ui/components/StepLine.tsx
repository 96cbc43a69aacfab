// A finished step: marker, title, duration, and its summary, skip reason or error.
import { Text } from 'ink';
import { formatDuration } from '../state/format.js';
import type { StepView } from '../state/step-list.js';

const MARK = { completed: ['✔', 'green'], skipped: ['-', 'gray'], failed: ['✘', 'red'], running: ['…', 'cyan'] } as const;

export function StepLine({ step }: { step: StepView }) {
  const [mark, color] = MARK[step.status];
  return (
    <Text wrap="truncate-end">
      <Text color={color}>{mark}</Text> {step.title}
      {step.durationMs !== null ? <Text dimColor>{`  ${formatDuration(step.durationMs)}`}</Text> : null}
      {step.status === 'skipped' && step.note ? <Text dimColor>{`  skipped: ${step.note}`}</Text> : null}
      {step.status === 'completed' && step.note ? <Text dimColor>{`  ${step.note}`}</Text> : null}
      {step.error ? <Text color="red">{`  ${step.error.message}`}</Text> : null}
    </Text>
  );
}
