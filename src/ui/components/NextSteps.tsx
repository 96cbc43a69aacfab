// "Next: …" with what it tells the user to run printed below it, each command whole on its own line.
import { Box, Text } from 'ink';
import { copyablesOf } from '../state/copyable.js';
import { CopyLine } from './CopyLine.js';

export function NextSteps({ hint }: { hint: string }) {
  return (
    <Box flexDirection="column">
      <Text color="cyan">{`Next: ${hint}`}</Text>
      {copyablesOf(hint).map((command) => (
        <CopyLine key={command} text={command} />
      ))}
    </Box>
  );
}
