// Colour for the text output: only on a terminal, never when NO_COLOR is set (no-color.org)
// or TERM is dumb, unless --color asks for it; --no-color always wins over the terminal.

export interface Styles {
  /** `file:line:col:` */
  place(text: string): string;
  code(text: string): string;
  error(text: string): string;
  warning(text: string): string;
  information(text: string): string;
  hint(text: string): string;
}

const same = (text: string) => text;
export const NO_STYLE: Styles = { place: same, code: same, error: same, warning: same, information: same, hint: same };

const sgr = (open: string) => (text: string) => `\x1b[${open}m${text}\x1b[0m`;
export const ANSI_STYLES: Styles = {
  place: sgr('1'),
  code: sgr('2'),
  error: sgr('1;31'),
  warning: sgr('33'),
  information: sgr('36'),
  hint: sgr('2'),
};

/**
 * Whether to colour: `flag` is --color (true) or --no-color (false) when given; otherwise
 * colour when the output is a terminal and the environment does not say no.
 */
export function wantColour(flag: boolean | undefined, output: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return output.isTTY === true;
}
