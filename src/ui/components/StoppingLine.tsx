// Said once the first ctrl-c was taken, on whichever upgrade screen is up, so the key is seen to have done something.
import { Text } from 'ink';

export function StoppingLine() {
  return <Text color="yellow">Stopping at the next safe point… (ctrl-c again to quit now; `glowworm upgrade --resume` continues)</Text>;
}
