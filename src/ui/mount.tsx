// The CLI's way in to the UI (imported lazily by src/cli/tui.ts, so ink and react load only for interactive
// screens). Each mount renders one app with ink's Ctrl-C handling off: the apps pass Ctrl-C to the run, which stops
// at its next safe point instead of dying half-way.
import { render, type Instance } from 'ink';
import { KeyRouter } from './components/KeyRouter.js';
import { DoctorApp, type DoctorAppProps } from './screens/doctor/DoctorApp.js';
import { ResetApp, type ResetAppProps } from './screens/reset/ResetApp.js';
import { UpgradeApp, type UpgradeAppProps } from './screens/upgrade/UpgradeApp.js';

const OPTIONS = { exitOnCtrlC: false, patchConsole: true } as const;

export function mountUpgrade(props: UpgradeAppProps): Instance {
  return render(<KeyRouter><UpgradeApp {...props} /></KeyRouter>, OPTIONS);
}

export function mountDoctor(props: DoctorAppProps): Instance {
  return render(<KeyRouter><DoctorApp {...props} /></KeyRouter>, OPTIONS);
}

export function mountReset(props: ResetAppProps): Instance {
  return render(<KeyRouter><ResetApp {...props} /></KeyRouter>, OPTIONS);
}

export { QuestionBridge } from './question-bridge.js';
