// Turning the tag-list problems into findings, shared by the DKIM, DMARC, MTA-STS and
// TLS-RPT checkers: each format names its codes and says how serious each problem is for
// its readers (a DKIM verifier rejects the whole key record, a DMARC receiver skips a
// broken part), and the messages are worded once here.

import type { Finding, Range, Severity } from '../../types';
import { closestMatches } from '../../text/editDistance';
import type { RecordText } from '../recordText';
import type { Tag, TagList, TagProblemKind } from './tagList';

export interface TagFormat {
  /** "DKIM key record", "DMARC record" … */
  label: string;
  syntaxCode: string;
  duplicateCode: string;
  unknownCode: string;
  /** How serious a malformed tag list is for this format's readers. */
  syntaxSeverity(kind: Exclude<TagProblemKind, 'duplicate'>): Severity;
  duplicateSeverity: Severity;
  /** What readers do with a malformed list, appended to the message ("Verifiers … reject the whole record."). */
  syntaxConsequence: string;
  duplicateConsequence: string;
  /** The tags this format defines (compared as the list compares names). */
  knownTags: readonly string[];
  /** Names the format allows (default RFC 6376's ALPHA *(ALPHA / DIGIT / "_")). */
  validName?: RegExp;
  /** Tag names compared case-insensitively (DMARC). */
  caseInsensitiveNames?: boolean;
}

const RFC6376_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function finding(rec: RecordText, start: number, end: number, severity: Severity, code: string, message: string): Finding {
  return { range: rec.rangeOf(start, end), severity, code, message };
}

/** Shows a piece of record text in a message: `text`, shortened when long. */
export function quote(text: string, max = 40): string {
  const shown = text.length > max ? text.slice(0, max - 1) + '…' : text;
  return '`' + shown.replace(/`/g, "'") + '`';
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || cp === 0x7f) return `the control character ${hex}`;
  if (cp === 0x201c || cp === 0x201d || cp === 0x201e || cp === 0x2018 || cp === 0x2019) {
    return `the typographic quote \`${ch}\` (${hex}, usually copied from a web page or word processor)`;
  }
  if (cp === 0xa0) return 'a non-breaking space (U+00A0, usually copied from a web page)';
  return `\`${ch}\` (${hex})`;
}

/** Findings for the malformed parts of the list: syntax, duplicates. */
export function tagListFindings(rec: RecordText, list: TagList, format: TagFormat): Finding[] {
  const out: Finding[] = [];
  const text = rec.value;
  for (const p of list.problems) {
    // Formats with a wider name grammar (MTA-STS, TLS-RPT extensions) accept what RFC 6376 does not.
    if (p.kind === 'bad-name' && p.name && format.validName?.test(p.name)) continue;
    switch (p.kind) {
      case 'empty-tag':
        out.push(finding(rec, p.start, p.end, format.syntaxSeverity(p.kind), format.syntaxCode,
          `Empty tag in the ${format.label}: a \`;\` with no \`tag=value\` before it. ${format.syntaxConsequence} Remove the extra \`;\`.`));
        break;
      case 'missing-equals':
        out.push(finding(rec, p.start, p.end, format.syntaxSeverity(p.kind), format.syntaxCode,
          `${quote(text.slice(p.start, p.end))} is not a \`tag=value\` pair: every part of a ${format.label} between \`;\` must be one. ${format.syntaxConsequence} Add the missing tag name and \`=\`, or remove the text.`));
        break;
      case 'bad-name':
        out.push(finding(rec, p.start, p.end, format.syntaxSeverity(p.kind), format.syntaxCode,
          `${p.name ? quote(p.name) + ' is not a valid tag name' : 'A tag has no name'}: tag names start with a letter and contain only letters, digits and \`_\`. ${format.syntaxConsequence}`));
        break;
      case 'bad-character': {
        const ch = String.fromCodePoint(text.codePointAt(p.start)!);
        out.push(finding(rec, p.start, p.end, format.syntaxSeverity(p.kind), format.syntaxCode,
          `The value of \`${p.name}\` contains ${describeChar(ch)}: tag values may contain only printable ASCII characters and blanks. ${format.syntaxConsequence} Retype the value in plain ASCII.`));
        break;
      }
      case 'backslash-separator':
        out.push(finding(rec, p.start, p.end, format.syntaxSeverity(p.kind), format.syntaxCode,
          `The value of \`${p.name}\` ends with a backslash before \`;\`. \`dig\` prints \`;\` as \`\\;\`, but here the backslash is part of the published record (a zone file writes a plain \`;\` inside quotes, or \`\\;\`; \`\\\\;\` publishes the backslash). Readers take the backslash as part of the value. Remove it.`));
        break;
      case 'duplicate':
        out.push(finding(rec, p.start, p.end, format.duplicateSeverity, format.duplicateCode,
          `\`${p.name}\` appears more than once in the ${format.label}. ${format.duplicateConsequence} Keep one \`${p.name}=\`.`));
        break;
    }
  }
  return out;
}

/** Findings for tags the format does not define: a likely typo is a warning, anything else information. */
export function unknownTagFindings(rec: RecordText, list: TagList, format: TagFormat, ignoredBecause: string,
  notes: Readonly<Record<string, string>> = {}): Finding[] {
  const out: Finding[] = [];
  const fold = format.caseInsensitiveNames === true;
  const known = new Set(format.knownTags.map((t) => (fold ? t.toLowerCase() : t)));
  for (const tag of list.tags) {
    const key = fold ? tag.name.toLowerCase() : tag.name;
    // A name that is malformed already has a syntax finding.
    if (known.has(key) || !(format.validName ?? RFC6376_NAME).test(tag.name)) continue;
    const note = notes[tag.name.toLowerCase()];
    const lower = tag.name.toLowerCase();
    let suggestion: string | undefined;
    if (!fold && known.has(lower)) suggestion = lower;
    else if (tag.name.length >= 3) suggestion = closestMatches(lower, format.knownTags, { maxDistance: 1, limit: 1 })[0];
    const range = rec.rangeOf(tag.start, tag.nameEnd);
    if (suggestion !== undefined) {
      out.push({ range, severity: 'warning', code: format.unknownCode,
        message: `Unknown tag \`${tag.name}\` in the ${format.label}; did you mean \`${suggestion}\`? ${ignoredBecause} so this setting has no effect${!fold && lower === suggestion ? ' (tag names are case-sensitive)' : ''}.` });
    } else {
      out.push({ range, severity: 'information', code: format.unknownCode,
        message: note ?? `Unknown tag \`${tag.name}\` in the ${format.label}. ${ignoredBecause}.` });
    }
  }
  return out;
}

/**
 * The document range of value[start, end) when it can be replaced by plain text: one line,
 * no escapes and no string break inside (the document shows exactly the value's characters).
 */
export function editableRange(rec: RecordText, start: number, end: number): Range | undefined {
  const r = rec.rangeOf(start, end);
  if (r.start.line !== r.end.line || r.end.character - r.start.character !== end - start) return undefined;
  if (rec.breaks?.some((b) => b > start && b < end)) return undefined;
  return r;
}

/** Where the version tag stands relative to the rules "first, exactly this value". */
export type VersionState =
  | { state: 'ok'; tag: Tag }
  | { state: 'absent' }
  | { state: 'not-first'; tag: Tag }
  | { state: 'wrong-value'; tag: Tag; caseOnly: boolean };

export function versionState(list: TagList, expected: string): VersionState {
  const tag = list.get('v');
  if (!tag) return { state: 'absent' };
  if (list.tags[0] !== tag) return { state: 'not-first', tag };
  if (tag.value !== expected) return { state: 'wrong-value', tag, caseOnly: tag.value.toLowerCase() === expected.toLowerCase() };
  return { state: 'ok', tag };
}

/** The whole record's range, trimmed of surrounding blanks (for findings about the record as such). */
export function wholeRecord(rec: RecordText): [number, number] {
  const v = rec.value;
  let s = 0, e = v.length;
  while (s < e && /\s/.test(v[s])) s++;
  while (e > s && /\s/.test(v[e - 1])) e--;
  return e > s ? [s, e] : [0, v.length];
}

/** The labels of an owner name, lower-cased, without a trailing dot. */
export function ownerLabels(owner: string): string[] {
  const o = owner.endsWith('.') ? owner.slice(0, -1) : owner;
  return o === '' ? [] : o.toLowerCase().split('.');
}

/**
 * True when labels[from..] is one domain written twice (`example.com.example.com`): the
 * classic zone-file slip of a name without its trailing dot, which BIND completes with the
 * origin a second time.
 */
export function domainWrittenTwice(labels: readonly string[], from: number): boolean {
  const rest = labels.length - from;
  if (rest < 4 || rest % 2 !== 0) return false;
  const half = rest / 2;
  for (let i = 0; i < half; i++) if (labels[from + i] !== labels[from + half + i]) return false;
  return true;
}
