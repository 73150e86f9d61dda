// Which kind of mail-stack file a document is. The VS Code client sends our own language
// ids; other editors send theirs (Vim's `pfmain`, `bindzone`) or plain text, so the file
// name and, last, the first lines of the content decide.

export type DocumentKind =
  | 'postfix-main'
  | 'postfix-master'
  | 'opendkim-conf'
  | 'opendkim-default'
  | 'opendkim-keytable'
  | 'opendkim-signingtable'
  | 'opendkim-hostlist'
  | 'dns-zone';

export const ALL_KINDS: readonly DocumentKind[] = [
  'postfix-main', 'postfix-master', 'opendkim-conf', 'opendkim-default',
  'opendkim-keytable', 'opendkim-signingtable', 'opendkim-hostlist', 'dns-zone',
];

/** The VS Code language id a kind is shown under (the three table kinds share one). */
export function languageIdOf(kind: DocumentKind): string {
  switch (kind) {
    case 'opendkim-default': return 'opendkim-conf';
    case 'opendkim-keytable':
    case 'opendkim-signingtable':
    case 'opendkim-hostlist': return 'opendkim-table';
    default: return kind;
  }
}

export interface KindQuery {
  /** File path or URI path (forward or back slashes). */
  path?: string;
  languageId?: string;
  /** The document text; only its first few KB are looked at. */
  text?: string;
  /** Whether a master.cf lies beside the file (makes `*.cf` a main.cf). */
  hasSiblingMasterCf?: boolean;
}

const TABLE_NAMES: Array<[RegExp, DocumentKind]> = [
  [/^key[._-]?table$/i, 'opendkim-keytable'],
  [/^signing[._-]?table$/i, 'opendkim-signingtable'],
  [/^(trusted|internal)[._-]?hosts$/i, 'opendkim-hostlist'],
  [/^external[._-]?ignore[._-]?list$/i, 'opendkim-hostlist'],
  [/^(peer|exempt)[._-]?(list|domains)$/i, 'opendkim-hostlist'],
  [/^opendkim\.hosts$/i, 'opendkim-hostlist'],
];

const OTHER_EDITOR_IDS: Record<string, DocumentKind> = {
  pfmain: 'postfix-main',
  bindzone: 'dns-zone',
  zone: 'dns-zone',
  'dns': 'dns-zone',
};

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

function parentName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.length >= 2 ? parts[parts.length - 2] : '';
}

/** Decides a document's kind, or undefined when it is none of ours. */
export function detectKind(q: KindQuery): DocumentKind | undefined {
  const path = q.path ? decodeURIComponent(q.path.replace(/^file:\/\//, '')) : '';
  const name = baseName(path);
  const byName = kindFromName(name, parentName(path), q.hasSiblingMasterCf);

  switch (q.languageId) {
    case 'postfix-main':
    case 'postfix-master':
    case 'dns-zone':
      return q.languageId;
    case 'opendkim-conf':
      return byName === 'opendkim-default' ? 'opendkim-default' : 'opendkim-conf';
    case 'opendkim-table':
      if (byName && byName.startsWith('opendkim-') && byName !== 'opendkim-conf' && byName !== 'opendkim-default') return byName;
      return sniffTable(q.text ?? '');
  }
  if (q.languageId && OTHER_EDITOR_IDS[q.languageId]) return OTHER_EDITOR_IDS[q.languageId];
  if (byName) return byName;
  if (q.text !== undefined && looksLikeZone(q.text)) return 'dns-zone';
  return undefined;
}

/** Kind from the file name alone (and its folder, for /etc/default/opendkim). */
export function kindFromName(name: string, parent = '', hasSiblingMasterCf = false): DocumentKind | undefined {
  const lower = name.toLowerCase();
  if (lower === 'main.cf') return 'postfix-main';
  if (lower === 'master.cf') return 'postfix-master';
  if (lower === 'opendkim.conf') return 'opendkim-conf';
  if (lower === 'opendkim' && parent.toLowerCase() === 'default') return 'opendkim-default';
  for (const [re, kind] of TABLE_NAMES) if (re.test(name)) return kind;
  if (lower.endsWith('.zone') || lower.startsWith('db.')) return 'dns-zone';
  if (lower.endsWith('.cf') && hasSiblingMasterCf) return 'postfix-main';
  return undefined;
}

/** `*.db` names are also Postfix's binary hash maps, so they count as zones only by content. */
export function isZoneCandidateName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.db') || lower.endsWith('.txt');
}

const ZONE_DIRECTIVE = /^\$(ORIGIN|TTL|INCLUDE|GENERATE)\b/i;
const ZONE_RECORD = /^(\S+)?[ \t]+(?:\d+[smhdw]?[ \t]+)?(?:(?:IN|CH|HS)[ \t]+)?(?:\d+[smhdw]?[ \t]+)?(SOA|NS|A|AAAA|MX|TXT|CNAME|PTR|SRV|CAA|TLSA|SPF)[ \t(]/i;

/** True when the first meaningful lines are `$ORIGIN`/`$TTL` or resource records. */
export function looksLikeZone(text: string): boolean {
  const head = text.slice(0, 4096);
  if (head.includes('\u0000')) return false;
  let seen = 0;
  for (const raw of head.split(/\r\n|\r|\n/)) {
    const semicolon = raw.indexOf(';');
    const line = semicolon < 0 ? raw : raw.slice(0, semicolon);
    if (!line.trim()) continue;
    if (ZONE_DIRECTIVE.test(line) || ZONE_RECORD.test(line)) return true;
    if (++seen >= 5) break;
  }
  return false;
}

/** Guesses which OpenDKIM table a file is from the shape of its first data lines. */
export function sniffTable(text: string): DocumentKind {
  for (const raw of text.slice(0, 4096).split(/\r\n|\r|\n/)) {
    const hash = raw.indexOf('#');
    const line = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (!line) continue;
    const fields = line.split(/[ \t]+/);
    if (fields.length >= 2 && /^[^:]+:[^:]+:./.test(fields[1])) return 'opendkim-keytable';
    if (fields.length >= 2) return 'opendkim-signingtable';
    return 'opendkim-hostlist';
  }
  return 'opendkim-hostlist';
}
