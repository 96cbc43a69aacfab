// `--json`: every event as one line of NDJSON on stdout. Nothing else is written to stdout in this mode.
import type { EngineEvent } from '../engine/events.js';
import { toJsonEvent } from './json-schema.js';

export async function writeJson(events: AsyncIterable<EngineEvent>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  for await (const event of events) {
    if (!out.write(JSON.stringify(toJsonEvent(event)) + '\n')) {
      await new Promise((resolve) => out.once('drain', resolve));
    }
  }
}
