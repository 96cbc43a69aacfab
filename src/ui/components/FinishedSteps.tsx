// Finished steps are printed once, above the live area, and never redrawn (ink's <Static>).
import { Static } from 'ink';
import type { StepView } from '../state/step-list.js';
import { StepLine } from './StepLine.js';

export function FinishedSteps({ steps }: { steps: readonly StepView[] }) {
  return <Static items={[...steps]}>{(step, i) => <StepLine key={`${step.id}-${i}`} step={step} />}</Static>;
}
