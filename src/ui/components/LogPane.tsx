// The tail of a service's log. Errors are red AND marked ✘ (warnings !), so they stand out with NO_COLOR too.
import { Box, Text } from 'ink';
import { droppedLines, type LogBuffer, type LogEntry } from '../state/log-buffer.js';

function LogLine({ line, showService }: { line: LogEntry; showService: boolean }) {
  const mark = line.level === 'error' ? '✘ ' : line.level === 'warn' ? '! ' : '  ';
  const color = line.level === 'error' ? 'red' : line.level === 'warn' ? 'yellow' : undefined;
  return (
    <Text color={color} bold={line.level === 'error'} wrap="truncate-end">
      {mark}
      {showService ? <Text dimColor>{`${line.service} | `}</Text> : null}
      {line.text}
    </Text>
  );
}

export function LogPane({ buffer, height, title, showService = false }: { buffer: LogBuffer; height: number; title: string; showService?: boolean }) {
  const visible = buffer.lines.slice(-height);
  const hidden = droppedLines(buffer) + (buffer.lines.length - visible.length);
  return (
    <Box flexDirection="column" borderStyle="single" borderDimColor paddingX={1}>
      <Text dimColor>
        {title}
        {hidden > 0 ? `  (${hidden} earlier lines not shown)` : ''}
      </Text>
      {visible.length === 0 ? <Text dimColor>  (nothing yet)</Text> : null}
      {visible.map((line) => (
        <LogLine key={line.seq} line={line} showService={showService} />
      ))}
    </Box>
  );
}
