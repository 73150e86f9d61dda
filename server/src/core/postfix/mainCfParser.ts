// main.cf: logical lines of the form `name = value` (Postfix's split_nameval(): the name
// runs up to a blank or `=`, blanks around `=` are optional, the value may be empty and
// is trimmed). A line without `=` makes every Postfix program stop, so it is an error.

import type { Finding, Fix } from '../types';
import { scanLogicalLines, isSpace, type LogicalLine } from './logicalLines';
import { parseValue } from './valueParser';
import { makeFinding, quote } from './findings';
import { startsWithTemplateTag, templateLineFinding } from './template';
import type { MainCfTree, Parameter } from './tree';
import { checkParameterName, isParameterNameChar } from './parameterNames';

export interface MainCfParse {
  tree: MainCfTree;
  findings: Finding[];
}

export function parseMainCf(text: string): MainCfParse {
  const scan = scanLogicalLines(text, 'parameter', 'postfix');
  const findings = scan.findings;
  const tree: MainCfTree = {
    kind: 'postfix-main',
    parameters: [],
    comments: scan.comments,
    invalidLines: [],
    templateLines: [],
    lineCount: scan.lineCount,
  };
  for (const line of scan.lines) {
    if (startsWithTemplateTag(line.text)) {
      const range = line.rangeOf(0, lastNonBlank(line.text));
      tree.templateLines.push(range);
      findings.push(templateLineFinding(range));
      continue;
    }
    const parameter = parseParameter(line, findings);
    if (parameter) tree.parameters.push(parameter);
    else tree.invalidLines.push(line.rangeOf(0, lastNonBlank(line.text)));
  }
  return { tree, findings };
}

/** Offset after the last non-blank character. */
function lastNonBlank(text: string): number {
  let e = text.length;
  while (e > 0 && (isSpace(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 13)) e--;
  return e;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

const EQUALS = 61;

function parseParameter(line: LogicalLine, findings: Finding[]): Parameter | undefined {
  const text = line.text;
  if (text.charCodeAt(0) === EQUALS) {
    findings.push(makeFinding('postfix/missing-parameter-name', 'error', line.rangeOf(0, 1),
      'This line starts with `=`: the parameter name is missing. Postfix stops with "missing attribute name". ' +
      'Write `name = value`.'));
    return undefined;
  }
  let nameEnd = 0;
  while (nameEnd < text.length && !isSpace(text.charCodeAt(nameEnd)) && text.charCodeAt(nameEnd) !== EQUALS) nameEnd++;
  const name = text.slice(0, nameEnd);
  const equalsAt = skipSpace(text, nameEnd);
  if (text.charCodeAt(equalsAt) !== EQUALS) {
    findings.push(missingEquals(line, name, nameEnd, equalsAt));
    return undefined;
  }
  const valueStart = skipSpace(text, equalsAt + 1);
  const valueEnd = Math.max(valueStart, lastNonBlank(text));
  const value = parseValue(line, valueStart, valueEnd, findings);
  const nameToken = { text: name, range: line.rangeOf(0, nameEnd) };
  checkParameterName(nameToken, findings);
  return {
    name: nameToken,
    equals: line.rangeOf(equalsAt, equalsAt + 1),
    value,
    range: line.rangeOf(0, valueEnd > valueStart ? valueEnd : equalsAt + 1),
  };
}

function missingEquals(line: LogicalLine, name: string, nameEnd: number, next: number): Finding {
  const text = line.text;
  const fixes: Fix[] = [];
  const hasMore = next < lastNonBlank(text);
  // `name value` (the OpenDKIM habit) or `name: value`: offer to insert the `=`.
  const colonName = name.endsWith(':') ? name.slice(0, -1) : undefined;
  const bareName = colonName ?? name;
  if (hasMore && bareName.length > 0 && [...bareName].every((ch) => isParameterNameChar(ch.charCodeAt(0)))) {
    const from = colonName !== undefined ? nameEnd - 1 : nameEnd;
    fixes.push({
      title: `Insert \`=\` after \`${bareName}\``,
      preferred: true,
      edits: [{ range: line.rangeOf(from, next), newText: ' = ' }],
    });
  }
  const found = hasMore ? `, but found ${quote(text.slice(next, lastNonBlank(text)), 30)}` : '';
  return makeFinding('postfix/missing-equals', 'error', line.rangeOf(0, nameEnd),
    `Expected \`=\` after ${quote(name)}${found}. Every main.cf line must have the form \`name = value\`; ` +
    'Postfix refuses to start with "missing \'=\' after attribute name". Add the `=`, or turn the line into a ' +
    'comment with `#` at its start.', fixes);
}
