// `glowworm doctor`: a menu of read-only reports and guarded actions. Navigation is a pure reducer; opening a page
// starts what it needs from the engine (start-work.ts) and closing it stops that.
import { useApp } from 'ink';
import { useEffect, useReducer, useState } from 'react';
import type { EngineApi, ProjectOptions } from '../../../engine/api.js';
import type { BatchOptions } from '../../hooks/consume-in-batches.js';
import { useKeys } from '../../hooks/use-keys.js';
import type { QuestionBridge } from '../../question-bridge.js';
import { LOG_CHOICES, doctorItem } from '../../state/doctor-items.js';
import { doctorReducer, INITIAL_DOCTOR } from '../../state/doctor-state.js';
import { DoctorMenu } from './DoctorMenu.js';
import { LogChoicePage } from './LogChoicePage.js';
import { LogsPage } from './LogsPage.js';
import { ReportPage } from './ReportPage.js';
import { RestorePickPage } from './RestorePickPage.js';
import { RunPage } from './RunPage.js';
import { NO_WORK, startWork, stopWork, type DoctorWork } from './start-work.js';

export interface DoctorAppProps {
  engine: EngineApi;
  project: ProjectOptions;
  questions: QuestionBridge;
  onLeave: () => void;
  batching?: Partial<BatchOptions>;
}

export function DoctorApp({ engine, project, questions, onLeave, batching }: DoctorAppProps) {
  const [state, dispatch] = useReducer(doctorReducer, INITIAL_DOCTOR);
  const [work, setWork] = useState<DoctorWork>(NO_WORK);
  const { exit } = useApp();
  const page = state.page;
  const pageKey = JSON.stringify(page);
  const back = () => dispatch({ type: 'back' });

  useEffect(() => {
    const started = startWork(page, engine, project, questions);
    setWork(started);
    return () => stopWork(started);
  }, [pageKey]); // eslint-disable-line react-hooks/exhaustive-deps -- the page is the identity of the work

  // The overview is read once at the start: a crash-looping backend puts `recover` first. A status that cannot be
  // read changes nothing here (the status item says why).
  useEffect(() => {
    Promise.resolve().then(() => engine.status(project)).then((r) => {
      if ((r as { attention?: { crashLoop?: unknown } }).attention?.crashLoop) dispatch({ type: 'crash-loop-found' });
    }, () => undefined);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once

  useEffect(() => {
    if (!state.leaving) return;
    onLeave();
    exit();
  }, [state.leaving]); // eslint-disable-line react-hooks/exhaustive-deps -- once

  // Ctrl-C stops a run at its next safe point (a second one goes back), stops a log stream, or else goes back.
  const interrupt = () => {
    if (work.kind === 'run' && !work.stop.signal.aborted) work.stop.abort();
    else back();
  };
  useKeys({ interrupt });

  switch (page.name) {
    case 'menu':
      return <DoctorMenu items={state.items} crashLoop={state.crashLoop} selected={state.menu} projectDir={project.projectDir} onUp={() => dispatch({ type: 'up' })} onDown={() => dispatch({ type: 'down' })} onOpen={() => dispatch({ type: 'enter' })} onLeave={back} />;
    case 'log-choice':
      return <LogChoicePage selected={state.pick} onUp={() => dispatch({ type: 'up' })} onDown={() => dispatch({ type: 'down' })} onOpen={() => dispatch({ type: 'enter' })} onBack={back} />;
    case 'logs':
      return work.kind === 'logs' ? <LogsPage key={pageKey} choice={LOG_CHOICES[page.choice]!} lines={work.lines} onBack={back} batching={batching} /> : null;
    case 'restore-pick':
      return work.kind === 'backups' ? (
        <RestorePickPage list={work.list} selected={state.pick} onUp={() => dispatch({ type: 'up' })} onDown={(count) => dispatch({ type: 'down', count })}
          onPick={(files) => dispatch({ type: 'pick-backup', files })} onBack={back} />
      ) : null;
    case 'restore-run':
      return work.kind === 'run' ? <RunPage key={pageKey} item={doctorItem('restore')} events={work.events} questions={questions} onBack={back} batching={batching} /> : null;
    case 'item': {
      const item = doctorItem(page.item);
      if (work.kind === 'report') return <ReportPage key={pageKey} item={item} rows={work.rows} onBack={back} />;
      if (work.kind === 'run') return <RunPage key={pageKey} item={item} events={work.events} questions={questions} onBack={back} batching={batching} />;
      return null;
    }
  }
}
