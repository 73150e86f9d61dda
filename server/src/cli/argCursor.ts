// Walks a command's arguments the way every mailconf command reads them: `--name value`,
// `--name=value` and bare flags. One cursor, so each command only lists its options.

export class ArgCursor {
  private index = -1;
  /** The option at the cursor (`--name`, or the whole word when it is not an option). */
  name = '';
  /** The value written after `=` in `--name=value`, if any. */
  inline: string | undefined;

  constructor(private readonly args: readonly string[]) {}

  /** Moves to the next argument; false when none is left. */
  next(): boolean {
    if (++this.index >= this.args.length) return false;
    const a = this.args[this.index];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    this.name = eq > 0 ? a.slice(0, eq) : a;
    this.inline = eq > 0 ? a.slice(eq + 1) : undefined;
    return true;
  }

  /** The argument as written. */
  get word(): string {
    return this.args[this.index];
  }

  /** The option's value: after `=`, else the next word (consumed); undefined when missing. */
  value(): string | undefined {
    return this.inline !== undefined ? this.inline : this.args[++this.index];
  }

  /** Every following word up to the next `--option` (consumed). */
  following(): string[] {
    const out: string[] = [];
    while (this.index + 1 < this.args.length && !this.args[this.index + 1].startsWith('--')) out.push(this.args[++this.index]);
    return out;
  }
}
