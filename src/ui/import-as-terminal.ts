// ink decides once, when it is first imported, whether it runs "in CI": is-in-ci reads CI and CONTINUOUS_INTEGRATION.
// In CI mode ink draws nothing until the app unmounts, so a plan waiting for `y` or a wizard waiting for a typed name
// shows a blank terminal, and the user waits on a prompt they cannot see. The CLI mounts a screen only on a real
// terminal (no terminal means the headless path), so the screens must draw as on one whatever CI says. The variables
// are hidden only while ink is being imported and put back at once: nothing else in the process sees a change.

const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/** Run `load` (which imports ink for the first time) with the CI variables hidden from ink's one-time check. */
export async function importAsTerminal<T>(load: () => Promise<T>): Promise<T> {
  const saved = CI_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of CI_VARIABLES) delete process.env[name];
  try {
    return await load();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}
