// What the user may copy out of a sentence: the commands and paths a hint quotes in backticks ("Continue with
// `glowworm upgrade --resume`"). The screens print each whole on its own line, below the sentence that may wrap.
const QUOTED = /`([^`]+)`/g;

/** The backtick-quoted commands and paths of a text, in order, each once; a quoted single word is left in the prose. */
export function copyablesOf(text: string): string[] {
  const found = [...text.matchAll(QUOTED)].map((m) => m[1]!.trim()).filter((q) => /\s|\//.test(q));
  return [...new Set(found)];
}
