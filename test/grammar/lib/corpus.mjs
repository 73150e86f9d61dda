// Which grammar reads which file of ../shared/corpus, and the few invalid.illegal tokens
// that are right to show there (each with the reason).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './textmate.mjs';

export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

/** Grammar scope for a corpus file, or null for files no grammar reads (YAML suites, .eml ...). */
export function scopeForCorpusFile(relPath) {
  const [dir, name] = relPath.split('/');
  if (dir === 'postfix') {
    if (/master\.cf$/.test(name)) return 'source.postfix-master';
    if (/main\.cf/.test(name)) return 'source.postfix-main';
    return null;
  }
  if (dir === 'opendkim') {
    if (/(KeyTable|SigningTable|TrustedHosts|InternalHosts|keytable|signingtable|signtable|\.hosts\.tpl)$/.test(name)) {
      return 'source.opendkim-table';
    }
    if (/\.conf|conf\.(sample|simple|tpl)/.test(name)) return 'source.opendkim-conf';
    return null;
  }
  if (dir === 'zone') return 'source.dns-zone';
  return null;
}

// 1-based line numbers and a piece of the offending token text; everything else must be clean.
const jinja = 'Jinja template syntax, rendered away before Postfix reads the file';
const allowedInvalid = {
  'postfix/Mailu__Mailu__core_postfix_conf_main.cf': [
    { line: 36, text: '{% if RELAYUSER %}', reason: jinja },
    { line: 41, text: '{% endif %}', reason: jinja },
    { line: 141, text: '{# Ensure', reason: jinja },
    { line: 142, text: '{{- ', reason: jinja },
  ],
  'postfix/Mailu__Mailu__core_postfix_conf_master.cf': [
    // '{# Ensure that the rendered file ... #}' looks like a service line with 8 fields.
    { line: 57, text: '', reason: jinja },
    { line: 58, text: '', reason: jinja },
  ],
  'postfix/sovereign__sovereign__roles_mailserver_templates_etc_postfix_main.cf.j2': [
    { line: 123, text: '{% if mail_header_privacy', reason: jinja },
    { line: 126, text: '{% endif %}', reason: jinja },
  ],
  'postfix/iredmail__iRedMail__samples_postfix_master.cf': [
    { line: 27, text: 'PH_AMAVISD_MAX_SERVERS', reason: 'installer placeholder in the maxproc column' },
  ],
  'zone/saskia-libotte__admin2-2022-2023__reseau_externe_ns_mmes-2.ephec-ti.be': [
    { line: 34, text: '><', reason: 'the published DKIM key really contains "><" (corrupted paste): the key cannot decode' },
  ],
};

/** [{file, rel, scopeName, allowedInvalid:[{line,text}]}] for every corpus file a grammar reads. */
export function corpusFiles() {
  const out = [];
  for (const dir of ['postfix', 'opendkim', 'zone']) {
    const full = path.join(corpusDir, dir);
    if (!fs.existsSync(full)) continue;
    for (const name of fs.readdirSync(full).sort()) {
      const rel = `${dir}/${name}`;
      const scopeName = scopeForCorpusFile(rel);
      if (!scopeName) continue;
      out.push({ file: path.join(full, name), rel, scopeName, allowedInvalid: allowedInvalid[rel] ?? [] });
    }
  }
  return out;
}
