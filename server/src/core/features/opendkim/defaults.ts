// Editor features of Debian's /etc/default/opendkim: hover on its variables (SOCKET says
// which socket OpenDKIM really listens on) and completion of their names.

import type { Position } from '../../types';
import type { CompletionItem, FeatureContext, Hover } from '../types';
import type { DefaultTree } from '../../opendkim/tree';
import { configRootOf } from '../../opendkim/checks/links';
import { debianConfOf, expandDefault, opendkimSocketInEffect } from '../../opendkim/checks/socketInEffect';
import { code, containsPosition } from './describe';

/** The variables Debian's init script and opendkim.service.generate read, in our words. */
export const DEFAULT_VARIABLES: Readonly<Record<string, string>> = {
  SOCKET: 'The milter socket, passed as -p by the SysV init script (only when opendkim.conf has no Socket line) and by the systemd override that /lib/opendkim/opendkim.service.generate writes. systemd itself never reads this file.',
  RUNDIR: 'The folder for the PID file and the default UNIX socket (default /run/opendkim).',
  USER: 'The user OpenDKIM runs as (default opendkim).',
  GROUP: 'The group OpenDKIM runs as (default opendkim).',
  DAEMON_OPTS: 'Extra command-line options for opendkim.',
  PIDFILE: 'Where the init script expects the PID file.',
  EXTRAAFTER: 'systemd units OpenDKIM should start after (used by opendkim.service.generate).',
};

export function defaultHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const tree = ctx.doc.analysis.parse.tree as DefaultTree;
  if (tree?.kind !== 'opendkim-default') return undefined;
  const a = tree.assignments.find((x) => containsPosition(x.range, position));
  if (!a) return undefined;
  const about = DEFAULT_VARIABLES[a.name.text];
  if (!about) return undefined;
  const lines = [`**${a.name.text}** — ${about}`];
  const expanded = expandDefault(ctx.doc, a);
  if (expanded !== a.text) lines.push(`Value after expansion: ${code(expanded)}`);
  if (a.name.text === 'SOCKET') {
    const conf = debianConfOf(ctx.workspace, configRootOf(ctx.workspace, ctx.doc));
    if (conf) {
      const inEffect = opendkimSocketInEffect(ctx.workspace, conf);
      lines.push(inEffect.text !== undefined
        ? `OpenDKIM listens on ${code(inEffect.text)}: ${inEffect.reason}`
        : inEffect.reason);
    }
  }
  return { markdown: lines.join('\n\n'), range: a.name.range };
}

export function defaultCompletion(ctx: FeatureContext, position: Position): CompletionItem[] {
  const line = ctx.doc.analysis.text.split(/\r\n|\r|\n/)[position.line];
  // A position off the text (no such line, a column past its end) gets nothing, not items that edit there.
  if (line === undefined || !(position.character >= 0 && position.character <= line.length)) return [];
  const before = line.slice(0, position.character);
  const m = /^([ \t]*)([A-Za-z_]*)$/.exec(before);
  if (!m) return [];
  const range = { start: { line: position.line, character: m[1].length }, end: position };
  return Object.entries(DEFAULT_VARIABLES).map(([name, doc]) => ({
    label: name, kind: 'Variable' as const, documentation: doc, edit: { range, newText: `${name}=` },
  }));
}
