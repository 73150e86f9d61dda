// master.cf services beyond their syntax:
//
//   master/unknown-command     the command (field 8) is not a program of Postfix's
//                              daemon_directory (Debian: /usr/lib/postfix/sbin). master(8)
//                              cannot start it. Only a warning: add-on packages may install
//                              programs there, and a path with `/` is taken as given.
//   master/duplicate-service   the same service name and type twice: both claim one socket (for
//                              inet, one address and port), so one of them cannot work.

import type { AnalysisContext } from '../../context';
import type { Finding } from '../../types';
import { makeFinding, quote } from '../findings';
import { POSTFIX_DAEMONS } from '../debianMaster';
import { postfixModel } from '../instance';
import { orList, replacementFixes, suggest } from './edits';

export function checkMasterCfServices(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  const findings: Finding[] = [];
  const first = new Map<string, number>();
  for (const service of model.services) {
    const cmd = service.node.command;
    if (cmd && !cmd.text.includes('/') && !POSTFIX_DAEMONS.includes(cmd.text)) {
      const suggestions = suggest(cmd.text, POSTFIX_DAEMONS);
      findings.push(makeFinding('master/unknown-command', 'warning', cmd.range,
        `${quote(cmd.text, 40)} is not a Postfix program: Debian's daemon_directory (/usr/lib/postfix/sbin) has no such ` +
        'command, so master(8) cannot start this service and mail for it waits in the queue. ' +
        (suggestions.length ? `Did you mean ${orList(suggestions.map((s) => s.name))}? ` : '') +
        'External programs run through `pipe` or `spawn` with `argv=/path/to/program`.',
        replacementFixes(cmd.range, suggestions, (n) => `Change to \`${n}\``)));
    }
    const key = `${service.name}/${service.type}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, service.node.name.range.start.line);
      continue;
    }
    const f = makeFinding('master/duplicate-service', 'warning', service.node.name.range,
      `The ${service.type} service \`${service.name}\` is already defined on line ${earlier + 1}. Both entries claim the same ` +
      `${service.type === 'inet' ? 'address and port' : 'socket'}, so only one of them can work. Remove one entry, or give this one ` +
      'another name (for inet services, another address or port).');
    const firstEntry = model.services.find((s) => s.name === service.name && s.type === service.type);
    if (firstEntry) f.related = [{ uri: ctx.doc.uri, range: firstEntry.node.name.range, message: `the first \`${service.name}\` ${service.type} entry` }];
    findings.push(f);
  }
  return findings;
}
