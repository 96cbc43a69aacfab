// The engine must never import the UI (design.md, rule 1). Fails the build when it does.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const forbidden = /from\s+['"](ink|react|ink-[\w-]+|react\/[\w-]+)['"]|from\s+['"][./]+(?:\.\.\/)*ui\//;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name)) {
      readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
        if (forbidden.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
      });
    }
  }
}
walk('src/engine');
if (offenders.length) {
  console.error('src/engine must not import ink, react or src/ui:\n' + offenders.join('\n'));
  process.exit(1);
}
