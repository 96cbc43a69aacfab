// Parses the text of `alembic history` (not --verbose), the fallback when the probe script cannot run. Alembic
// prints one line a revision, newest first:
//   2024110900 -> 2024110901 (head), add scheduled actions table
//   c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193 (mergepoint), merge display mode and system settings
//   000000000001 -> a1b2c3d4e5f6 (branchpoint), create device logs table
//   a1b2c3d4e5f6 (aux1) -> dep2 (mylabel) (head), needs aux       <- "(aux1)": depends_on; "(mylabel)": branch labels
//   <base> -> 000000000001, initial schema                         (some versions print " -> 000000000001, …")

import type { Revision } from './graph.js';

export interface ParsedHistory {
  revisions: Revision[];
  /** The revisions Alembic marked `(head)`. */
  heads: string[];
}

// down revisions [(dependencies)] -> id [(labels)] [(head)] [(effective head)] [(current)] [(branchpoint)] [(mergepoint)][, message]
const ID_LIST = String.raw`<base>|[^\s,()]+(?:,\s*[^\s,()]+)*`;
const HISTORY_LINE = new RegExp(
  String.raw`^(?<down>${ID_LIST})?\s*(?:\((?<deps>[^)]*)\)\s*)?->\s*(?<id>[^\s,()]+)(?<tags>(?:\s+\([^)]*\))*)(?:,\s?(?<message>.*))?$`,
);
const TAG = /\(([^)]*)\)/g;
const INDICATORS = new Set(['head', 'effective head', 'current', 'branchpoint', 'mergepoint']);

const commaList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '<base>');

/** Lines that are not history lines (warnings, blank lines) are skipped. */
export function parseHistoryText(stdout: string): ParsedHistory {
  const revisions: Revision[] = [];
  const heads: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = HISTORY_LINE.exec(line.trim());
    if (!m?.groups) continue;
    const { down, deps, id, tags = '', message } = m.groups;
    const revision: Revision = { id: id as string, downRevisions: commaList(down), message: (message ?? '').trim() };
    const branchLabels: string[] = [];
    for (const [, tag = ''] of tags.matchAll(TAG)) {
      if (tag === 'head') heads.push(revision.id);
      else if (!INDICATORS.has(tag)) branchLabels.push(...commaList(tag));
    }
    if (branchLabels.length > 0) revision.branchLabels = branchLabels;
    const dependsOn = commaList(deps);
    if (dependsOn.length > 0) revision.dependsOn = dependsOn;
    revisions.push(revision);
  }
  return { revisions, heads };
}
