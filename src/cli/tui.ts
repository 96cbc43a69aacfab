// Interactive screens, for the CLI: each entry renders an app, waits until it leaves, and returns the exit code
// (the same codes as the headless path: the outcome of `run.finished`). ink and react are imported here, lazily,
// so `glowworm --version` and headless runs never load them.
import type { EngineApi, ProjectOptions, UpgradeRequest } from '../engine/api.js';
import type { EngineEvent, RunOutcome } from '../engine/events.js';
import type { Instance } from 'ink';
import type { QuestionBridge } from '../ui/question-bridge.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { importAsTerminal } from '../ui/import-as-terminal.js';
import { hangup, surviveHangup } from './hangup.js';

/** chalk (under ink) ignores NO_COLOR; FORCE_COLOR=0 is what it honours. Must run before ink is imported. */
function honourNoColor(): void {
  if (process.env['NO_COLOR'] && process.env['FORCE_COLOR'] === undefined) process.env['FORCE_COLOR'] = '0';
}

async function loadUi() {
  honourNoColor();
  return importAsTerminal(() => import('../ui/mount.js'));
}

/**
 * Ctrl-C, from the keyboard (raw mode: the app sees it as a key) or as a signal: the first stops the run at its next
 * safe point (`signal`), the second leaves at once (`onSecond`, which unmounts; main.ts then exits).
 */
class Interrupter {
  private readonly controller = new AbortController();
  private presses = 0;
  onSecond: () => void = () => undefined;
  readonly signal = this.controller.signal;
  readonly press = (): void => {
    this.presses += 1;
    if (this.presses === 1) this.controller.abort();
    else this.onSecond();
  };
  listen(): () => void {
    process.on('SIGINT', this.press);
    process.on('SIGTERM', this.press);
    return () => {
      process.off('SIGINT', this.press);
      process.off('SIGTERM', this.press);
    };
  }
}

function codeFor(outcome: RunOutcome | null, leftEarly: boolean): number {
  if (leftEarly) return ExitCode.aborted;
  return outcome ? exitCodeFor(outcome) : ExitCode.bug;
}

type RunMount = (props: {
  events: AsyncIterable<EngineEvent>;
  questions: QuestionBridge;
  onInterrupt: () => void;
  onFinished: (outcome: RunOutcome | null) => void;
}) => Instance;

/** Mount a run's app, start the run with the interrupt's signal, and wait until the app leaves. */
async function runScreens(mount: RunMount, questions: QuestionBridge, start: (signal: AbortSignal) => AsyncIterable<EngineEvent>): Promise<number> {
  const interrupt = new Interrupter();
  let outcome: RunOutcome | null = null;
  let leftEarly = false;
  const stopListening = interrupt.listen();
  // A closed terminal: a question on screen is answered "no"; a run already going finishes (or rolls back).
  surviveHangup();
  hangup.addEventListener('abort', () => questions.cancelOpen(), { once: true });
  const app = mount({ events: start(interrupt.signal), questions, onInterrupt: interrupt.press, onFinished: (o) => (outcome = o) });
  interrupt.onSecond = () => ((leftEarly = true), app.unmount());
  try {
    await app.waitUntilExit();
  } finally {
    stopListening();
  }
  return codeFor(outcome, leftEarly);
}

export async function runUpgradeTui(request: UpgradeRequest, engine: EngineApi, options: { yes?: boolean } = {}): Promise<number> {
  const { mountUpgrade, QuestionBridge } = await loadUi();
  const questions = new QuestionBridge();
  return runScreens(mountUpgrade, questions, (signal) => {
    const io = questions.upgradeIO(signal);
    if (options.yes) io.confirm = async () => true;
    return engine.upgrade(request, io);
  });
}

export async function runResetTui(project: ProjectOptions, engine: EngineApi): Promise<number> {
  const { mountReset, QuestionBridge } = await loadUi();
  const questions = new QuestionBridge();
  return runScreens(mountReset, questions, (signal) => engine.reset(project, questions.runIO(signal)));
}

/** The doctor's menu; its actions report their own outcomes on screen, leaving it is a success. */
export async function runDoctorTui(project: ProjectOptions, engine: EngineApi): Promise<number> {
  const { mountDoctor, QuestionBridge } = await loadUi();
  const app = mountDoctor({ engine, project, questions: new QuestionBridge(), onLeave: () => undefined });
  await app.waitUntilExit();
  return ExitCode.ok;
}
