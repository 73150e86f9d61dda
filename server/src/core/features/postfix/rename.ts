// Rename a parameter of one's own across main.cf and master.cf: its settings, `-o`
// overrides, every `$name` / `${name…}` use and, for restriction classes, the words that
// name it. Postfix's own parameters (myhostname …) and per-service names
// (policyd-spf_time_limit) are read by Postfix under exactly that name, so renaming them
// would silently change the configuration: rename refuses with a reason.

import type { Position, Range } from '../../types';
import type { FeatureContext, WorkspaceEdit } from '../types';
import { getParameter } from '../../postfix/catalogue';
import { postfixModel } from '../../postfix/instance';
import { isParameterTarget, targetAt } from './locate';
import { parameterSites } from './navigation';

const NAME = /^[A-Za-z0-9_]+$/;

export function postfixPrepareRename(ctx: FeatureContext, position: Position): { range: Range; placeholder: string } | undefined {
  const model = postfixModel(ctx);
  const t = targetAt(ctx, model, position);
  if (!isParameterTarget(t)) return undefined;
  return { range: t.range, placeholder: t.name };
}

export function postfixRename(ctx: FeatureContext, position: Position, newName: string): WorkspaceEdit | { error: string } | undefined {
  const model = postfixModel(ctx);
  const t = targetAt(ctx, model, position);
  if (!isParameterTarget(t)) return undefined;
  const name = t.name;
  if (getParameter(name)) {
    return { error: `\`${name}\` is a Postfix parameter: Postfix reads it under this name, so renaming it would drop the setting. Only parameters of your own can be renamed.` };
  }
  const sp = model.serviceParameter(name);
  if (sp) {
    return { error: `\`${name}\` belongs to the master.cf service \`${sp.service.node.name.text}\` (its name is the service name plus \`${sp.suffix}\`). Rename the service instead.` };
  }
  if (newName === name) return { edits: [] };
  if (!NAME.test(newName)) {
    return { error: `\`${newName}\` cannot be a parameter name: \`$${newName}\` would not reach it. Use letters, digits and \`_\` only.` };
  }
  if (getParameter(newName)) {
    return { error: `\`${newName}\` is a Postfix parameter; renaming \`${name}\` to it would change what Postfix does. Choose another name.` };
  }
  const taken = model.definitions.get(newName)?.[0] ?? undefined;
  if (taken) return { error: `\`${newName}\` is already set on main.cf line ${taken.name.range.start.line + 1}. Choose another name.` };
  if (model.masterServices.some((s) => s.overrides.has(newName))) {
    return { error: `\`${newName}\` is already set with \`-o\` in master.cf. Choose another name.` };
  }
  const edits = parameterSites(model, name).map((s) => ({ uri: s.uri, range: s.range, newText: newName }));
  return { edits };
}
