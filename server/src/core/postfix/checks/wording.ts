// Phrases the checkers' messages share about the model they judge.

import type { PostfixModel } from '../instance';

/** "Postfix 3.7" for a pinned version, "current Postfix releases" otherwise. */
export function versionLabel(model: PostfixModel): string {
  return model.versionPinned ? `Postfix ${model.version}` : 'current Postfix releases';
}

/** What messages add when the services are Debian's defaults rather than the user's master.cf. */
export function assumedMasterNote(model: PostfixModel): string {
  return model.masterAssumed
    ? ' (There is no master.cf beside this main.cf in the workspace, so mailconf assumed Debian\'s default master.cf.)'
    : '';
}
