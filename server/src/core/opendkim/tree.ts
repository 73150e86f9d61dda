// The syntax trees of the OpenDKIM file kinds. Plain data with exact ranges for every
// token later layers need (option names and values, dataset prefixes and paths, socket
// parts, table fields, host-list addresses, shell `$references`), so semantic and
// cross-file checks work on these shapes without parsing text again.

import type { Range } from '../types';

/** A piece of the document: its text exactly as written and where it is. */
export interface Token {
  text: string;
  range: Range;
}

/** A `#` comment; `text` includes the `#`. */
export interface Comment extends Token {
  /** True when nothing but blanks precedes the comment on its line (a comment line). */
  wholeLine: boolean;
}

export type OpendkimTree = ConfTree | DefaultTree | KeyTableTree | SigningTableTree | HostListTree;

// ---------------------------------------------------------------- opendkim.conf

export interface ConfTree {
  kind: 'opendkim-conf';
  options: ConfOption[];
  comments: Comment[];
  lineCount: number;
}

/** One `Name value` line of opendkim.conf (or opendmarc.conf, which has the same syntax). */
export interface ConfOption {
  line: number;
  /** As written; OpenDKIM compares names case-insensitively. */
  name: Token;
  /**
   * The value: the rest of the line after the blanks that follow the name, up to a `#`,
   * without trailing blanks (what OpenDKIM stores). Undefined when the line has none.
   */
  value?: Token;
  /** The value split at blanks (at most MAX_VALUE_WORDS of them). */
  words: Token[];
  /** From the name to the end of the value (or of the name). */
  range: Range;
  /** Set for the options opendkim.conf(5) calls "dataset" (KeyTable, InternalHosts …). */
  dataset?: DatasetSpec;
  /** Set for `Socket`. */
  socket?: SocketSpec;
  /**
   * For InternalHosts, ExternalIgnoreList and PeerList written inline as a list
   * (`InternalHosts 127.0.0.1, 10.0.0.0/8`): the entries, read like a host-list file's.
   */
  hosts?: HostListEntry[];
  /** A comment after the value on the same line. */
  comment?: Comment;
}

/** Dataset types OpenDKIM 2.11 knows (`ldapi`/`ldaps` prefixes map to `ldap`). */
export type DatasetType =
  | 'csl' | 'file' | 'refile' | 'db' | 'dsn' | 'ldap' | 'lua'
  | 'memcache' | 'repute' | 'socket' | 'mdb' | 'erlang';

/**
 * A dataset value such as `refile:/etc/opendkim/SigningTable`, `/etc/opendkim/KeyTable`
 * (a path starting with `/` is `file:`, one ending in `.db` is `db:`) or
 * `127.0.0.1, 10.0.0.0/8` (anything else without a prefix is a comma-separated list).
 */
export interface DatasetSpec {
  /** Undefined when the prefix names no dataset type OpenDKIM knows. */
  type?: DatasetType;
  /** The `type` before the first `:` (without the colon); absent when implied. */
  prefix?: Token;
  /** Everything after `prefix:` (or the whole value when there is no prefix). */
  location: Token;
  /** For file-backed types (file, refile, db, mdb, lua): the file name. */
  path?: Token;
  /** For `csl`: the comma-separated entries, blanks around them trimmed. */
  items?: ListItem[];
  range: Range;
}

/** One entry of a comma-separated list; `key=value` entries are split. */
export interface ListItem extends Token {
  key: Token;
  value?: Token;
}

/** A milter socket as libmilter reads it: `inet:port@host`, `inet6:…`, `local:/path`, `/path`. */
export interface SocketSpec {
  family: 'unix' | 'inet' | 'inet6' | 'unknown';
  /** `inet`, `inet6`, `local` or `unix` as written; absent for a bare path. */
  protocol?: Token;
  /** unix/local: the socket file. */
  path?: Token;
  /** inet/inet6: the port as written (a number or a service name). */
  port?: Token;
  /** The port when written as a number. */
  portNumber?: number;
  /** inet/inet6: the host as written, brackets included; absent means all interfaces. */
  host?: Token;
  /** The host without surrounding brackets. */
  address?: string;
  range: Range;
}

// ---------------------------------------------------------------- /etc/default/opendkim

export interface DefaultTree {
  kind: 'opendkim-default';
  assignments: ShellAssignment[];
  /** `export NAME` without a value. */
  exports: Token[];
  /** First words of lines that are commands rather than assignments. */
  commands: Token[];
  comments: Comment[];
  lineCount: number;
}

/** `NAME=value` in the shell file Debian's init script sources. */
export interface ShellAssignment {
  name: Token;
  /** The value as written, quotes included; empty text right after `=` for `NAME=`. */
  value: Token;
  /** The value after shell quote removal, `$references` left as written. */
  text: string;
  references: ShellReference[];
  exported: boolean;
  /** From the name (or `export`) to the end of the value. */
  range: Range;
  /** For `SOCKET`, parsed from the value (parts that come from `$references` keep them). */
  socket?: SocketSpec;
}

/** `$NAME` or `${NAME…}` in a value. */
export interface ShellReference {
  /** Just the variable name. */
  name: Token;
  /** The whole reference, `$`, braces and any `:-default` included. */
  range: Range;
  braced: boolean;
}

// ---------------------------------------------------------------- KeyTable

export interface KeyTableTree {
  kind: 'opendkim-keytable';
  entries: KeyTableEntry[];
  comments: Comment[];
  lineCount: number;
}

/** `keyname domain:selector:key`. */
export interface KeyTableEntry {
  line: number;
  range: Range;
  name: Token;
  /** Everything after the name (trimmed), as OpenDKIM stores it. */
  value?: Token;
  /** The signing domain (`d=`); `%` stands for the sender's domain. */
  domain?: Token;
  selector?: Token;
  /** A key file name, or the key itself (PEM or base64 DER); may contain `:`. */
  key?: Token;
  /** `path` when the key starts with `/`, `./` or `../` (how OpenDKIM decides), else `data`. */
  keyKind?: 'path' | 'data';
}

// ---------------------------------------------------------------- SigningTable

/**
 * How a SigningTable key matches. With a plain file (or csl, db, dsn …) OpenDKIM looks the
 * sender up literally as `user@host`, `host`, `user@.parent`, `.parent`, `user@*`, `*`; only
 * with `refile:` are keys wildcard patterns (`*` = anything), tried in file order.
 */
export type SigningPatternKind =
  | 'address'            // user@example.com
  | 'domain'             // example.com
  | 'address-subdomains' // user@.example.com
  | 'subdomains'         // .example.com
  | 'user-any-domain'    // user@*
  | 'any'                // *
  | 'glob'               // contains `*` elsewhere, e.g. *@example.com: matches only with refile:
  | 'template';          // contains a template placeholder

export interface SigningTableEntry {
  line: number;
  range: Range;
  pattern: Token;
  patternKind: SigningPatternKind;
  /** Everything after the pattern (trimmed). */
  value?: Token;
  /** The KeyTable name (before the first `:` of the value); `%` means the sender's domain. */
  keyName?: Token;
  /** The optional signer identity (`i=`) after the first `:`. */
  signer?: Token;
}

export interface SigningTableTree {
  kind: 'opendkim-signingtable';
  entries: SigningTableEntry[];
  comments: Comment[];
  lineCount: number;
}

// ---------------------------------------------------------------- host lists

export type HostEntryKind =
  | 'hostname'  // mail.example.com, localhost
  | 'domain'    // .example.com: every host under example.com
  | 'wildcard'  // *.example.com: a pattern, meaningful only when the list is loaded with refile:
  | 'ipv4'      // 192.0.2.1, 192.0.2.0/24, [192.0.2.1]
  | 'ipv6'      // 2001:db8::1, 2001:db8::/32
  | 'template'  // contains a template placeholder such as %(host)s or @VAR@
  | 'invalid';

/** One line of TrustedHosts / InternalHosts / ExternalIgnoreList / PeerList / ExemptDomains. */
export interface HostListEntry {
  line: number;
  range: Range;
  /** The whole entry as written (`!`, brackets and `/len` included). */
  text: string;
  negated: boolean;
  kind: HostEntryKind;
  /** The name or address alone: without `!`, brackets and `/len`. */
  host: Token;
  bracketed: boolean;
  /** The digits after `/`. */
  prefixLength?: Token;
  prefixBits?: number;
  /** Words after the entry on the same line; OpenDKIM ignores them for host lookups. */
  extra?: Token;
}

export interface HostListTree {
  kind: 'opendkim-hostlist';
  entries: HostListEntry[];
  comments: Comment[];
  lineCount: number;
}
