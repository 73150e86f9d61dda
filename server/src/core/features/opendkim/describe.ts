// Markdown texts of the OpenDKIM hovers and completion items: an option from the
// catalogue, a dataset value, a socket. Never shows key material.

import type { Position, Range } from '../../types';
import { comparePositions } from '../../types';
import { docsLink, type OptionInfo, type OptionKind } from '../../opendkim/catalogue';
import type { DatasetSpec, SocketSpec } from '../../opendkim/tree';

/** start <= pos < end: the character right of the cursor belongs to the range. */
export function containsPosition(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) < 0;
}

/** start <= pos <= end: for completion, where the cursor sits right after the word typed. */
export function touches(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

/** Inline code that survives backticks in the text. */
export function code(text: string, max = 200): string {
  const t = text.length > max ? text.slice(0, max) + '…' : text;
  const fence = t.includes('`') ? '``' : '`';
  return `${fence}${t}${fence}`;
}

const KIND_TEXT: Readonly<Record<OptionKind, string>> = {
  boolean: 'yes/no (OpenDKIM reads only the first character: t, y, 1 or f, n, 0)',
  integer: 'number (0x… hexadecimal, 0… octal)',
  include: 'configuration file to include',
  string: 'text',
  dataset: 'dataset: a file (`/path`, `file:`, `refile:` for wildcard patterns), an inline list (`csl:` or `a, b`), or `db:`, `dsn:`, `ldap:`, `lua:`',
  socket: 'milter socket: `inet:port@host`, `inet6:port@host` or `local:/path`',
  path: 'file name',
  directory: 'directory',
  mode: 'letters `s` (sign) and `v` (verify)',
  canonicalization: 'header/body canonicalization, each `relaxed` or `simple`',
  signatureAlgorithm: 'signing algorithm',
  handling: 'action: `accept`, `discard`, `quarantine`, `reject` or `tempfail`',
  keyAction: '`none`, `neutral` or `fail`',
  syslogFacility: 'syslog facility',
  atpsHash: 'hash algorithm',
  minimum: 'bytes, `n%` or `n+`',
  restartRate: '`count/time[smhd]`',
  user: 'user[:group]',
  address: 'e-mail address',
};

export function kindText(info: OptionInfo): string {
  return KIND_TEXT[info.kind];
}

/** What a hover or completion shows about an option. */
export function optionMarkdown(info: OptionInfo): string {
  const parts: string[] = [`**${info.name}** — ${kindText(info)}`];
  if (info.description) parts.push(info.description);
  const facts: string[] = [];
  if (info.default !== undefined) facts.push(`Default: ${code(info.default)}`);
  else if (info.kind !== 'boolean' && info.kind !== 'integer') facts.push('Default: not set');
  if (info.values && info.kind !== 'canonicalization') facts.push(`Values: ${info.values.map((v) => code(v)).join(', ')}`);
  if (!info.compiledIn) facts.push(`Not in Debian's opendkim (needs ${info.requires ?? 'an optional build feature'}): it refuses the option.`);
  if (facts.length > 0) parts.push(facts.join(' · '));
  parts.push(`[opendkim.conf(5)](${docsLink()})`);
  return parts.join('\n\n');
}

const DATASET_TEXT: Readonly<Record<string, string>> = {
  file: 'a flat file; keys are looked up literally (for a SigningTable: `user@host`, `host`, `user@.parent`, `.parent`, `user@*`, `*`)',
  refile: 'a flat file whose keys are wildcard patterns (`*` matches anything), tried in file order against the whole address',
  csl: 'an inline comma-separated list',
  db: 'a Berkeley DB file',
  dsn: 'an SQL database (OpenDBX data source name)',
  ldap: 'an LDAP directory',
  lua: 'a Lua script',
  memcache: 'a memcached server',
  repute: 'a reputation service (not in Debian\'s build)',
  socket: 'a socket service (not in Debian\'s build)',
  mdb: 'an LMDB file (not in Debian\'s build)',
  erlang: 'an Erlang node (not in Debian\'s build)',
};

export function datasetMarkdown(ds: DatasetSpec): string {
  if (!ds.type) return `Unknown dataset type ${code(ds.prefix?.text ?? '')}.`;
  const implied = ds.prefix ? '' : ' (no prefix: ' + (ds.type === 'csl' ? 'not starting with `/`, so a list' : ds.type === 'db' ? 'ends in `.db`' : 'starts with `/`') + ')';
  return `${code(ds.type + ':')} — ${DATASET_TEXT[ds.type] ?? ds.type}${implied}.`;
}

export function socketMarkdown(spec: SocketSpec | undefined, text: string): string {
  if (!spec) return code(text);
  if (spec.family === 'unix') return `UNIX socket ${code(spec.path?.text ?? text)}`;
  if (spec.family === 'inet' || spec.family === 'inet6') {
    const host = spec.address === undefined ? 'all interfaces' : code(spec.address);
    return `TCP port ${code(spec.port?.text ?? '')} on ${host}${spec.family === 'inet6' ? ' (IPv6)' : ''}`;
  }
  return code(text);
}
