// A "setting" is a main.cf `name = value` or a master.cf `-o name=value`: the checks of
// names and values treat both alike, with the service for `-o`.

import type { Range } from '../../types';
import type { Token, Value } from '../tree';
import type { PostfixModel, ServiceEntry } from '../instance';

export interface Setting {
  name: Token;
  value: Value;
  /** The whole `name = value` (main.cf) or `-o name=value` (master.cf). */
  range: Range;
  /** For `-o` settings: the master.cf entry. */
  service?: ServiceEntry;
}

/** Every main.cf setting of the model, in file order. */
export function mainSettings(model: PostfixModel): Setting[] {
  return (model.main?.tree.parameters ?? []).map((p) => ({ name: p.name, value: p.value, range: p.range }));
}

/** Every `-o` setting of the model's master.cf (none when the services are assumed). */
export function overrideSettings(model: PostfixModel): Setting[] {
  if (model.masterAssumed) return [];
  const out: Setting[] = [];
  for (const service of model.services) {
    for (const o of service.node.options) out.push({ name: o.name, value: o.value, range: o.range, service });
  }
  return out;
}

/** "main.cf" or "`-o` of service `submission`", for messages. */
export function where(setting: Setting): string {
  return setting.service ? `the \`-o\` settings of the master.cf service \`${setting.service.name}\`` : 'main.cf';
}
