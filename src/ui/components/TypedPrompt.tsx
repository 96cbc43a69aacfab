// A typed confirmation: the user must type a name (the database's) and press enter. What was typed is view-local;
// the engine only hears the final text through the question bridge. A ref holds it, so a pasted "name⏎" (one
// input run) submits the whole name, not the text of the last render.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import { KeyHints } from './KeyHints.js';

export function TypedPrompt({ prompt, expected, onSubmit, onCancel }: { prompt: string; expected: string; onSubmit: (typed: string) => void; onCancel: () => void }) {
  const typed = useRef('');
  const [shown, setShown] = useState('');
  const set = (text: string) => {
    typed.current = text;
    setShown(text);
  };
  useKeys({
    text: (input) => set(typed.current + input),
    backspace: () => set(typed.current.slice(0, -1)),
    enter: () => onSubmit(typed.current),
    escape: onCancel,
  });
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color="yellow" wrap="wrap">{`? ${prompt}`}</Text>
      <Text>
        {`  Type ${JSON.stringify(expected)} to go on: `}
        <Text bold>{shown}</Text>
        <Text inverse> </Text>
      </Text>
      <KeyHints hints={[['enter', 'submit'], ['esc', 'cancel']]} />
    </Box>
  );
}
