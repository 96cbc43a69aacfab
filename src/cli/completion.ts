// `glowworm completion bash|zsh`: a shell completion script for the commands, their flags and subcommands. The flags
// are read from each command's own --help text when the script is made, so the script names what the installed
// version accepts and a flag added to a command's help needs no second list here.
import { userError } from '../engine/errors.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

export const COMPLETION_HELP = `Usage: glowworm completion bash|zsh

Prints a completion script for the shell (commands, their flags and subcommands; files and directories where an
option takes one). Install it once:

  bash:  glowworm completion bash > /etc/bash_completion.d/glowworm       (or: source <(glowworm completion bash))
  zsh:   glowworm completion zsh > "\${fpath[1]}/_glowworm"               (or: source <(glowworm completion zsh))`;

export interface CommandCompletion {
  name: string;
  description: string;
  flags: string[];
  /** Subcommands or verbs (doctor status, deploy-migrations pending …), completed as the word after the command. */
  words: string[];
}

/** Options whose value is a directory, or a file; the shell completes paths after them. */
const DIR_OPTIONS = ['--project-dir', '--project-directory'];
const FILE_OPTIONS = ['-f', '--file', '--env-file'];

/** Every flag a help text names (`--to`, `-f`), in order of first mention, with --help and --version. */
export function flagsIn(help: string): string[] {
  const found = help.match(/(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g) ?? [];
  return [...new Set([...found, '--help', '--version'])];
}

/**
 * The subcommands a help text lists: only when its usage line puts a verb after the command (`glowworm doctor
 * SUBCOMMAND`, `glowworm deploy-migrations pending`), the two-space-indented words of its table.
 */
export function wordsIn(command: string, help: string): string[] {
  if (!new RegExp(`glowworm ${command} (SUBCOMMAND|[a-z])`).test(help)) return [];
  return [...new Set([...help.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]!))];
}

/** `shared`: the options every command takes whether or not its help text repeats them. */
export function commandCompletion(name: string, description: string, help: string, shared: string[] = []): CommandCompletion {
  return { name, description, flags: [...new Set([...flagsIn(help), ...shared])], words: wordsIn(name, help) };
}

/** The `completion` command itself, described like the others. */
export const SELF: CommandCompletion = { name: 'completion', description: 'Print a shell completion script (bash, zsh)', flags: ['--help', '--version'], words: [...SHELLS] };

// Shell words are ours (command and flag names): [a-z0-9-] only, so they need no quoting; descriptions do (zsh).
function zshQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function bashScript(commands: CommandCompletion[]): string {
  const cases = commands.map((c) => `    ${c.name}) opts="${c.flags.join(' ')}"; verbs="${c.words.join(' ')}" ;;`);
  return `# bash completion for glowworm; made by \`glowworm completion bash\`
_glowworm() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts="" verbs=""
  case "$prev" in
    ${DIR_OPTIONS.join('|')}) COMPREPLY=( $(compgen -d -- "$cur") ); return ;;
    ${FILE_OPTIONS.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  elif [ "$COMP_CWORD" -eq 2 ] && [ -n "$verbs" ]; then
    COMPREPLY=( $(compgen -W "$verbs" -- "$cur") )
  fi
}
# -o default: a word that is no flag or subcommand (restore FILE) completes as a file name.
complete -o default -F _glowworm glowworm
`;
}

export function zshScript(commands: CommandCompletion[]): string {
  const described = commands.map((c) => `    ${zshQuote(`${c.name}:${c.description.replace(/:/g, '\\:')}`)}`);
  const cases = commands.map((c) => `    ${c.name}) opts=(${c.flags.join(' ')}); verbs=(${c.words.join(' ')}) ;;`);
  return `#compdef glowworm
# zsh completion for glowworm; made by \`glowworm completion zsh\`
_glowworm() {
  local -a commands opts verbs
  commands=(
${described.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'glowworm command' commands
    return
  fi
  case "\${words[CURRENT-1]}" in
    ${DIR_OPTIONS.join('|')}) _files -/; return ;;
    ${FILE_OPTIONS.join('|')}) _files; return ;;
  esac
  case "\${words[2]}" in
${cases.join('\n')}
  esac
  if [[ "$PREFIX" == -* ]]; then
    compadd -- $opts
  elif (( CURRENT == 3 && \${#verbs} )); then
    compadd -- $verbs
  else
    _files
  fi
}
# In $fpath (autoloaded as _glowworm) the file is the function's body: run it; sourced, register it.
if [ "$funcstack[1]" = "_glowworm" ]; then
  _glowworm "$@"
else
  compdef _glowworm glowworm
fi
`;
}

export function parseShell(argv: string[]): Shell {
  const [shell, ...extra] = argv;
  if (!shell || !(SHELLS as readonly string[]).includes(shell) || extra.length) {
    throw userError('usage.completion-shell', `glowworm completion takes one shell: ${SHELLS.join(' or ')}${shell ? ` (got "${argv.join(' ')}")` : ''}.`,
      'Run "glowworm completion bash" or "glowworm completion zsh"; "glowworm completion --help" says how to install it.');
  }
  return shell as Shell;
}

export function completionScript(shell: Shell, commands: CommandCompletion[]): string {
  return shell === 'bash' ? bashScript(commands) : zshScript(commands);
}

/** What `run` writes on stdout, kept from the terminal: a command's --help text, read by running it. */
export async function captureStdout(run: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return text;
}
