// Line handling shared by every parser. All mail-stack programs accept LF; files copied
// from Windows bring CRLF and old Mac tools a lone CR, so all three end a line here.

export interface Line {
  /** Zero-based line number. */
  line: number;
  /** Offset of the first character of the line in the whole text. */
  start: number;
  /** The line's text without its line terminator. */
  text: string;
}

/** Splits text into lines without their terminators. A final terminator does not add an empty line. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || c === 13 /* \r */) {
      lines.push({ line: lineNo++, start, text: text.slice(start, i) });
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < n) lines.push({ line: lineNo, start, text: text.slice(start) });
  return lines;
}

/** Maps offsets to positions and back, for parsers that work on the whole text. */
export class LineIndex {
  /** Offset at which each line starts. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  positionAt(offset: number): { line: number; character: number } {
    offset = Math.max(0, Math.min(offset, this.text.length));
    // Between the CR and LF of a CRLF is still the end of the line: LSP has no column there.
    if (offset > 0 && this.text.charCodeAt(offset - 1) === 13 && this.text.charCodeAt(offset) === 10) offset--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(pos: { line: number; character: number }): number {
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.lineStart(pos.line) + Math.max(0, pos.character), this.text.length);
  }
}

/** True for the characters Postfix, OpenDKIM and zone files treat as blanks between words. */
export function isBlank(charCode: number): boolean {
  return charCode === 32 || charCode === 9;
}
