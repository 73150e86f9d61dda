// What each lookup table type is, in our own words, for hover and completion. The facts
// (form, postmap, Debian package, version) come from lookupTables.json.

import { getTableType, type TableTypeInfo } from '../../postfix/catalogue';

const TEXTS: Record<string, string> = {
  btree: 'A Berkeley DB B-tree file built with `postmap`; Postfix reads `NAME.db`.',
  cdb: 'A constant database (tinycdb) built with `postmap`; fast and safe to rebuild while Postfix reads it. Postfix reads `NAME.cdb`.',
  cidr: 'A text file of network/action lines (`192.0.2.0/24 REJECT`), matched against client addresses in order; no postmap needed.',
  dbm: 'An old DBM file built with `postmap`.',
  debug: 'Wraps another table and logs every lookup (`debug:hash:/etc/postfix/x`), for troubleshooting.',
  environ: 'Looks names up in Postfix\'s process environment.',
  fail: 'A table whose every lookup fails; handy to test error handling.',
  hash: 'A Berkeley DB hash file built with `postmap` (or `postalias` for aliases); Postfix reads `NAME.db`. Rebuild it after every edit of the text file.',
  inline: 'Entries written right in main.cf: `inline:{ key=value, { key = value with blanks } }`.',
  internal: 'A table kept in the memory of one process.',
  ldap: 'Looks up in an LDAP directory; NAME is a client configuration file (ldap_table(5)).',
  lmdb: 'An OpenLDAP LMDB file built with `postmap`; Postfix reads `NAME.lmdb`; no size limit and safe to read while it is rebuilt.',
  memcache: 'Looks up (and stores) in a memcached server; NAME is a configuration file (memcache_table(5)).',
  mongodb: 'Looks up in a MongoDB database; NAME is a client configuration file (mongodb_table(5)).',
  mysql: 'Looks up in a MySQL/MariaDB database; NAME is a client configuration file (mysql_table(5)).',
  netinfo: 'NeXTSTEP/old macOS NetInfo.',
  nis: 'Looks up in a NIS map.',
  nisplus: 'Looks up in a NIS+ table.',
  pcre: 'A text file of `/regex/ action` lines (Perl-compatible), tried in order; no postmap needed. `pcre:{ {/re/ action}, … }` works inline.',
  pgsql: 'Looks up in a PostgreSQL database; NAME is a client configuration file (pgsql_table(5)).',
  pipemap: 'Feeds the result of each table to the next: `pipemap:{ type:a, type:b }`.',
  proxy: 'Asks the proxymap service to do the lookup (`proxy:mysql:/etc/postfix/x.cf`): shares connections and lets chrooted daemons read tables outside the jail.',
  randmap: 'Answers with one of the listed results at random: `randmap:{ a, b, c }`.',
  regexp: 'A text file of `/regex/ action` lines (POSIX), tried in order; no postmap needed. `regexp:{ {/re/ action}, … }` works inline.',
  sdbm: 'An SDBM file built with `postmap`.',
  socketmap: 'Asks a socketmap server (`socketmap:inet:host:port:name` or `socketmap:unix:path:name`).',
  sqlite: 'Looks up in an SQLite database; NAME is a client configuration file (sqlite_table(5)).',
  static: 'Always returns the given text: `static:relay` (or `static:{ text with blanks }`).',
  tcp: 'Asks a server over a simple TCP protocol (`tcp:host:port`).',
  texthash: 'A plain `key value` text file read at startup without postmap; reload Postfix after edits.',
  unionmap: 'Asks every listed table and joins the results: `unionmap:{ type:a, type:b }`.',
  unix: 'The system password or group file (`unix:passwd.byname`).',
};

const FORMS: Record<TableTypeInfo['form'], string> = {
  indexedFile: 'indexed file',
  patternFile: 'pattern file',
  textFile: 'text file',
  clientConfig: 'database client',
  inline: 'inline table',
  literal: 'built-in',
  wrapper: 'wrapper',
  endpoint: 'network server',
  systemName: 'system database',
};

/** Markdown describing table type `type`, or undefined when Postfix has no such type. */
export function describeTableType(type: string): string | undefined {
  const info = getTableType(type);
  if (!info) return undefined;
  const lines = [`**${type}:** — lookup table (${FORMS[info.form]})`, ''];
  if (TEXTS[type]) lines.push(TEXTS[type], '');
  const facts: string[] = [];
  if (info.postmap) facts.push('Run `postmap` on the source file after each change.');
  if (info.since) facts.push(`Since Postfix ${info.since}.`);
  if (info.debianBuiltin) facts.push('Part of Debian\'s postfix package.');
  else if (info.debianPackage) facts.push(`On Debian, needs the \`${info.debianPackage}\` package.`);
  if (facts.length) lines.push(facts.join(' '), '');
  lines.push('[DATABASE_README](https://www.postfix.org/DATABASE_README.html)');
  return lines.join('\n');
}

export function tableTypeSummary(type: string): string | undefined {
  return TEXTS[type];
}
