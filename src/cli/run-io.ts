// The questions a run may ask, answered from flags, a terminal prompt, or refused with the flag to pass.
import type { RunIO, TypedConfirmIO } from '../engine/api.js';
import { userError } from '../engine/errors.js';
import { askYesNo, headlessConfirm } from './confirm.js';
import { askLine } from './hangup.js';

export function headlessRunIO(opts: { yes: boolean; interactive: boolean; confirmDatabase?: string; signal?: AbortSignal }): TypedConfirmIO {
  return {
    signal: opts.signal,
    async confirm(summary) {
      if (opts.yes || !opts.interactive) return headlessConfirm(opts.yes)();
      process.stderr.write(summary + '\n');
      return askYesNo('Go on?');
    },
    async confirmTyped(expected, prompt) {
      if (opts.confirmDatabase !== undefined) {
        if (opts.confirmDatabase === expected) return true;
        throw userError('confirm.wrong-name', `--confirm-database "${opts.confirmDatabase}" does not match the database "${expected}"; nothing was changed.`);
      }
      if (!opts.interactive) throw userError('confirm.needs-flag', 'This needs the database name typed and there is no terminal to ask.', `Pass --yes --confirm-database ${expected}.`);
      process.stderr.write(prompt + '\n');
      return (await askLine('> ').catch(() => '')) === expected; // a hangup answers nothing: refused
    },
  };
}

export type { RunIO };
