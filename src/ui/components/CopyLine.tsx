// A command or path the user may copy: on its own line and whole. ink hard-wraps a line at the terminal's width,
// which put a newline in the middle of a long backup path; a box as wide as the text lets the line overflow
// instead, and the terminal soft-wraps it, which copies back as one line. Only for screens drawn once at the end
// (success, failure): a line wider than the terminal would throw off ink's erasing of a frame it redraws.
import { Box, Text } from 'ink';

export function CopyLine({ text, indent = 2 }: { text: string; indent?: number }) {
  const line = `${' '.repeat(indent)}${text}`;
  return (
    <Box width={line.length} flexShrink={0}>
      <Text bold color="cyan" wrap="wrap">{line}</Text>
    </Box>
  );
}
