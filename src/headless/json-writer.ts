// `--json`: every event as one line of NDJSON on stdout. Nothing else is written to stdout in this mode. Every event
// is consumed even once nobody reads any more (output.ts): the run goes on and `drive` still learns its outcome.
import type { EngineEvent } from '../engine/events.js';
import { toJsonEvent } from './json-schema.js';
import { Output } from './output.js';

export async function writeJson(events: AsyncIterable<EngineEvent>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const output = new Output(out);
  for await (const event of events) await output.write(JSON.stringify(toJsonEvent(event)) + '\n');
}
