// Trimming runs of characters at the ends of a string with a loop. The regular expressions
// that do the same (/[…]+$/, /\s*\}$/) retry from every position of a long run that does
// not reach the end, which is quadratic: a 100 KB line of tabs takes seconds.

/** `text` without the characters at its end for which `drop` holds. */
export function trimEndWhile(text: string, drop: (ch: string) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text[end - 1])) end--;
  return text.slice(0, end);
}

/** `text` without the characters at its start for which `drop` holds. */
export function trimStartWhile(text: string, drop: (ch: string) => boolean): string {
  let start = 0;
  while (start < text.length && drop(text[start])) start++;
  return text.slice(start);
}

/** How many characters at the end of `text` satisfy `test`. */
export function trailingRun(text: string, test: (ch: string) => boolean): number {
  let end = text.length;
  while (end > 0 && test(text[end - 1])) end--;
  return text.length - end;
}

/** JavaScript's \s: what String.prototype.trim removes. */
export function isWhitespace(ch: string): boolean {
  return ch.trim() === '';
}
