// Questions to a person. Without a terminal there is nobody to ask: the question fails with an error that names the
// flag to pass (design.md rule 1), rather than hanging or guessing.
import { userError } from '../engine/errors.js';
import { askLine } from './hangup.js';

export function headlessConfirm(yes: boolean, flag = '--yes'): () => Promise<boolean> {
  return async () => {
    if (yes) return true;
    throw userError('confirm.needs-flag', 'This needs a confirmation and there is no terminal to ask.', `Pass ${flag} to confirm non-interactively.`);
  };
}

/** y/N at the terminal; a hangup before the answer is a no. */
export async function askYesNo(question: string): Promise<boolean> {
  const answer = (await askLine(`${question} [y/N] `).catch(() => '')).toLowerCase();
  return answer === 'y' || answer === 'yes';
}

/** y/N once `shown` resolved: the question comes after what it is about has reached the reader. */
export async function askAfter(shown: Promise<void>, question: string, ask: (q: string) => Promise<boolean> = askYesNo): Promise<boolean> {
  await shown;
  return ask(question);
}
