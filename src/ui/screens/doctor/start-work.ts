// What a doctor page needs from the engine, started when the page opens and stopped when it closes. The pages only
// subscribe to what is started here (a promise, an event stream or a log stream).
import type { BackupInfo, EngineApi, ProjectOptions, ServiceLogLine } from '../../../engine/api.js';
import type { EngineEvent } from '../../../engine/events.js';
import type { QuestionBridge } from '../../question-bridge.js';
import type { DoctorPage } from '../../state/doctor-state.js';
import { LOG_CHOICES } from '../../state/doctor-items.js';
import { backupRows, commandRows, schemaRows, statusRows } from '../../state/report-rows.js';
import type { Row } from '../../state/rows.js';
import { historyRows } from '../../state/history-rows.js';

export type DoctorWork =
  | { kind: 'none' }
  | { kind: 'report'; rows: Promise<Row[]> }
  | { kind: 'backups'; list: Promise<BackupInfo[]> }
  | { kind: 'run'; events: AsyncIterable<EngineEvent>; stop: AbortController }
  | { kind: 'logs'; lines: AsyncIterable<ServiceLogLine>; stop: AbortController };

export const NO_WORK: DoctorWork = { kind: 'none' };

export const LOG_TAIL = 500;

/** The page shows a failure when it renders; until then (and if it never does) the rejection is not "unhandled". */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function startWork(page: DoctorPage, engine: EngineApi, project: ProjectOptions, questions: QuestionBridge): DoctorWork {
  const run = (start: (io: ReturnType<QuestionBridge['runIO']>) => AsyncIterable<EngineEvent>): DoctorWork => {
    const stop = new AbortController();
    return { kind: 'run', events: start(questions.runIO(stop.signal)), stop };
  };
  switch (page.name) {
    case 'menu':
    case 'log-choice':
      return NO_WORK;
    case 'restore-pick':
      return { kind: 'backups', list: observed(engine.listBackups(project)) };
    case 'restore-run':
      return run((io) => engine.restore({ ...project, file: page.file }, io));
    case 'logs': {
      const choice = LOG_CHOICES[page.choice]!;
      const stop = new AbortController();
      const tail = choice.follow ? 50 : LOG_TAIL;
      return { kind: 'logs', lines: engine.logs(project, { filter: choice.filter, follow: choice.follow, tail }, stop.signal), stop };
    }
    case 'item':
      switch (page.item) {
        case 'status':
          return { kind: 'report', rows: observed(engine.status(project).then(statusRows)) };
        case 'alembic-current':
        case 'alembic-history':
          return { kind: 'report', rows: observed(engine.alembic(project, page.item === 'alembic-current' ? 'current' : 'history').then(commandRows)) };
        case 'verify-schema':
          return { kind: 'report', rows: observed(engine.verifySchema(project).then(schemaRows)) };
        case 'backups':
          return { kind: 'report', rows: observed(engine.listBackups(project).then(backupRows)) };
        case 'history':
          return { kind: 'report', rows: observed(engine.history(project).then(historyRows)) };
        case 'migrate':
          return run((io) => engine.migrate(project, io));
        case 'recover':
          return run((io) => engine.recover(project, io));
        case 'backup':
          return run((io) => engine.backup(project, io));
        case 'logs':
        case 'restore':
          return NO_WORK; // reached through their own pages
      }
  }
}

export function stopWork(work: DoctorWork): void {
  if (work.kind === 'run' || work.kind === 'logs') work.stop.abort();
}
