// How the mailconf commands answer -h/--help and usage errors: the usage on stdout and exit
// status 0 for help; `mailconf: <what is wrong>` and the usage on stderr and status 2 for a
// usage error. Each command's parser returns its arguments, 'help' or the error's text.

export type Write = (s: string) => void;

const toStdout: Write = (s) => { process.stdout.write(s); };
const toStderr: Write = (s) => { process.stderr.write(s); };

/** The arguments the parser read, or the exit status once help or the usage error is printed. */
export function argsOrExit<T extends object>(parsed: T | 'help' | string, usage: string, write: Write = toStdout, writeError: Write = toStderr): T | number {
  if (parsed === 'help') { write(usage); return 0; }
  if (typeof parsed === 'string') { writeError(`mailconf: ${parsed}\n${usage}`); return 2; }
  return parsed;
}

/**
 * The words after the only subcommand of a command (`dkim generate`, `dmarc generate`), or
 * the exit status once the usage is printed: none given 2, -h/--help 0, another word 2.
 */
export function onlySubcommandArgs(args: string[], command: string, subcommand: string, usage: string): string[] | number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    process.stdout.write(usage);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== subcommand) {
    process.stderr.write(`mailconf: unknown ${command} command "${sub}"\n${usage}`);
    return 2;
  }
  return rest;
}
