// postfix/duplicate-parameter: a name set twice. Postfix keeps the last assignment and
// silently ignores the earlier ones — which is how an edit at the top of a long main.cf
// (or an `-o` early on a service line) ends up having no effect. The warning sits on each
// ignored assignment and points to the one in effect.

import type { AnalysisContext } from '../../context';
import type { Finding, Range } from '../../types';
import { makeFinding } from '../findings';
import type { Token } from '../tree';
import { isMainCfDocument, postfixModel } from '../instance';
import { lineText, wholeLinesRange } from './edits';

export function checkMainCfDuplicates(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  const findings: Finding[] = [];
  const text = ctx.doc.analysis.text;
  for (const [name, defs] of model.definitions) {
    if (defs.length < 2) continue;
    const last = defs[defs.length - 1];
    for (const p of defs.slice(0, -1)) {
      findings.push(duplicate(ctx.doc.uri, name, p.name, last.name, 'main.cf', line(last.name.range),
        wholeLinesRange(text, p.range.start.line, p.range.end.line)));
    }
  }
  return findings;
}

export function checkMasterCfDuplicates(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  const findings: Finding[] = [];
  const text = ctx.doc.analysis.text;
  for (const service of model.services) {
    for (const [name, options] of service.options) {
      if (options.length < 2) continue;
      const last = options[options.length - 1];
      for (const o of options.slice(0, -1)) {
        // Remove `-o name=value` with the blanks after it; when it is alone on its line, the line.
        const range = ownLine(text, o.range) ?? extendOverBlanks(text, o.range);
        findings.push(duplicate(ctx.doc.uri, name, o.name, last.name, `the \`-o\` settings of service \`${service.name}\``, line(last.name.range), range));
      }
    }
  }
  return findings;
}

function line(r: Range): number {
  return r.start.line + 1;
}

function duplicate(uri: string, name: string, ignored: Token, inEffect: Token, where: string, inEffectLine: number, deleteRange: Range): Finding {
  const f = makeFinding('postfix/duplicate-parameter', 'warning', ignored.range,
    `\`${name}\` is set again on line ${inEffectLine} of ${where}. Postfix uses only the last assignment, so this one is ` +
    'ignored. Remove it, or merge the two values into the one in effect.',
    [{ title: `Remove the ignored \`${name}\` setting`, preferred: true, edits: [{ range: deleteRange, newText: '' }] }]);
  f.related = [{ uri, range: inEffect.range, message: `the \`${name}\` setting in effect` }];
  return f;
}

/** When `range` is all that is on its (single) line apart from blanks: that whole line. */
function ownLine(text: string, range: Range): Range | undefined {
  if (range.start.line !== range.end.line) return undefined;
  const l = lineText(text, range.start.line);
  if (l.slice(0, range.start.character).trim() !== '' || l.slice(range.end.character).trim() !== '') return undefined;
  return wholeLinesRange(text, range.start.line, range.end.line);
}

function extendOverBlanks(text: string, range: Range): Range {
  const l = lineText(text, range.end.line);
  let c = range.end.character;
  while (c < l.length && (l[c] === ' ' || l[c] === '\t')) c++;
  return { start: range.start, end: { line: range.end.line, character: c } };
}
