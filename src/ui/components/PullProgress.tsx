// One image being pulled: a done mark once `pull.completed` arrived, the image's bytes so far, and a bar per layer.
import { Box, Text } from 'ink';
import { formatBytes } from '../state/format.js';
import { isLayerDone, layerFraction, pullTotals, type PullView } from '../state/pull-progress.js';
import { ProgressBar } from './ProgressBar.js';
import { Spinner } from '@inkjs/ui';

export const MAX_LAYERS_SHOWN = 8;

export function PullProgress({ pull }: { pull: PullView }) {
  // Finished layers first fall off the list: the ones still moving are what the user waits for.
  const moving = pull.layers.filter((l) => !isLayerDone(l));
  const shown = (pull.done ? [] : moving).slice(0, MAX_LAYERS_SHOWN);
  const totals = pullTotals([pull]);
  const bytes = totals.total > 0 ? `, ${formatBytes(totals.current)} / ${formatBytes(totals.total)}` : '';
  return (
    <Box flexDirection="column">
      <Box gap={1}>
        {pull.done ? <Text color="green">✔</Text> : <Spinner />}
        <Text wrap="truncate-middle">
          {pull.image}
          <Text dimColor>{pull.done ? `  pulled${pull.digest ? ` ${pull.digest.slice(0, 19)}` : ''}` : `  ${totals.layersDone}/${totals.layers} layers${bytes}`}</Text>
        </Text>
      </Box>
      {shown.map((layer) => (
        <Box key={layer.id}>
          <Text>{`  ${layer.id.slice(0, 12)} ${layer.status.padEnd(11).slice(0, 11)} `}</Text>
          <ProgressBar fraction={layerFraction(layer)} width={16} />
          <Text dimColor wrap="truncate-end">{layer.total ? ` ${formatBytes(layer.current ?? 0)} / ${formatBytes(layer.total)}` : ''}</Text>
        </Box>
      ))}
      {moving.length > shown.length && !pull.done ? <Text dimColor>{`  … ${moving.length - shown.length} more layers`}</Text> : null}
    </Box>
  );
}
