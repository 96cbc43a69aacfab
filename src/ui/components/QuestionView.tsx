// Whatever the engine is asking right now, as a prompt: a yes/no with its summary, or a typed confirmation.
import { Box, Text } from 'ink';
import type { OpenQuestion } from '../question-bridge.js';
import { TypedPrompt } from './TypedPrompt.js';
import { YesNoPrompt } from './YesNoPrompt.js';

export function QuestionView({ open, yesNoLabel = 'Go on?' }: { open: OpenQuestion; yesNoLabel?: string }) {
  const q = open.question;
  switch (q.kind) {
    case 'yes-no':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text>{q.summary}</Text>
          <YesNoPrompt question={yesNoLabel} onAnswer={open.answer} />
        </Box>
      );
    case 'typed':
      return <TypedPrompt prompt={q.prompt} expected={q.expected} onSubmit={open.answer} onCancel={() => open.answer(false)} />;
    case 'plan':
      return <YesNoPrompt question={`Upgrade to ${q.plan.toVersion}?`} onAnswer={open.answer} />;
  }
}
