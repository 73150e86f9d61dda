// Smaller facts read from the Postfix sources: the smtpd restriction names and what they
// examine, the lookup table types, the suffixes postconf adds to master.cf service names,
// the database-client parameter suffixes, and postconf's own list of deprecated names.
import { collectDefines, evalString, stripComments } from './cMacros.mjs';

const MAIL_PARAMS = 'postfix/src/global/mail_params.h';

/** Macros of mail_params.h at `rev` (restriction names live there too). */
function mailParamDefines(src, rev) {
  return collectDefines([src.read(rev, MAIL_PARAMS) ?? '']);
}

/**
 * Restrictions understood by smtpd's generic_checks() at `rev`: name → what it examines
 * (the section of the function it is in), whether it reads a lookup table
 * (is_map_command) and whether it consumes the next word of the list.
 */
export function extractRestrictions(src, rev) {
  const defs = mailParamDefines(src, rev);
  const raw = src.read(rev, 'postfix/src/smtpd/smtpd_check.c') ?? '';
  const start = raw.search(/static int generic_checks\(SMTPD_STATE \*state/);
  if (start < 0) return new Map();
  // Walk the raw source: the section comments ("Client name/address restrictions" …)
  // tell what each following restriction examines.
  const end = raw.indexOf('\n}\n', start);
  const body = raw.slice(start, end);
  const out = new Map();
  let section = 'generic';
  // Split into branches at "else if (" / "if (" on the restriction name.
  const lines = body.split('\n');
  let current;
  for (const line of lines) {
    const comment = /^\s*\*\s*(Pseudo restrictions|Generic restrictions|Client name\/address restrictions|HELO\/EHLO parameter restrictions|Sender mail address restrictions|Recipient mail address restrictions|ETRN domain name restrictions)/.exec(line);
    if (comment) {
      section = {
        'Pseudo restrictions': 'generic',
        'Generic restrictions': 'generic',
        'Client name/address restrictions': 'client',
        'HELO/EHLO parameter restrictions': 'helo',
        'Sender mail address restrictions': 'sender',
        'Recipient mail address restrictions': 'recipient',
        'ETRN domain name restrictions': 'etrn',
      }[comment[1]];
      continue;
    }
    const names = [];
    for (const m of line.matchAll(/strcasecmp\(name,\s*([A-Z0-9_]+)\)\s*==\s*0/g)) names.push({ macro: m[1], table: false });
    for (const m of line.matchAll(/is_map_command\(state,\s*name,\s*([A-Z0-9_]+),/g)) names.push({ macro: m[1], table: true });
    if (names.length > 0) {
      const isContinuation = /^\s*\|\|/.test(line);
      if (!isContinuation) current = [];
      for (const { macro, table } of names) {
        const name = evalString(macro, defs);
        if (!name) continue;
        const entry = { name, examines: section, table, consumesArgument: false };
        out.set(name, entry);
        current.push(entry);
      }
      continue;
    }
    // A branch that reads the next list element: "*++cpp", "*(cpp += 1)", "cpp += 1".
    if (current && /\*\+\+cpp|cpp \+= 1/.test(line)) for (const e of current) if (!e.table) e.consumesArgument = true;
  }
  // Restriction classes that smtpd defines itself (reject_sender_login_mismatch is the
  // pair of authenticated/unauthenticated mismatch checks); "#if 0" blocks do not count.
  const compiled = stripComments(raw).replace(/#if 0[\s\S]*?#endif/g, '');
  for (const m of compiled.matchAll(/htable_enter\(smtpd_rest_classes,\s*([A-Z0-9_]+),[\s\S]*?smtpd_check_parse\([^,]+,([^;]*)\)\);/g)) {
    const name = evalString(m[1], defs);
    const expansion = evalString(m[2].trim(), defs);
    if (name) out.set(name, { name, examines: 'sender', table: false, consumesArgument: false, expandsTo: expansion?.split(/\s+/) });
  }
  return out;
}

/**
 * The restrictions smtpd requires in smtpd_relay_restrictions or
 * smtpd_recipient_restrictions (at least one of them, before any "permit").
 */
export function extractRelayRequired(src, rev) {
  const defs = mailParamDefines(src, rev);
  const raw = src.read(rev, 'postfix/src/smtpd/smtpd_check.c') ?? '';
  const m = /rcpt_required\[\] = \{([\s\S]*?)\n\s*0,\s*\n\s*\};/.exec(stripComments(raw));
  if (!m) return undefined;
  return m[1]
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => evalString(t, defs));
}

/** Dictionary type names defined in the sources at `rev` (DICT_TYPE_* macros). */
export function extractTableTypes(src, rev) {
  const headers = src
    .list(rev, 'postfix/src')
    .filter((p) => /^postfix\/src\/(util|global)\/dict_[a-z0-9_]+\.h$/.test(p) || /\/(dict|mail_dict)\.h$/.test(p));
  const texts = src.readMany(rev, headers);
  const types = new Set();
  for (const t of texts.values()) {
    for (const m of stripComments(t).matchAll(/^#\s*define\s+DICT_TYPE_[A-Z0-9_]+\s+"([^"]+)"/gm)) types.add(m[1]);
  }
  return types;
}

/**
 * The suffixes postconf appends to a master.cf service name, per daemon command, and the
 * parameter whose value each one defaults to (postconf_service.c).
 */
export function extractServiceSuffixes(src, rev) {
  const defs = mailParamDefines(src, rev);
  const text = stripComments(src.read(rev, 'postfix/src/postconf/postconf_service.c') ?? '');
  if (!text) return undefined;
  const programs = {};
  for (const m of text.matchAll(/#define\s+MAIL_PROGRAM_([A-Z]+)\s+"([^"]+)"/g)) programs[m[1]] = m[2];
  const tables = {};
  for (const m of text.matchAll(/static const \w+ (\w+)\[\] = \{([\s\S]*?)\n\s*0,\s*\n\s*\};/g)) {
    const pairs = [];
    for (const pm of m[2].matchAll(/(_[A-Z0-9_]+),\s*(VAR_[A-Z0-9_]+),/g)) {
      pairs.push({ suffix: evalString(pm[1], defs), defaultFrom: evalString(pm[2], defs) });
    }
    tables[m[1]] = pairs;
  }
  // "#define service_params (pipe_params + 1)": every pair of pipe_params but the first.
  const alias = /#define\s+service_params\s+\((\w+)\s*\+\s*1\)/.exec(text);
  if (alias && tables[alias[1]]) tables.service_params = tables[alias[1]].slice(1);
  const defsBlock = /service_defs\[\] = \{([\s\S]*?)\n\s*0,\s*\n\s*\};/.exec(text);
  const byCommand = {};
  if (defsBlock) {
    for (const m of defsBlock[1].matchAll(/MAIL_PROGRAM_([A-Z]+),\s*(\w+),/g)) {
      byCommand[programs[m[1]]] = tables[m[2]];
    }
  }
  return byCommand;
}

/**
 * Parameter suffixes of the legacy database-client configuration in main.cf
 * ("<name>_server_host" for "ldap:<name>"), the way postconf's build extracts them from
 * dict_ldap.c, dict_mysql.c …: the second argument of every cfg_get_str/int/bool call.
 */
export function extractDbmsSuffixes(src, rev) {
  const files = {
    ldap: ['postfix/src/global/dict_ldap.c', false],
    mysql: ['postfix/src/global/dict_mysql.c', true],
    pgsql: ['postfix/src/global/dict_pgsql.c', true],
    sqlite: ['postfix/src/global/dict_sqlite.c', true],
    memcache: ['postfix/src/global/dict_memcache.c', false],
    mongodb: ['postfix/src/global/dict_mongodb.c', false],
  };
  const out = {};
  for (const [type, [path, legacySql]] of Object.entries(files)) {
    const raw = src.read(rev, path);
    if (!raw) continue;
    const text = stripComments(raw);
    const defs = collectDefines([text]);
    const names = new Set(['domain']);
    if (legacySql) for (const n of ['table', 'select_field', 'where_field', 'additional_conditions']) names.add(n);
    for (const m of text.matchAll(/cfg_get_(?:str|int|bool)\s*\(\s*[^,]+,\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)/g)) {
      const v = evalString(m[1], defs);
      if (v) names.add(v);
    }
    out[type] = [...names].sort();
  }
  return out;
}

/**
 * postconf's own table of deprecated names and what to do instead (postconf_unused.c,
 * Postfix 3.9 and later): name → advice text.
 */
export function extractPostconfDeprecations(src, rev) {
  const raw = src.read(rev, 'postfix/src/postconf/postconf_unused.c');
  if (!raw) return new Map();
  // Drop "#if 0 … #endif" blocks: entries there are not compiled in.
  const text = stripComments(raw).replace(/#if 0[\s\S]*?#endif/g, '');
  const block = /pcf_depr_param_info\[\] = \{([\s\S]*?)\n\s*0,\s*\n\s*\};/.exec(text);
  const out = new Map();
  if (!block) return out;
  for (const m of block[1].matchAll(/"([a-z0-9_-]+)",\s*"((?:[^"\\]|\\.)*)"/g)) {
    if (m[1].includes('test-only')) continue;
    out.set(m[1], m[2].replace(/\\"/g, '"'));
  }
  return out;
}
