// Where a service's `image:` is written: which of the project's compose files sets it (the last one in merge order
// wins, as compose's merge replaces scalars), the text as written there, and the variables it reads. An edit of the
// image (a retag) must go to that file and that text: retagging the main file while an override pins the image
// changes nothing compose would run.

import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { parseComposeYaml } from './compose-yaml.js';
import { interpolateString } from './interpolate.js';
import { isRecord } from './tree.js';

export interface ImageSetting {
  /** The file whose `services.<name>.image` compose uses. */
  file: string;
  /** Index of `file` in the project's compose files (0: the main file). */
  fileIndex: number;
  /** `image:` as written, before interpolation. */
  written: string;
  /** Variables the written text reads (`${TAG:-test}` reads TAG): the value is set in the environment or env file. */
  variables: string[];
  /** 1-based line of the value in `file`; null when it comes through an anchor or merge key. */
  line: number | null;
}

/** Every service that sets `image:` in some file, with where the value compose uses is written. */
export async function imageSettings(composeFiles: readonly string[]): Promise<Record<string, ImageSetting>> {
  const texts = await Promise.all(composeFiles.map((file) => readFile(file, 'utf8')));
  const out: Record<string, ImageSetting> = {};
  texts.forEach((text, fileIndex) => {
    const file = composeFiles[fileIndex] as string;
    const tree = parseComposeYaml(text, file);
    const services = isRecord(tree['services']) ? tree['services'] : {};
    for (const [name, service] of Object.entries(services)) {
      const image = isRecord(service) ? service['image'] : undefined;
      if (typeof image !== 'string') continue;
      out[name] = { file, fileIndex, written: image, variables: variablesIn(image), line: lineOfImage(text, name) };
    }
  });
  return out;
}

function lineOfImage(text: string, service: string): number | null {
  const lines = new LineCounter();
  const node = parseDocument(text, { lineCounter: lines }).getIn(['services', service, 'image'], true);
  return isNode(node) && node.range ? lines.linePos(node.range[0]).line : null;
}

/** The variable names a compose string reads, found by interpolating it with a lookup that only records. */
export function variablesIn(text: string): string[] {
  const names = new Set<string>();
  try {
    interpolateString(text, { lookup: (name) => (names.add(name), 'x'), location: { file: '', path: '' } });
  } catch {
    // An invalid template fails the project's load with a better message; here it just reads no variables.
  }
  return [...names];
}
