// A copy of this checkout in a directory of the test's own, for the tests that run `npm pack`: its `prepare` runs
// `tsc`, which rewrites every file of dist/ in place (truncate, then write). In the checkout itself that would rewrite
// the dist/ that every other integration file is running at that moment (bin/glowworm imports it), and a process
// starting then can read a half-written module. The copy packs exactly what the checkout would: the same sources,
// package.json, .gitignore and .dockerignore, with its own dist/ built by its own prepare; node_modules is a link to
// the checkout's (read only by tsc and npm).
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

// What is built or installed here, never part of what `npm pack` reads from the sources.
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', '.image', '.rig-cache', 'coverage', '.scratch']);

export interface PrivateCheckout {
  dir: string;
  remove(): void;
}

export function privateCheckout(name: string): PrivateCheckout {
  const dir = mkdtempSync(join(tmpdir(), `gw-${name}-checkout-`));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const top = relative(ROOT, src).split(sep)[0]!;
      return !NOT_COPIED.has(top);
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
