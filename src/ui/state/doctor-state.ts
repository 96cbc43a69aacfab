// Where the doctor is: the menu, an item's page, the log-filter choice, the backup picker. Pure navigation; what a
// page loads or runs is started by the app when the page changes (see DoctorApp).
import { LOG_CHOICES, menuOrder, type DoctorItemId } from './doctor-items.js';

export type DoctorPage =
  | { name: 'menu' }
  /** A report (status, alembic, schema, backups) or a run (migrate, backup). */
  | { name: 'item'; item: DoctorItemId }
  | { name: 'log-choice' }
  | { name: 'logs'; choice: number }
  | { name: 'restore-pick' }
  | { name: 'restore-run'; file: string };

export interface DoctorState {
  page: DoctorPage;
  /** The menu's items in the order shown (menuOrder: recover first while the backend crash-loops). */
  items: readonly DoctorItemId[];
  /** The backend was found crash-looping when the doctor opened. */
  crashLoop: boolean;
  /** Selected menu item; kept while a page is open so going back lands on it. */
  menu: number;
  /** Selected row in a sub-list (log choices, backups). */
  pick: number;
  /** The user asked to leave the doctor. */
  leaving: boolean;
}

export type DoctorAction =
  | { type: 'up' }
  | { type: 'down'; count?: number }
  | { type: 'enter' }
  /** Enter on the backup list: the reducer takes the one under the cursor as it is now, not as it was drawn (Down
   *  and Enter in one chunk are both handled before the next render). */
  | { type: 'pick-backup'; files: readonly string[] }
  | { type: 'back' }
  /** The status read when the doctor opened found the backend crash-looping. */
  | { type: 'crash-loop-found' };

export const INITIAL_DOCTOR: DoctorState = { page: { name: 'menu' }, items: menuOrder(false), crashLoop: false, menu: 0, pick: 0, leaving: false };

function open(item: DoctorItemId): DoctorPage {
  if (item === 'logs') return { name: 'log-choice' };
  if (item === 'restore') return { name: 'restore-pick' };
  return { name: 'item', item };
}

export function doctorReducer(state: DoctorState, action: DoctorAction): DoctorState {
  const page = state.page;
  switch (action.type) {
    case 'up':
      if (page.name === 'menu') return { ...state, menu: Math.max(0, state.menu - 1) };
      return { ...state, pick: Math.max(0, state.pick - 1) };
    case 'down': {
      if (page.name === 'menu') return { ...state, menu: Math.min(state.items.length - 1, state.menu + 1) };
      const count = page.name === 'log-choice' ? LOG_CHOICES.length : action.count ?? 0;
      return { ...state, pick: Math.max(0, Math.min(count - 1, state.pick + 1)) };
    }
    case 'enter':
      if (page.name === 'menu') return { ...state, page: open(state.items[state.menu]!), pick: 0 };
      if (page.name === 'log-choice') return { ...state, page: { name: 'logs', choice: state.pick } };
      return state;
    case 'pick-backup': {
      const file = action.files[state.pick];
      return page.name === 'restore-pick' && file ? { ...state, page: { name: 'restore-run', file } } : state;
    }
    case 'back':
      if (page.name === 'menu') return { ...state, leaving: true };
      if (page.name === 'logs') return { ...state, page: { name: 'log-choice' } };
      return { ...state, page: { name: 'menu' }, pick: 0 };
    case 'crash-loop-found': {
      // Recover goes first and is selected, unless the user already moved: then the item under the cursor stays.
      const items = menuOrder(true);
      const menu = state.menu === 0 ? 0 : items.indexOf(state.items[state.menu]!);
      return { ...state, items, crashLoop: true, menu };
    }
  }
}
