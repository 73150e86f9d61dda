// Progress of a long `mailconf check` on stderr (never stdout, which carries the results):
// on a terminal one line that rewrites itself ("checked 12/40 files"), shown only once the
// run has taken a moment so short runs print nothing; with --progress also off a terminal,
// as plain lines. --quiet turns it off.

export interface ProgressOptions {
  /** Where the line goes (stderr). */
  stream: { write(text: string): unknown; isTTY?: boolean };
  /** 'auto': only on a terminal, after `delayMs`; 'always': from the first update; 'never'. */
  mode: 'auto' | 'always' | 'never';
  /** Quiet time before an 'auto' line appears. */
  delayMs?: number;
  /** Least time between two updates of the line. */
  intervalMs?: number;
  now?: () => number;
}

export class Progress {
  private readonly started: number;
  private lastShown = -Infinity;
  private lastText = '';
  /** Whether a rewritable line is on the terminal now. */
  private lineOpen = false;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.tty = options.stream.isTTY === true;
  }

  /** Shows `text` now or soon; `final` updates (the end of a phase) are always shown once visible. */
  update(text: string, final = false): void {
    const { mode } = this.options;
    if (mode === 'never' || (mode === 'auto' && !this.tty)) return;
    const t = this.now();
    if (mode === 'auto' && t - this.started < (this.options.delayMs ?? 500)) return;
    // Plain lines (a log, a pipe) come at most once a second; the terminal line ten times.
    const interval = this.options.intervalMs ?? (this.tty ? 100 : 1000);
    if (!final && t - this.lastShown < interval) return;
    if (text === this.lastText) return;
    this.lastShown = t;
    this.lastText = text;
    if (this.tty) {
      this.options.stream.write(`\r\x1b[2K${text}`);
      this.lineOpen = true;
    } else {
      this.options.stream.write(`${text}\n`);
    }
  }

  /** Clears the terminal line, so what follows starts on a clean line. */
  done(): void {
    if (this.lineOpen) this.options.stream.write('\r\x1b[2K');
    this.lineOpen = false;
  }
}
