import { describe, expect, it } from 'vitest';
import { DOCTOR_ITEMS, LOG_CHOICES } from './doctor-items.js';
import { doctorReducer, INITIAL_DOCTOR, type DoctorAction, type DoctorState } from './doctor-state.js';

const run = (actions: DoctorAction[], from: DoctorState = INITIAL_DOCTOR) => actions.reduce(doctorReducer, from);
const downTo = (id: string) => Array.from({ length: DOCTOR_ITEMS.findIndex((i) => i.id === id) }, () => ({ type: 'down' }) as const);

describe('doctor navigation', () => {
  it('moves within the menu and stops at both ends', () => {
    expect(run([{ type: 'up' }]).menu).toBe(0);
    expect(run(Array.from({ length: 20 }, () => ({ type: 'down' }) as const)).menu).toBe(DOCTOR_ITEMS.length - 1);
  });

  it('opens reports and runs as item pages, logs via the filter choice, restore via the picker', () => {
    expect(run([...downTo('verify-schema'), { type: 'enter' }]).page).toEqual({ name: 'item', item: 'verify-schema' });
    expect(run([...downTo('migrate'), { type: 'enter' }]).page).toEqual({ name: 'item', item: 'migrate' });
    const logs = run([...downTo('logs'), { type: 'enter' }, ...LOG_CHOICES.map(() => ({ type: 'down' }) as const), { type: 'enter' }]);
    expect(logs.page).toEqual({ name: 'logs', choice: LOG_CHOICES.length - 1 });
    const restore = run([...downTo('restore'), { type: 'enter' }, { type: 'down', count: 3 }, { type: 'down', count: 3 }, { type: 'down', count: 3 }]);
    expect(restore).toMatchObject({ page: { name: 'restore-pick' }, pick: 2 });
    // The one under the cursor as the keys left it, whatever was drawn when Enter arrived.
    expect(doctorReducer(restore, { type: 'pick-backup', files: ['/b/a.sql.gz', '/b/b.sql.gz', '/b/x.sql.gz'] }).page).toEqual({ name: 'restore-run', file: '/b/x.sql.gz' });
    expect(doctorReducer(restore, { type: 'pick-backup', files: [] })).toBe(restore);
  });

  it('goes back to the menu on the item it came from, and leaves from the menu', () => {
    const opened = run([...downTo('backups'), { type: 'enter' }]);
    const back = doctorReducer(opened, { type: 'back' });
    expect(back).toMatchObject({ page: { name: 'menu' }, menu: DOCTOR_ITEMS.findIndex((i) => i.id === 'backups'), leaving: false });
    expect(doctorReducer(back, { type: 'back' }).leaving).toBe(true);
    const logs = run([...downTo('logs'), { type: 'enter' }, { type: 'enter' }]);
    expect(doctorReducer(logs, { type: 'back' }).page).toEqual({ name: 'log-choice' });
  });

  it('ignores a backup pick outside the picker and enter on a page', () => {
    expect(doctorReducer(INITIAL_DOCTOR, { type: 'pick-backup', files: ['/x'] })).toBe(INITIAL_DOCTOR);
    const page = run([{ type: 'enter' }]);
    expect(doctorReducer(page, { type: 'enter' })).toBe(page);
  });

  it('a crash loop found at the start puts recover first and selects it; a moved cursor stays on its item', () => {
    const found = doctorReducer(INITIAL_DOCTOR, { type: 'crash-loop-found' });
    expect(found.items[0]).toBe('recover');
    expect(found.menu).toBe(0);
    expect(doctorReducer(found, { type: 'enter' }).page).toEqual({ name: 'item', item: 'recover' });
    const moved = run(downTo('backups'));
    const after = doctorReducer(moved, { type: 'crash-loop-found' });
    expect(after.items[after.menu]).toBe('backups');
  });
});
