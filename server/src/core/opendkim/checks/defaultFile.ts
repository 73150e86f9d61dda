// /etc/default/opendkim: say on SOCKET which socket OpenDKIM really listens on, since on
// Debian 10 and later systemd does not read this file at all (socketInEffect.ts).

import type { AnalysisContext } from '../../context';
import type { Finding, RelatedLocation } from '../../types';
import { configRootOf } from './links';
import { usableSocket } from './confConsistency';
import { debianConfOf, expandDefault, opendkimSocketInEffect, socketAssignment } from './socketInEffect';
import { appendLineEdit, finding, fix } from './util';

export function checkDefaultSocket(ctx: AnalysisContext): Finding[] {
  if (ctx.doc.kind !== 'opendkim-default') return [];
  const assignment = socketAssignment(ctx.doc);
  if (!assignment) return [];
  const own = expandDefault(ctx.doc, assignment);
  const root = configRootOf(ctx.workspace, ctx.doc);
  const conf = debianConfOf(ctx.workspace, root);
  const range = assignment.name.range;
  if (!conf) {
    return [finding(range, 'information', 'opendkim/socket-in-effect',
      `On Debian 10 and later systemd starts OpenDKIM without reading this file: SOCKET (${own}) only matters to the old SysV init script, or after /lib/opendkim/opendkim.service.generate has turned it into a systemd override. The socket in effect is opendkim.conf's Socket, and /etc/opendkim.conf is not in this workspace.`)];
  }
  const inEffect = opendkimSocketInEffect(ctx.workspace, conf);
  const related: RelatedLocation[] = inEffect.uri && inEffect.range
    ? [{ uri: inEffect.uri, range: inEffect.range, message: `the socket in effect: ${inEffect.text}` }]
    : [];
  if (inEffect.source === 'override') {
    const same = inEffect.text === own;
    return [finding(range, 'information', 'opendkim/socket-in-effect',
      same
        ? `OpenDKIM listens on ${own}: ${inEffect.reason}`
        : `OpenDKIM listens on ${inEffect.text}, not on this SOCKET (${own}): ${inEffect.reason} Run /lib/opendkim/opendkim.service.generate and systemctl daemon-reload after changing SOCKET, or better set Socket in opendkim.conf.`,
      { related })];
  }
  if (inEffect.source === 'opendkim.conf') {
    const same = inEffect.text === own;
    return [finding(range, 'information', 'opendkim/socket-in-effect',
      `OpenDKIM listens on ${inEffect.text}${same ? ' (the same socket as here)' : `, not on this SOCKET (${own})`}: ${inEffect.reason} SOCKET here would matter only to the old SysV init script${same ? '' : ', and even that uses it only when opendkim.conf has no Socket line'}.`,
      { related })];
  }
  // Nothing names a socket: offer to move SOCKET into opendkim.conf.
  const socket = usableSocket(own);
  return [finding(range, 'information', 'opendkim/socket-in-effect',
    `OpenDKIM listens on no socket at all: ${inEffect.reason}${socket ? ` Put "Socket ${socket}" in opendkim.conf.` : ''}`,
    { fixes: socket ? [fix(`Add Socket ${socket} to opendkim.conf`, [appendLineEdit(conf, `Socket ${socket}`, conf.uri)], true)] : [] })];
}
