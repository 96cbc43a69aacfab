// Steps of a short run shown in place (no <Static>): for pages that come and go, like the doctor's actions.
import { Box } from 'ink';
import type { StepsView } from '../state/step-list.js';
import { LiveStep } from './LiveStep.js';
import { StepLine } from './StepLine.js';

export function StepList({ steps }: { steps: StepsView }) {
  return (
    <Box flexDirection="column">
      {steps.finished.map((s, i) => (
        <StepLine key={`${s.id}-${i}`} step={s} />
      ))}
      {steps.live ? <LiveStep step={steps.live} /> : null}
    </Box>
  );
}
