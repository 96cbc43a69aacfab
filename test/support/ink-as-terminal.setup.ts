// Unit tests render screens with ink-testing-library, as the CLI renders them on a terminal. Importing ink here,
// through the CLI's own loader, makes the screens draw the same way when the tests run with CI set (as CI does).
import { importAsTerminal } from '../../src/ui/import-as-terminal.js';

await importAsTerminal(() => import('ink'));
