// Semantic tokens for parameter names: how the editor tells Postfix's own parameters
// from names of one's own and from typos, which a grammar cannot know.
//
//   property  + defaultLibrary   a parameter of the catalogue (myhostname, smtpd_milters)
//             (+ deprecated)     … deprecated in the configured version
//             (+ readonly)       … computed by Postfix (process_id, service_name)
//   property                     a per-service name a master.cf service makes valid
//                                (policyd-spf_time_limit): read by Postfix, not built in
//   variable                     a name of one's own that is used: referenced as $name,
//                                a restriction class, an old database-client setting
//   parameter                    a name nothing reads (a typo such as smtpd_milterz) or a
//                                $reference that nothing defines. `parameter` is the type
//                                left over that themes colour differently from both
//                                property and variable; the checks' warnings say why.
//
// Settings (main.cf `name =`, master.cf `-o name=`) carry `declaration`. `$references`
// are classified by the same rule; restriction-class words in restriction lists are
// `variable` uses.

import type { FeatureContext, SemanticToken, SemanticTokenModifier, SemanticTokenType } from '../types';
import type { Range } from '../../types';
import { comparePositions } from '../../types';
import { deprecationIn, getParameter } from '../../postfix/catalogue';
import type { NameVerdict } from '../../postfix/nameRules';
import type { Value } from '../../postfix/tree';
import { postfixModel, type PostfixModel, type ServiceEntry } from '../../postfix/instance';
import { isRestrictionContext } from './locate';

interface Classification {
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

function classify(model: PostfixModel, name: string, verdict: NameVerdict): Classification {
  const info = getParameter(name);
  if (info) {
    const modifiers: SemanticTokenModifier[] = ['defaultLibrary'];
    if (deprecationIn(info, model.version)) modifiers.push('deprecated');
    if (info.readOnly) modifiers.push('readonly');
    return { type: 'property', modifiers };
  }
  if (verdict.valid) return { type: verdict.reason === 'service' ? 'property' : 'variable', modifiers: [] };
  return { type: 'parameter', modifiers: [] };
}

/** A `$name` resolves when something sets it (or Postfix knows it); then it is classified like its setting. */
function classifyReference(model: PostfixModel, name: string, service?: ServiceEntry): Classification {
  if (getParameter(name)) return classify(model, name, { valid: true, reason: 'builtin' });
  if (service?.overrides.has(name)) return classify(model, name, model.verdictForOverride(name, service));
  if (model.definitions.has(name)) return classify(model, name, model.verdictForMain(name));
  if (model.serviceParameter(name)) return { type: 'property', modifiers: [] };
  if (model.masterServices.some((s) => s.overrides.has(name))) return { type: 'variable', modifiers: [] };
  return { type: 'parameter', modifiers: [] };
}

function singleLine(range: Range): boolean {
  return range.start.line === range.end.line;
}

export function postfixSemanticTokens(ctx: FeatureContext): SemanticToken[] {
  const model = postfixModel(ctx);
  const tokens: SemanticToken[] = [];
  const push = (range: Range, c: Classification, extra?: SemanticTokenModifier) => {
    if (!singleLine(range) || range.end.character <= range.start.character) return;
    tokens.push({ range, type: c.type, modifiers: extra ? [extra, ...c.modifiers] : c.modifiers });
  };
  const values = (name: string, value: Value, service?: ServiceEntry) => {
    for (const ref of value.references) {
      if (ref.use === 'function') continue;
      push(ref.nameRange, classifyReference(model, ref.name, service));
    }
    if (model.restrictionClasses.size > 0 && isRestrictionContext(name, model, service)) {
      for (const w of value.words) {
        if (!w.braced && model.restrictionClasses.has(w.text) && model.definitions.has(w.text)) {
          push(w.range, classify(model, w.text, model.verdictForMain(w.text)));
        }
      }
    }
  };
  if (ctx.doc.kind === 'postfix-main' && model.main?.doc === ctx.doc) {
    for (const p of model.main.tree.parameters) {
      push(p.name.range, classify(model, p.name.text, model.verdictForMain(p.name.text)), 'declaration');
      values(p.name.text, p.value);
    }
  } else if (ctx.doc.kind === 'postfix-master' && model.master?.doc === ctx.doc) {
    for (const service of model.masterServices) {
      for (const o of service.node.options) {
        push(o.name.range, classify(model, o.name.text, model.verdictForOverride(o.name.text, service)), 'declaration');
        values(o.name.text, o.value, service);
      }
    }
  }
  tokens.sort((a, b) => comparePositions(a.range.start, b.range.start));
  return tokens;
}
