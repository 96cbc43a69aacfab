// A fixed-width bar; without a known total it shows an empty track rather than a made-up fraction.
import { Text } from 'ink';

export function ProgressBar({ fraction, width = 24 }: { fraction: number | null; width?: number }) {
  if (fraction === null) return <Text dimColor>{'░'.repeat(width)}</Text>;
  const filled = Math.round(fraction * width);
  return (
    <Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
      {` ${String(Math.round(fraction * 100)).padStart(3)}%`}
    </Text>
  );
}
