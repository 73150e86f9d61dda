// master.cf: one service per logical line, eight blank-separated fields
//
//     service type private unpriv chroot wakeup maxproc command [args…]
//
// with arguments continued on indented lines. The field rules are the ones master(8)
// and `postconf -M` enforce (both stop with a fatal error on a bad field). Arguments are
// split like Postfix does it: at blanks, except inside `{ … }`. Leading `-o name=value`
// or `-o { name = value }` options override main.cf for this service; the first
// argument that is not an option ends them (after it come pipe(8)/spawn(8) attributes
// such as `user=…` and `argv=…`).

import type { Finding, Fix } from '../types';
import { scanLogicalLines, isSpace, type LogicalLine } from './logicalLines';
import { parseValue } from './valueParser';
import { matchBrace } from './lookupTables';
import { makeFinding, quote } from './findings';
import { startsWithTemplateTag, templateLineFinding } from './template';
import { checkParameterName } from './parameterNames';
import type { MasterCfTree, Service, ServiceAttribute, ServiceOption, Token } from './tree';

export interface MasterCfParse {
  tree: MasterCfTree;
  findings: Finding[];
}

export const SERVICE_TYPES: readonly string[] = ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'];

const FIELD_NAMES = ['service name', 'service type', 'private', 'unpriv', 'chroot', 'wakeup', 'maxproc', 'command'];

/** A token of a logical line: text[start, end). */
interface Span {
  start: number;
  end: number;
}

export function parseMasterCf(text: string): MasterCfParse {
  const scan = scanLogicalLines(text, 'service', 'master');
  const findings = scan.findings;
  const tree: MasterCfTree = {
    kind: 'postfix-master',
    services: [],
    comments: scan.comments,
    invalidLines: [],
    templateLines: [],
    lineCount: scan.lineCount,
  };
  for (const line of scan.lines) {
    const spans = tokenize(line.text);
    if (spans.length === 0) continue;
    if (startsWithTemplateTag(line.text)) {
      const range = line.rangeOf(0, spans[spans.length - 1].end);
      tree.templateLines.push(range);
      findings.push(templateLineFinding(range));
      continue;
    }
    const service = parseService(line, spans, findings);
    tree.services.push(service);
    if (spans.length < 8) tree.invalidLines.push(service.range);
  }
  return { tree, findings };
}

/** Blank-separated tokens; blanks inside `{ … }` do not separate (Postfix's mystrtokq). */
function tokenize(text: string): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 13) {
      i++;
      continue;
    }
    const start = i;
    let level = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 123) level++;
      else if (d === 125 && level > 0) level--;
      else if (level === 0 && (isSpace(d) || d === 13)) break;
      i++;
    }
    spans.push({ start, end: i });
  }
  return spans;
}

function tokenOf(line: LogicalLine, s: Span): Token {
  return { text: line.text.slice(s.start, s.end), range: line.rangeOf(s.start, s.end) };
}

function parseService(line: LogicalLine, spans: Span[], findings: Finding[]): Service {
  const fields = spans.slice(0, 8).map((s) => tokenOf(line, s));
  const service: Service = {
    name: fields[0],
    type: fields[1],
    private: fields[2],
    unprivileged: fields[3],
    chroot: fields[4],
    wakeup: fields[5],
    maxproc: fields[6],
    command: fields[7],
    args: spans.slice(8).map((s) => tokenOf(line, s)),
    options: [],
    attributes: [],
    argv: [],
    range: line.rangeOf(spans[0].start, spans[spans.length - 1].end),
  };
  if (spans.length < 8) {
    const missing = FIELD_NAMES.slice(spans.length).join(', ');
    findings.push(makeFinding('master/field-count', 'error', service.range,
      `This service has ${spans.length} field${spans.length === 1 ? '' : 's'}, but a master.cf entry needs 8: ` +
      `service name, type, private, unpriv, chroot, wakeup, maxproc and command. Missing: ${missing}. ` +
      'Postfix refuses to start ("bad field count" / "missing field"). Use `-` for a default value.'));
  }
  checkFields(service, findings);
  parseArguments(line, spans.slice(8), service, findings);
  return service;
}

function replaceFix(title: string, token: Token, newText: string): Fix[] {
  return [{ title, preferred: true, edits: [{ range: token.range, newText }] }];
}

function checkFields(s: Service, findings: Finding[]): void {
  if (s.type && !SERVICE_TYPES.includes(s.type.text)) {
    const lower = s.type.text.toLowerCase();
    findings.push(makeFinding('master/unknown-service-type', 'error', s.type.range,
      `${quote(s.type.text)} is not a service type. Valid types are inet, unix, unix-dgram, fifo and pass; ` +
      'Postfix refuses to start with "bad transport type".',
      SERVICE_TYPES.includes(lower) ? replaceFix(`Change to \`${lower}\``, s.type, lower) : undefined));
  }
  const yesNo: Array<[Token | undefined, string]> = [[s.private, 'private'], [s.unprivileged, 'unpriv'], [s.chroot, 'chroot']];
  for (const [tok, label] of yesNo) {
    if (!tok || tok.text === 'y' || tok.text === 'n' || tok.text === '-') continue;
    const lower = tok.text.toLowerCase();
    const fixTo = lower === 'yes' || lower === 'y' ? 'y' : lower === 'no' || lower === 'n' ? 'n' : undefined;
    findings.push(makeFinding('master/bad-yes-no-field', 'error', tok.range,
      `The ${label} field must be \`y\`, \`n\` or \`-\` (the default), not ${quote(tok.text, 20)}. ` +
      'Postfix refuses to start with "bad value".',
      fixTo ? replaceFix(`Change to \`${fixTo}\``, tok, fixTo) : undefined));
  }
  if (s.type?.text === 'inet' && s.private && (s.private.text === 'y' || s.private.text === '-')) {
    findings.push(makeFinding('master/inet-private', 'error', s.private.range,
      `An inet service cannot be private, and \`${s.private.text}\` ${s.private.text === '-' ? '(the default) ' : ''}means ` +
      'private = yes. master(8) refuses to start with "inet service cannot be private". Write `n`.',
      replaceFix('Change to `n`', s.private, 'n')));
  }
  if (s.wakeup && !isWakeup(s.wakeup.text)) {
    findings.push(makeFinding('master/bad-wakeup-field', 'error', s.wakeup.range,
      `The wakeup field must be a number of seconds, optionally followed by \`?\` (wake only a used service), ` +
      `or \`-\`; ${quote(s.wakeup.text, 20)} is not. Postfix refuses to start with "bad value".`));
  }
  if (s.maxproc && s.maxproc.text !== '-' && !isDigits(s.maxproc.text)) {
    findings.push(makeFinding('master/bad-maxproc-field', 'error', s.maxproc.range,
      `The maxproc field must be a number (0 = no limit) or \`-\` (default_process_limit); ${quote(s.maxproc.text, 20)} ` +
      'is not. Postfix refuses to start with "bad value".'));
  }
}

function isDigits(t: string): boolean {
  if (t.length === 0) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isWakeup(t: string): boolean {
  if (t === '-') return true;
  return isDigits(t.endsWith('?') ? t.slice(0, -1) : t);
}

function startsWith(line: LogicalLine, s: Span, c: number): boolean {
  return line.text.charCodeAt(s.start) === c;
}

const DASH = 45;
const HASH = 35;

function parseArguments(line: LogicalLine, args: Span[], service: Service, findings: Finding[]): void {
  const text = line.text;
  for (const a of args) {
    if (startsWith(line, a, HASH)) {
      findings.push(makeFinding('master/comment-in-arguments', 'warning', line.rangeOf(a.start, a.end),
        `${quote(text.slice(a.start, a.end), 30)} is not a comment: \`#\` starts a comment only as the first ` +
        'non-blank character of a line. Postfix passes it and the words after it to the command as arguments, ' +
        'which most commands reject. Move the comment to a line of its own.'));
      break;
    }
  }

  // Leading options, as postconf(1) reads them: they end at the first non-option or `--`.
  let k = 0;
  while (k < args.length) {
    const a = args[k];
    const t = text.slice(a.start, a.end);
    if (t.charCodeAt(0) !== DASH || t === '--' || t.length < 2) {
      if (t === '--') k++;
      break;
    }
    const oAt = t.indexOf('o', 1);
    if (oAt < 0) {
      k++; // a flag such as -v or -D
      continue;
    }
    const flag: Span = oAt === 1 ? { start: a.start, end: a.start + 2 } : { start: a.start + oAt, end: a.start + oAt + 1 };
    let valueSpan: Span | undefined;
    let consumed: number;
    if (a.start + oAt + 1 < a.end) {
      valueSpan = { start: a.start + oAt + 1, end: a.end };
      consumed = 1;
    } else if (k + 1 < args.length) {
      valueSpan = args[k + 1];
      consumed = 2;
    } else {
      findings.push(makeFinding('master/option-missing-value', 'error', line.rangeOf(flag.start, flag.end),
        '`-o` must be followed by `name=value`. The service fails to start ("option requires an argument"). ' +
        'Add the setting or remove the `-o`.'));
      k++;
      continue;
    }
    const option = parseOption(line, flag, valueSpan, args, k + consumed, findings);
    if (option) service.options.push(option);
    k += consumed;
    // `-o name=a, b`: the blank made `b` a separate argument, which is passed to the daemon.
    if (option && !option.braced && (option.value.text === '' || option.value.text.endsWith(',')) && k < args.length
        && !startsWith(line, args[k], DASH) && !startsWith(line, args[k], HASH)) {
      const stray = args[k];
      findings.push(makeFinding('master/option-value-split', 'warning', line.rangeOf(stray.start, stray.end),
        `${quote(text.slice(stray.start, stray.end), 30)} looks like part of the value of \`-o ${option.name.text}\`, but the ` +
        'blank before it makes it a separate command argument: the option gets ' +
        `${quote(option.value.text || '(empty)', 30)} and the daemon an unexpected argument. Remove the blanks or write ` +
        `\`-o { ${option.name.text} = … }\`.`));
    }
  }

  // pipe(8)/spawn(8)-style attributes, then the external command after `argv=`.
  let inArgv = false;
  for (; k < args.length; k++) {
    const a = args[k];
    const tok = tokenOf(line, a);
    if (inArgv) {
      service.argv.push(tok);
      continue;
    }
    const eq = tok.text.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.text.slice(0, eq))) continue;
    const attr: ServiceAttribute = {
      name: { text: tok.text.slice(0, eq), range: line.rangeOf(a.start, a.start + eq) },
      value: { text: tok.text.slice(eq + 1), range: line.rangeOf(a.start + eq + 1, a.end) },
      range: tok.range,
    };
    service.attributes.push(attr);
    if (attr.name.text === 'argv') {
      inArgv = true;
      service.argv.push(attr.value);
    }
  }
}

/** `name=value` or `{ name = value }` after `-o` (Postfix's extpar() + split_nameval()). */
function parseOption(line: LogicalLine, flag: Span, v: Span, args: Span[], next: number, findings: Finding[]): ServiceOption | undefined {
  const text = line.text;
  let innerStart = v.start;
  let innerEnd = v.end;
  let end = v.end;
  const braced = text.charCodeAt(v.start) === 123;
  if (braced) {
    const close = matchBrace(text, v.start, v.end);
    if (close < 0) {
      findings.push(makeFinding('postfix/unclosed-brace', 'error', line.rangeOf(v.start, v.start + 1),
        'This `{` is never closed. Postfix stops with "missing \'}\'". Write `-o { name = value }`.'));
      innerStart = v.start + 1;
    } else {
      if (close < v.end) {
        findings.push(makeFinding('master/text-after-brace', 'error', line.rangeOf(close, v.end),
          `Unexpected ${quote(text.slice(close, v.end), 20)} right after \`}\`. Postfix stops with "syntax error after '}'". ` +
          'Put a blank after the `}` or remove the text.'));
        end = close;
      }
      innerStart = v.start + 1;
      innerEnd = close - 1;
    }
    while (innerStart < innerEnd && (isSpace(text.charCodeAt(innerStart)) || text.charCodeAt(innerStart) === 13)) innerStart++;
    while (innerEnd > innerStart && (isSpace(text.charCodeAt(innerEnd - 1)) || text.charCodeAt(innerEnd - 1) === 13)) innerEnd--;
  }
  if (innerStart >= innerEnd || text.charCodeAt(innerStart) === 61 /* = */) {
    findings.push(makeFinding('master/option-missing-name', 'error', line.rangeOf(v.start, v.end),
      `${quote(text.slice(v.start, v.end), 30)} has no parameter name. The service fails to start with ` +
      '"missing attribute name". Write `-o name=value`.'));
    return undefined;
  }
  let nameEnd = innerStart;
  while (nameEnd < innerEnd && !isSpace(text.charCodeAt(nameEnd)) && text.charCodeAt(nameEnd) !== 61 && text.charCodeAt(nameEnd) !== 13) nameEnd++;
  let eq = nameEnd;
  while (eq < innerEnd && (isSpace(text.charCodeAt(eq)) || text.charCodeAt(eq) === 13)) eq++;
  if (eq >= innerEnd || text.charCodeAt(eq) !== 61) {
    findings.push(missingOptionEquals(line, v, args, next));
    return undefined;
  }
  let valueStart = eq + 1;
  while (valueStart < innerEnd && (isSpace(text.charCodeAt(valueStart)) || text.charCodeAt(valueStart) === 13)) valueStart++;
  const name: Token = { text: text.slice(innerStart, nameEnd), range: line.rangeOf(innerStart, nameEnd) };
  checkParameterName(name, findings);
  return {
    flag: { text: text.slice(flag.start, flag.end), range: line.rangeOf(flag.start, flag.end) },
    name,
    value: parseValue(line, valueStart, Math.max(valueStart, innerEnd), findings),
    braced,
    range: line.rangeOf(flag.start, end),
  };
}

/** `args[next]` is the argument after the option's value. */
function missingOptionEquals(line: LogicalLine, v: Span, args: Span[], next: number): Finding {
  const text = line.text;
  const arg = text.slice(v.start, v.end);
  const fixes: Fix[] = [];
  // `-o name = value`: the blanks split it into three arguments; join them.
  const eq = args[next];
  const value = args[next + 1];
  if (eq && value && text.slice(eq.start, eq.end) === '=' && !arg.startsWith('{')) {
    fixes.push({
      title: 'Remove the blanks around `=`',
      preferred: true,
      edits: [{ range: line.rangeOf(v.start, value.end), newText: `${arg}=${text.slice(value.start, value.end)}` }],
    });
  }
  return makeFinding('master/option-missing-equals', 'error', line.rangeOf(v.start, v.end),
    `\`-o\` expects \`name=value\`, but ${quote(arg, 40)} has no \`=\`. The service fails to start with ` +
    '"invalid -o option value: missing \'=\' after attribute name". Write `-o name=value` without blanks, ' +
    'or `-o { name = value }`.', fixes);
}
