// A yes/no question from the engine: `y` answers yes, `n` or `q` no.
// Not @inkjs/ui's ConfirmInput: it has no `q`/esc (every screen's way back) and answers a bare Enter, which must not start a reset.
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { KeyHints } from './KeyHints.js';

export function YesNoPrompt({ question, onAnswer }: { question: string; onAnswer: (yes: boolean) => void }) {
  useKeys({
    text: (input) => {
      if (input === 'y' || input === 'Y') onAnswer(true);
      else if (input === 'n' || input === 'N' || input === 'q') onAnswer(false);
    },
    escape: () => onAnswer(false),
  });
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color="yellow">{`? ${question}`}</Text>
      <KeyHints hints={[['y', 'yes'], ['n/q', 'no']]} />
    </Box>
  );
}
