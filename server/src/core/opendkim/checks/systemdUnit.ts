// Just enough of systemd's unit-file syntax to read the ExecStart= lines of an
// opendkim.service drop-in (the override.conf that Debian's opendkim.service.generate
// writes): `[Section]` headers, `Key=Value` lines, `#`/`;` comments, backslash line
// continuation, and the command line split into words with "…"/'…' quoting.

import type { Range } from '../../types';
import { LineIndex } from '../../text/lines';

export interface CommandWord {
  text: string;
  range: Range;
}

/** One `ExecStart=` assignment of the [Service] section; `words` empty for the reset `ExecStart=`. */
export interface ExecStart {
  range: Range;
  words: CommandWord[];
}

/** The ExecStart= lines of a unit file or drop-in, in order. Never throws. */
export function readExecStarts(text: string): ExecStart[] {
  const index = new LineIndex(text);
  const out: ExecStart[] = [];
  let section = '';
  let i = 0;
  const n = Math.min(text.length, 1 << 20); // a drop-in is tiny; ignore junk beyond 1 MB
  while (i < n) {
    let end = i;
    while (end < n && text.charCodeAt(end) !== 10) end++;
    let lineEnd = end;
    // A line ending in "\" continues on the next one.
    while (lineEnd > i && text[lineEnd - 1] === '\\' && lineEnd < n) {
      let next = lineEnd + 1;
      while (next < n && text.charCodeAt(next) !== 10) next++;
      lineEnd = next;
    }
    const raw = text.slice(i, lineEnd);
    const start = i;
    i = lineEnd + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      section = trimmed.slice(1, close < 0 ? undefined : close);
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0 || section !== 'Service' || raw.slice(0, eq).trim() !== 'ExecStart') continue;
    const valueStart = start + eq + 1;
    out.push({
      range: { start: index.positionAt(start + raw.length - raw.trimStart().length), end: index.positionAt(start + raw.trimEnd().length) },
      words: splitCommand(text, valueStart, start + raw.length, index),
    });
  }
  return out;
}

/** Splits a command line into words (quotes removed), skipping the `-@:+!` prefixes of the program. */
function splitCommand(text: string, from: number, to: number, index: LineIndex): CommandWord[] {
  const words: CommandWord[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r'))) {
      i++;
      continue;
    }
    const ws = i;
    let value = '';
    while (i < to && !/[ \t\r\n]/.test(text[i])) {
      const q = text[i];
      if (q === '"' || q === "'") {
        const close = text.indexOf(q, i + 1);
        const stop = close < 0 || close >= to ? to : close;
        value += text.slice(i + 1, stop);
        i = stop + 1;
      } else {
        value += q;
        i++;
      }
    }
    if (words.length === 0) value = value.replace(/^[-@:+!]+/, '');
    words.push({ text: value, range: { start: index.positionAt(ws), end: index.positionAt(Math.min(i, to)) } });
    if (words.length > 200) break;
  }
  return words;
}

/** The command systemd runs: the last ExecStart= after the last reset (an empty ExecStart=). */
export function effectiveExecStart(lines: readonly ExecStart[]): ExecStart | undefined {
  let current: ExecStart | undefined;
  for (const l of lines) current = l.words.length === 0 ? undefined : l;
  return current;
}

/** The `-p socket` argument of an opendkim command line (the last one wins, as with getopt). */
export function socketArgument(exec: ExecStart): CommandWord | undefined {
  let found: CommandWord | undefined;
  const w = exec.words;
  for (let k = 1; k < w.length; k++) {
    if (w[k].text === '-p' && w[k + 1]) {
      found = w[k + 1];
      k++;
    } else if (w[k].text.startsWith('-p') && w[k].text.length > 2) {
      const r = w[k].range;
      found = { text: w[k].text.slice(2), range: { start: { line: r.start.line, character: r.start.character + 2 }, end: r.end } };
    }
  }
  return found;
}
