// Watches every process's command line on this host while a test runs: /proc/*/cmdline, which includes the
// processes inside containers (they are host processes in other namespaces). What `ps aux` shows any local user is
// what we record, so a secret in argv — even for the few milliseconds a curl lives — is caught. The scan runs in a
// worker thread, so the test's event loop (reading the CLI's events) never delays it.
import { Worker } from 'node:worker_threads';

const SCANNER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const stop = new Int32Array(workerData.stop);
const seen = new Set();
let scans = 0;
while (Atomics.load(stop, 0) === 0) {
  for (const pid of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const text = readFileSync('/proc/' + pid + '/cmdline', 'latin1').replace(/\\0+$/, '').replace(/\\0/g, ' ');
      if (text) seen.add(text);
    } catch {}
  }
  scans += 1;
  Atomics.wait(stop, 0, 0, workerData.intervalMs);
}
parentPort.postMessage({ scans, cmdlines: [...seen] });
`;

export interface CmdlineWatch {
  /** Stop scanning; every distinct command line seen, and how many scans ran. */
  stop(): Promise<{ scans: number; cmdlines: string[] }>;
}

export function watchCmdlines(intervalMs = 10): CmdlineWatch {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SCANNER, { eval: true, workerData: { stop: flag, intervalMs } });
  const result = new Promise<{ scans: number; cmdlines: string[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      const view = new Int32Array(flag);
      Atomics.store(view, 0, 1);
      Atomics.notify(view, 0);
      return result;
    },
  };
}
