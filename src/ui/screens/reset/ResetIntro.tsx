// What the reset will do, in order, before it does anything; then the engine's own summary and y/n.
import { Box, Text } from 'ink';
import type { OpenQuestion } from '../../question-bridge.js';
import { QuestionView } from '../../components/QuestionView.js';

export const RESET_STEPS = [
  'Ask you to type the database name, before anything stops.',
  'Back up the database while the app serves (if every table is InnoDB) and VERIFY it in a throwaway database.',
  'Stop the app (backend, worker, frontend) and bring the backup up to that moment. No verified backup, no reset.',
  'Drop the database and create it again, empty.',
  'Start the backend and follow its migrations from zero, then start the rest of the app.',
  'Verify the fresh schema, and show the command that restores your backup.',
];

export function ResetIntro({ open }: { open: OpenQuestion }) {
  return (
    <Box flexDirection="column">
      <Text>Use this only when the database cannot be repaired (see `glowworm doctor`). It will:</Text>
      {RESET_STEPS.map((s, i) => (
        <Text key={i}>{`  ${i + 1}. ${s}`}</Text>
      ))}
      <QuestionView open={open} yesNoLabel="Start the reset?" />
    </Box>
  );
}
