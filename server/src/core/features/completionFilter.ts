// Which completion items an editor can still show for what the user has typed. Editors
// filter a completion list themselves with a fuzzy match. VS Code's: the typed word's first
// character must match the item's text at a word start (the start, after `_`, `-`, `.` …,
// or a capital), the other characters follow in order, and in lists of up to 2,000 items
// two neighbouring characters after the first may be swapped. Prefix filters (Neovim, Emacs)
// show fewer. The server keeps the items that can pass any of these — a superset — so a long
// list (main.cf's 5,000 parameter names) shrinks as soon as a character is typed, and
// nothing an editor would show goes missing.

/**
 * Whether `text` (an item's filter text or label) can match `typed` in an editor's fuzzy
 * filter: `typed`'s first character at a word start of `text`, each of its other characters
 * somewhere after it (ignoring case).
 */
export function mayMatchTyped(text: string, typed: string): boolean {
  if (typed.length === 0) return true;
  if (typed.length > text.length) return false;
  const lowText = text.toLowerCase();
  const lowTyped = typed.toLowerCase();
  const first = lowTyped.charCodeAt(0);
  for (let i = 0; i <= lowText.length - lowTyped.length; i++) {
    if (lowText.charCodeAt(i) === first && isWordStart(text, i) && restOccursAfter(lowText, i + 1, lowTyped)) return true;
  }
  return false;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** The start, a separator itself, the character after one, or a capital after a small letter. */
function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i);
  const before = text.charCodeAt(i - 1);
  return !isAlphanumeric(c) || !isAlphanumeric(before) || (isUpper(c) && !isUpper(before));
}

/** Every character of `typed` after its first occurs in `text` from `from` on. */
function restOccursAfter(text: string, from: number, typed: string): boolean {
  for (let k = 1; k < typed.length; k++) {
    if (text.indexOf(typed[k], from) < 0) return false;
  }
  return true;
}
