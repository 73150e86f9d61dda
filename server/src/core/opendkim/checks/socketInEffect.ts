// Which milter socket OpenDKIM really listens on, and why. Three places can name it:
//
//   - opendkim.conf's `Socket` (the last one, as config.c keeps the newest entry first);
//   - the `-p` option on the command line, which wins over Socket. Debian's systemd unit
//     (Debian 10 and later) runs plain `/usr/sbin/opendkim`, so only a drop-in such as
//     /etc/systemd/system/opendkim.service.d/override.conf adds one — the file that
//     /lib/opendkim/opendkim.service.generate writes from /etc/default/opendkim;
//   - SOCKET in /etc/default/opendkim, read only by the SysV init script, which passes it
//     as -p only when opendkim.conf has no line starting with exactly "Socket" (Debian 12's
//     /etc/init.d/opendkim). systemd never reads that file.
//
// The Postfix ↔ OpenDKIM milter check uses opendkimSocketInEffect() to compare sockets.

import type { Range } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { DefaultTree, ShellAssignment, SocketSpec } from '../tree';
import { parseSocketSpec } from '../socketSpec';
import { opendkimEnvironment, type AuxiliaryFile } from './environment';
import { configRootOf, confTree, documentAt, effectiveConf, isCompleteRoot, isUnder } from './links';
import { effectiveExecStart, readExecStarts, socketArgument } from './systemdUnit';
import { uriBasename } from '../../stack/postfixInstance';

export type InitSystem = 'systemd' | 'sysv';

export interface SocketInEffect {
  /** The socket OpenDKIM listens on; undefined when nothing names one (it does not start). */
  spec?: SocketSpec;
  /** The socket as OpenDKIM gets it ($RUNDIR and the like expanded). */
  text?: string;
  /** Which file decides. */
  source: 'override' | 'opendkim.conf' | 'default' | 'none';
  /** The file that sets it, and where (the value). */
  uri?: string;
  doc?: WorkspaceDocument;
  range?: Range;
  /** In plain words, why this socket and not another. */
  reason: string;
  init: InitSystem;
}

const DROP_IN_DIR = '/systemd/system/opendkim.service.d';
const GENERATE = '/lib/opendkim/opendkim.service.generate';

/** The drop-ins of opendkim.service below a configuration root, in systemd's (lexical) order. */
export function opendkimDropIns(workspace: Workspace, root: string): AuxiliaryFile[] {
  const provided = opendkimEnvironment(workspace).systemdDropIns?.(root);
  if (provided) return provided;
  const dir = root + DROP_IN_DIR;
  return workspace.all()
    .filter((d) => isUnder(d.uri, dir) && d.uri.endsWith('.conf'))
    .sort((a, b) => (uriBasename(a.uri) < uriBasename(b.uri) ? -1 : 1))
    .map((d) => ({ uri: d.uri, text: d.analysis.text }));
}

/** The `-p` socket systemd passes, from the drop-ins below `root`. */
function overrideSocket(workspace: Workspace, root: string): { file: AuxiliaryFile; text: string; range: Range } | undefined {
  let found: { file: AuxiliaryFile; text: string; range: Range } | undefined;
  for (const file of opendkimDropIns(workspace, root)) {
    const exec = effectiveExecStart(readExecStarts(file.text));
    if (exec === undefined) {
      // A drop-in that resets ExecStart= without a new one leaves no -p; one without
      // ExecStart keeps what earlier files set.
      if (readExecStarts(file.text).length > 0) found = undefined;
      continue;
    }
    const p = socketArgument(exec);
    found = p ? { file, text: p.text, range: p.range } : undefined;
  }
  return found;
}

/** A socket text as a spec whose ranges all point at `range` (it was expanded or lies in another file). */
function specAt(text: string, range: Range): SocketSpec {
  return parseSocketSpec(text, () => range);
}

/**
 * The socket an opendkim.conf's OpenDKIM listens on. `init` is the init system assumed:
 * systemd (Debian 10 and later, the default) or the SysV init script.
 */
export function opendkimSocketInEffect(workspace: Workspace, confDoc: WorkspaceDocument, init: InitSystem = 'systemd'): SocketInEffect {
  const root = configRootOf(workspace, confDoc);
  const socket = effectiveConf(workspace, confDoc).get('socket');
  const confSocket = socket?.option.value;
  const defaults = defaultFileOf(workspace, root);

  if (init === 'sysv') {
    // The init script looks for a line whose first field is exactly "Socket" in /etc/opendkim.conf.
    const literal = confTree(confDoc)?.options.some((o) => o.name.text === 'Socket');
    const assignment = defaults && socketAssignment(defaults);
    if (!literal && assignment) {
      const text = expandDefault(defaults!, assignment);
      return {
        spec: specAt(text, assignment.value.range), text, source: 'default', uri: defaults!.uri, doc: defaults, range: assignment.value.range, init,
        reason: `The SysV init script passes SOCKET from /etc/default/opendkim as -p, because opendkim.conf has no "Socket" line.`,
      };
    }
    if (socket && confSocket) {
      return {
        spec: socket.option.socket, text: confSocket.text, source: 'opendkim.conf', uri: socket.doc.uri, doc: socket.doc, range: confSocket.range, init,
        reason: assignment
          ? 'opendkim.conf sets Socket, so the SysV init script does not pass SOCKET from /etc/default/opendkim.'
          : 'opendkim.conf sets Socket and nothing on the command line overrides it.',
      };
    }
    return { source: 'none', init, reason: 'Neither opendkim.conf (Socket) nor /etc/default/opendkim (SOCKET) names a socket, so OpenDKIM does not start ("milter socket must be specified").' };
  }

  const override = overrideSocket(workspace, root);
  if (override) {
    const doc = documentAt(workspace, override.file.uri);
    return {
      spec: specAt(override.text, override.range), text: override.text, source: 'override', uri: override.file.uri, doc, range: override.range, init,
      reason: `systemd starts OpenDKIM with -p ${override.text} from ${uriBasename(override.file.uri)} in opendkim.service.d (written by ${GENERATE} from /etc/default/opendkim); -p wins over opendkim.conf's Socket.`,
    };
  }
  const noDropIn = isCompleteRoot(workspace, root) || opendkimEnvironment(workspace).systemdDropIns
    ? 'there is no drop-in in /etc/systemd/system/opendkim.service.d that adds -p'
    : 'the workspace has no /etc/systemd/system/opendkim.service.d/override.conf that adds -p';
  if (socket && confSocket) {
    return {
      spec: socket.option.socket, text: confSocket.text, source: 'opendkim.conf', uri: socket.doc.uri, doc: socket.doc, range: confSocket.range, init,
      reason: `systemd (Debian 10 and later) runs /usr/sbin/opendkim without -p and ${noDropIn}, so opendkim.conf's Socket applies; /etc/default/opendkim is not read.`,
    };
  }
  return {
    source: 'none', init,
    reason: `opendkim.conf sets no Socket, systemd (Debian 10 and later) runs /usr/sbin/opendkim without -p and ${noDropIn}, so OpenDKIM does not start ("milter socket must be specified"). SOCKET in /etc/default/opendkim does not help: systemd does not read that file.`,
  };
}

// ---------------------------------------------------------------- /etc/default/opendkim

/** The /etc/default/opendkim below a configuration root, if the workspace has it. */
export function defaultFileOf(workspace: Workspace, root: string): WorkspaceDocument | undefined {
  const doc = documentAt(workspace, `${root}/default/opendkim`);
  return doc && doc.kind === 'opendkim-default' ? doc : undefined;
}

/** The opendkim.conf Debian's service reads (/etc/opendkim.conf, compiled in) below a root. */
export function debianConfOf(workspace: Workspace, root: string): WorkspaceDocument | undefined {
  const doc = documentAt(workspace, `${root}/opendkim.conf`);
  return doc && doc.kind === 'opendkim-conf' ? doc : undefined;
}

/** The last SOCKET= assignment (the one the shell leaves in effect). */
export function socketAssignment(defaultDoc: WorkspaceDocument): ShellAssignment | undefined {
  const tree = defaultDoc.analysis.parse.tree as DefaultTree;
  let last: ShellAssignment | undefined;
  for (const a of tree.assignments ?? []) if (a.name.text === 'SOCKET') last = a;
  return last;
}

/** What the scripts that source the file set before doing so (opendkim.service.generate). */
const SCRIPT_VARIABLES: Readonly<Record<string, string>> = {
  NAME: 'opendkim',
  RUNDIR: '/run/opendkim',
  USER: 'opendkim',
  GROUP: 'opendkim',
  SOCKET: 'local:/run/opendkim/opendkim.sock',
};

/** The value of `assignment` after $VARIABLE expansion, with the assignments before it. */
export function expandDefault(defaultDoc: WorkspaceDocument, assignment: ShellAssignment): string {
  const tree = defaultDoc.analysis.parse.tree as DefaultTree;
  const vars = new Map(Object.entries(SCRIPT_VARIABLES));
  for (const a of tree.assignments ?? []) {
    const value = expandShell(a.text, vars);
    if (a === assignment) return value;
    vars.set(a.name.text, value);
  }
  return expandShell(assignment.text, vars);
}

const SHELL_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME-word}` against `vars` (unset: empty). A
 * scan, not one regular expression: `${A-…` without its `}` made that retry to the end of
 * the text from every `${`, which is quadratic.
 */
function expandShell(text: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  let close = -2; // the next `}` at or after i (-1: none left), found once per stretch
  const nameAt = (at: number): string | undefined => {
    SHELL_NAME.lastIndex = at;
    return SHELL_NAME.exec(text)?.[0];
  };
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    i = dollar + 1;
    if (text[i] !== '{') {
      const bare = nameAt(i);
      if (bare === undefined) { out += '$'; continue; }
      out += vars.get(bare) ?? '';
      i += bare.length;
      continue;
    }
    const name = nameAt(i + 1);
    if (name === undefined) { out += '$'; continue; }
    let after = i + 1 + name.length;
    const op = text.startsWith(':-', after) ? ':-' : text[after] === '-' ? '-' : undefined;
    if (op) after += op.length;
    if (close !== -1 && close < after) close = text.indexOf('}', after);
    if (close < 0 || (!op && close !== after)) { out += '$'; continue; }
    const value = vars.get(name);
    if (op && (value === undefined || (op === ':-' && value === ''))) out += text.slice(after, close);
    else out += value ?? '';
    i = close + 1;
  }
  return out + text.slice(i);
}
