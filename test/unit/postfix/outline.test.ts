import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postfixLanguage } from '../../../server/src/core/postfix/language';
import { sectionTitle, shortDetail } from '../../../server/src/core/postfix/outline';
import { r } from './helpers';
import type { SymbolNode } from '../../../server/src/core/types';

function outline(text: string, kind: 'postfix-main' | 'postfix-master') {
  const { tree } = postfixLanguage.parse(text, kind);
  return { symbols: postfixLanguage.symbols(tree), folding: postfixLanguage.folding(tree) };
}

function names(symbols: SymbolNode[]): unknown[] {
  return symbols.map((s) => (s.children && s.children.length ? [s.name, names(s.children)] : s.name));
}

test('main.cf: one symbol per parameter with the value as detail', () => {
  const { symbols } = outline('myhostname = mail.example.com\nmynetworks = 127.0.0.0/8\n   [::1]/128\n', 'postfix-main');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.kind, r(s.range), r(s.selectionRange)]), [
    ['myhostname', 'mail.example.com', 'Property', [0, 0, 0, 29], [0, 0, 0, 10]],
    ['mynetworks', '127.0.0.0/8 [::1]/128', 'Property', [1, 0, 2, 12], [1, 0, 1, 10]],
  ]);
});

test('main.cf: long values are shortened in the detail', () => {
  const detail = shortDetail('a'.repeat(500));
  assert.equal(detail.length, 80);
  assert.ok(detail.endsWith('…'));
  assert.equal(shortDetail('  a,\n\t b  '), 'a, b');
});

test('main.cf: parameters are grouped under section header comments', () => {
  const text = [
    'compatibility_level = 3.6', // before any header: top level
    '# SOFT BOUNCE',
    '#',
    '# The soft_bounce parameter provides a limited safety net.',
    'soft_bounce = no',
    '## DKIM configuration',
    'milter_default_action = accept',
    '# 6 is the default:', // prose: not a header
    'milter_protocol = 6',
    '# ---- Relay ----',
    'relayhost = [smtp.example.net]:587',
  ].join('\n');
  const { symbols } = outline(text, 'postfix-main');
  assert.deepEqual(names(symbols), [
    'compatibility_level',
    ['SOFT BOUNCE', ['soft_bounce']],
    ['DKIM configuration', ['milter_default_action', 'milter_protocol']],
    ['Relay', ['relayhost']],
  ]);
  const dkim = symbols[2];
  assert.equal(dkim.kind, 'Namespace');
  assert.deepEqual([r(dkim.range), r(dkim.selectionRange)], [[5, 0, 8, 19], [5, 0, 5, 21]]);
});

test('section headers: titles, not prose or commented-out settings', () => {
  assert.equal(sectionTitle('# TLS PARAMETERS'), 'TLS PARAMETERS');
  assert.equal(sectionTitle('### TLS ###'), 'TLS');
  assert.equal(sectionTitle('# === Milters ==='), 'Milters');
  assert.equal(sectionTitle('# The soft_bounce parameter provides a limited safety net.'), undefined);
  assert.equal(sectionTitle('#myhostname = host.domain.tld'), undefined);
  assert.equal(sectionTitle('## a = b'), undefined);
  assert.equal(sectionTitle('#'), undefined);
  assert.equal(sectionTitle('##########'), undefined);
  assert.equal(sectionTitle('# TLS parameters'), undefined);
});

test('main.cf without headers is a flat list', () => {
  const { symbols } = outline('# accept mail when milter does not work:\nmilter_default_action = accept\n', 'postfix-main');
  assert.deepEqual(names(symbols), ['milter_default_action']);
});

test('master.cf: one symbol per service, children for -o overrides', () => {
  const text = 'smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n  -o { smtpd_tls_security_level = encrypt }\n' +
    'policyd-spf unix - n n - 0 spawn\n  user=policyd-spf argv=/usr/bin/policyd-spf\n';
  const { symbols } = outline(text, 'postfix-master');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.kind, r(s.range), r(s.selectionRange)]), [
    ['smtp/inet', 'smtpd', 'Class', [0, 0, 0, 25], [0, 0, 0, 4]],
    ['submission/inet', 'smtpd', 'Class', [1, 0, 3, 43], [1, 0, 1, 10]],
    ['policyd-spf/unix', 'spawn /usr/bin/policyd-spf', 'Class', [4, 0, 5, 44], [4, 0, 4, 11]],
  ]);
  assert.deepEqual(symbols[1].children?.map((c) => [c.name, c.detail, r(c.range), r(c.selectionRange)]), [
    ['syslog_name', 'postfix/submission', [2, 2, 2, 35], [2, 5, 2, 16]],
    ['smtpd_tls_security_level', 'encrypt', [3, 2, 3, 43], [3, 7, 3, 31]],
  ]);
});

test('folding: multi-line entries and runs of two or more comment lines', () => {
  const main = outline('# one\n# two\n# three\na = 1\nb =\n  x,\n  y\n# single\nc = 2\n', 'postfix-main');
  assert.deepEqual(main.folding, [{ startLine: 0, endLine: 2, kind: 'comment' }, { startLine: 4, endLine: 6 }]);
  const m = outline('#a\n#b\nsmtp inet n - y - - smtpd\n  -o a=b\n#c\n  -o c=d\n', 'postfix-master');
  assert.deepEqual(m.folding, [{ startLine: 0, endLine: 1, kind: 'comment' }, { startLine: 2, endLine: 5 }]);
});
