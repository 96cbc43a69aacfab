// The keys a screen answers to, always on its last line.
import { Text } from 'ink';

export function KeyHints({ hints }: { hints: readonly (readonly [key: string, action: string])[] }) {
  return (
    <Text dimColor wrap="truncate-end">
      {hints.map(([key, action], i) => (
        <Text key={key}>
          {i > 0 ? '  ·  ' : ''}
          <Text bold>{key}</Text> {action}
        </Text>
      ))}
    </Text>
  );
}
