// Questions to a person. Without a terminal there is nobody to ask: the question fails with an error that names the
// flag to pass (design.md rule 1), rather than hanging or guessing.
import { createInterface } from 'node:readline/promises';
import { userError } from '../engine/errors.js';

export function headlessConfirm(yes: boolean, flag = '--yes'): () => Promise<boolean> {
  return async () => {
    if (yes) return true;
    throw userError('confirm.needs-flag', 'This needs a confirmation and there is no terminal to ask.', `Pass ${flag} to confirm non-interactively.`);
  };
}

export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}
