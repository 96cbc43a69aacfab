// The unified diff a user reviews before a deployment migration writes anything. Secrets never reach it: every value
// assigned to a secret-looking name (`MYSQL_PASSWORD=…`, `SECRET_KEY: …`) is shown as `***` unless it is only a
// `${VAR}` reference, and every value the redactor knows (generated secrets, `.env` secrets) is masked wherever it
// appears, context lines included.
import { createTwoFilesPatch } from 'diff';
import { isSecretName, type Redactor } from '../secrets.js';

export interface FileChange {
  /** Shown in the diff header, e.g. `docker-compose.yml`. */
  label: string;
  /** null: the file does not exist. */
  before: string | null;
  after: string | null;
}

// `KEY=value`, `export KEY=value`, `KEY: value`, `- KEY=value`, `"KEY": value`, after the diff's ` `/`+`/`-` column.
const ASSIGNMENT = /^(\s*(?:-\s+)?(?:export\s+)?(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2\s*[=:][ \t]*)(\S.*)$/;
const ONLY_REFERENCES = /^(["']?)(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+\1$/;

function maskSecretAssignment(line: string): string {
  const marker = line[0];
  if ((marker !== ' ' && marker !== '+' && marker !== '-') || line.startsWith('+++') || line.startsWith('---')) return line;
  const match = ASSIGNMENT.exec(line.slice(1));
  if (!match || !isSecretName(match[3]!) || ONLY_REFERENCES.test(match[4]!.trim())) return line;
  return `${marker}${match[1]}***`;
}

export function redactedPatch(changes: FileChange[], redactor: Redactor): string {
  const patches = changes
    .filter((c) => c.before !== c.after)
    .map((c) =>
      createTwoFilesPatch(
        c.before === null ? '/dev/null' : `a/${c.label}`,
        c.after === null ? '/dev/null' : `b/${c.label}`,
        c.before ?? '',
        c.after ?? '',
        undefined,
        undefined,
        { context: 3 },
      ),
    );
  // Drop the `===` separator line createTwoFilesPatch starts with: `git diff` does not have it either.
  const text = patches.map((p) => p.replace(/^=+\n/, '')).join('');
  return redactor.redactText(text.split('\n').map(maskSecretAssignment).join('\n'));
}
