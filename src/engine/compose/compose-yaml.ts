// Reads one compose file into a plain tree. YAML 1.2 with anchors and `<<` merge keys (compose files use both);
// compose's `!reset` / `!override` tags become marker values (tree.ts). Syntax errors name the file and line.

import { readFile } from 'node:fs/promises';
import { isNode, parseDocument, Scalar, visit, type Document } from 'yaml';
import { userError } from '../errors.js';
import { isRecord, OverrideValue, RESET } from './tree.js';

export async function readComposeFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw userError(
      'compose.file-unreadable',
      code === 'ENOENT' ? `Compose file not found: ${path}` : `Cannot read compose file ${path}: ${String(error)}`,
    );
  }
  return parseComposeYaml(text, path);
}

export function parseComposeYaml(text: string, fileName: string): Record<string, unknown> {
  const doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    throw userError('compose.yaml-invalid', `${fileName}: ${firstError.message}`, 'Fix the YAML syntax of the file.');
  }
  replaceComposeTags(doc);
  const tree: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (tree === null || tree === undefined) return {};
  if (!isRecord(tree)) throw userError('compose.yaml-invalid', `${fileName}: the top level must be a mapping.`);
  return tree;
}

// Swaps `!reset x` for the RESET marker and `!override x` for an OverrideValue holding x, before toJS flattens tags.
function replaceComposeTags(doc: Document): void {
  visit(doc, (_key, node) => {
    if (!isNode(node)) return undefined;
    if (node.tag === '!reset') return new Scalar(RESET);
    if (node.tag === '!override') {
      node.tag = undefined;
      return new Scalar(new OverrideValue(node.toJS(doc, { maxAliasCount: 10_000 })));
    }
    return undefined;
  });
}
