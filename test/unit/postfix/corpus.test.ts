// Real configurations: every main.cf/master.cf of the shared corpus and every Postfix
// snippet of the seed posts must parse without an error-severity finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brief, errors, main, master } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/postfix');

/**
 * Corpus files that the real Postfix would reject as they are, with why. These are
 * installer templates, not finished configurations; the finding is right.
 */
const EXPECTED_ERRORS: Record<string, Array<[string, string, [number, number, number, number]]>> = {
  // iRedMail's installer replaces PH_AMAVISD_MAX_SERVERS with a number; `postconf -M` on the file as it
  // is stops with: invalid process_limit field "PH_AMAVISD_MAX_SERVERS".
  'iredmail__iRedMail__samples_postfix_master.cf': [['master/bad-maxproc-field', 'error', [26, 32, 26, 54]]],
};

function corpusFiles(part: string): string[] {
  return fs.readdirSync(CORPUS).filter((f) => f.includes(part)).sort();
}

test('the corpus is there (CI checks it out beside the repository)', () => {
  assert.ok(corpusFiles('main.cf').length >= 25, `main.cf files in ${CORPUS}`);
  assert.ok(corpusFiles('master.cf').length >= 20, `master.cf files in ${CORPUS}`);
});

for (const file of corpusFiles('main.cf')) {
  test(`corpus main.cf: ${file}`, () => {
    const { tree, findings } = main(fs.readFileSync(path.join(CORPUS, file), 'utf8'));
    assert.deepEqual(brief(errors(findings)), EXPECTED_ERRORS[file] ?? []);
    assert.ok(tree.parameters.length > 0);
    // Templates (Mailu, sovereign) get information notes for their tag lines; nothing else is reported.
    assert.deepEqual(findings.filter((f) => f.code !== 'postfix/template-line' && f.severity !== 'error'), []);
    for (const f of findings) if (f.code === 'postfix/template-line') assert.equal(f.severity, 'information');
  });
}

for (const file of corpusFiles('master.cf')) {
  test(`corpus master.cf: ${file}`, () => {
    const { tree, findings } = master(fs.readFileSync(path.join(CORPUS, file), 'utf8'));
    assert.deepEqual(brief(errors(findings)), EXPECTED_ERRORS[file] ?? []);
    assert.deepEqual(findings.filter((f) => f.severity === 'warning'), []);
    assert.ok(tree.services.length > 0);
  });
}

test('corpus: the stock Postfix main.cf has its settings and only comments otherwise', () => {
  const { tree, findings } = main(fs.readFileSync(path.join(CORPUS, 'vdukhovni__postfix__postfix_conf_main.cf'), 'utf8'));
  assert.deepEqual(findings, []);
  assert.ok(tree.parameters.some((p) => p.name.text === 'compatibility_level'));
  assert.ok(tree.comments.length > 500);
});

test('corpus: the stock master.cf services, including pipe entries with argv', () => {
  const { tree, findings } = master(fs.readFileSync(path.join(CORPUS, 'vdukhovni__postfix__postfix_conf_master.cf'), 'utf8'));
  assert.deepEqual(findings, []);
  const names = tree.services.map((s) => `${s.name.text}/${s.type?.text}`);
  for (const n of ['smtp/inet', 'pickup/unix', 'cleanup/unix', 'qmgr/unix', 'local/unix', 'postlog/unix-dgram']) assert.ok(names.includes(n), n);
});

test('corpus: DanWin inline:{{…}} maps and DMS cidr:{{…}} parse as tables with members', () => {
  const dms = main(fs.readFileSync(path.join(CORPUS, 'docker-mailserver__docker-mailserver__test_config_override-configs_postfix-main.cf'), 'utf8'));
  const tables = dms.tree.parameters.flatMap((p) => p.value.words).map((w) => w.table).filter((t) => t !== undefined);
  assert.ok(tables.some((t) => t.type === 'cidr' && (t.members?.length ?? 0) > 0));
});

// ---------------------------------------------------------------------------- seeds

/** The Postfix lines the seed posts print, verbatim. */
const SEED_MAIN: Record<string, string> = {
  '000 main.cf lines': [
    'myorigin = /etc/mailname',
    'smtpd_tls_cert_file=/etc/letsencrypt/live/mail.hottemax.org/fullchain.pem',
    'smtpd_tls_key_file=/etc/letsencrypt/live/mail.hottemax.org/privkey.pem',
    'smtpd_use_tls=yes',
    'smtpd_tls_session_cache_database = btree:${data_directory}/smtpd_scache',
    'smtp_tls_security_level = may',
    'smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache',
    'smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt',
    '## DKIM configuration',
    'milter_default_action = accept',
    'milter_protocol   = 6',
    'smtpd_milters = inet:localhost:8891',
    'non_smtpd_milters = $smtpd_milter',
  ].join('\n'),
  '001 main.cf': [
    '# openDKIM:',
    '# accept mail when milter does not work:',
    'milter_default_action = accept',
    '# 6 is default:',
    'milter_protocol   = 6',
    'smtpd_milters     = inet:localhost:8892',
    '# local generated mails:',
    'non_smtpd_milters = inet:localhost:8892',
  ].join('\n'),
  '004 main.cf lines': [
    'policyd-spf_time_limit = 3600',
    'smtpd_recipient_restrictions =',
    '   reject_unauth_destination,',
    '   check_policy_service unix:private/policyd-spf',
    '',
    '# Milter configuration',
    '# OpenDKIM',
    'milter_default_action = accept',
    'milter_protocol = 2',
    'smtpd_milters = local:/opendkim/opendkim.sock',
    'non_smtpd_milters = local:/opendkim/opendkim.sock',
  ].join('\n'),
};

for (const [name, text] of Object.entries(SEED_MAIN)) {
  test(`seed ${name} parses cleanly`, () => {
    const { tree, findings } = main(text);
    assert.deepEqual(findings, []);
    assert.ok(tree.parameters.length >= 4);
  });
}

test('seed 000: the typo `$smtpd_milter` is a reference with an exact name range (for the later undefined-parameter check)', () => {
  const { tree } = main(SEED_MAIN['000 main.cf lines']);
  const p = tree.parameters.find((x) => x.name.text === 'non_smtpd_milters')!;
  assert.deepEqual(p.value.references.map((x) => [x.name, x.nameRange]), [['smtpd_milter', { start: { line: 12, character: 21 }, end: { line: 12, character: 33 } }]]);
  const cache = tree.parameters.find((x) => x.name.text === 'smtpd_tls_session_cache_database')!;
  assert.deepEqual([cache.value.words[0].table?.type, cache.value.references[0].name], ['btree', 'data_directory']);
});

test('seed 004 master.cf: policyd-spf spawn service with user= and argv= on the continuation line', () => {
  const text = 'policyd-spf  unix  -       n       n       -       0       spawn\n    user=policyd-spf argv=/usr/bin/policyd-spf\n';
  const { tree, findings } = master(text);
  assert.deepEqual(findings, []);
  const s = tree.services[0];
  assert.deepEqual([s.name.text, s.type?.text, s.maxproc?.text, s.command?.text], ['policyd-spf', 'unix', '0', 'spawn']);
  assert.deepEqual(s.attributes.map((a) => [a.name.text, a.value.text]), [['user', 'policyd-spf'], ['argv', '/usr/bin/policyd-spf']]);
});

test('samples/: every Postfix file the seeds were laid out into parses without findings', () => {
  const samples = path.join(REPO, 'samples');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'main.cf' || e.name === 'master.cf') found.push(p);
    }
  };
  if (!fs.existsSync(samples)) return; // the samples are written by another task; the inline seeds above cover them
  walk(samples);
  assert.ok(found.length >= 3, 'samples hold the seeds\' main.cf and master.cf files');
  for (const p of found) {
    const text = fs.readFileSync(p, 'utf8');
    const res = p.endsWith('master.cf') ? master(text) : main(text);
    assert.deepEqual(brief(res.findings), [], p);
  }
});
