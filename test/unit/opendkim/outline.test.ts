import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opendkimLanguage } from '../../../server/src/core/opendkim/language';
import type { DocumentKind } from '../../../server/src/core/kinds';
import { r } from './helpers';

function outline(kind: DocumentKind, text: string) {
  const { tree } = opendkimLanguage.parse(text, kind);
  return { symbols: opendkimLanguage.symbols(tree), folding: opendkimLanguage.folding(tree) };
}

test('outline: opendkim.conf has one symbol per option (detail = value); comment runs fold', () => {
  const { symbols, folding } = outline('opendkim-conf', '# one\n# two\n# three\nSyslog yes\n\n# single\nSocket  inet:8891@localhost\n# a\n# b\n');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.kind, r(s.range), r(s.selectionRange)]), [
    ['Syslog', 'yes', 'Property', '3:0-3:10', '3:0-3:6'],
    ['Socket', 'inet:8891@localhost', 'Property', '6:0-6:27', '6:0-6:6'],
  ]);
  assert.deepEqual(folding, [{ startLine: 0, endLine: 2, kind: 'comment' }, { startLine: 7, endLine: 8, kind: 'comment' }]);
});

test('outline: KeyTable keys show selector._domainkey.domain', () => {
  const { symbols } = outline('opendkim-keytable', 'mail._domainkey.example.com example.com:mail:/etc/opendkim/keys/mail.private\n');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.kind, r(s.selectionRange)]), [
    ['mail._domainkey.example.com', 'mail._domainkey.example.com', 'Key', '0:0-0:27'],
  ]);
});

test('outline: SigningTable patterns show their key name; host lists their entries', () => {
  const st = outline('opendkim-signingtable', '*@example.com default._domainkey.example.com\n').symbols;
  assert.deepEqual(st.map((s) => [s.name, s.detail, r(s.range)]), [['*@example.com', 'default._domainkey.example.com', '0:0-0:44']]);
  const hl = outline('opendkim-hostlist', '127.0.0.1\n!10.0.0.0/8\n.example.com\n').symbols;
  assert.deepEqual(hl.map((s) => [s.name, s.detail, s.kind]), [
    ['127.0.0.1', 'IPv4', 'Constant'],
    ['!10.0.0.0/8', 'not: IPv4 network', 'Constant'],
    ['.example.com', 'domain and its subdomains', 'Constant'],
  ]);
});

test('outline: /etc/default/opendkim shows its variables', () => {
  const { symbols, folding } = outline('opendkim-default', '# a\n# b\nRUNDIR=/run/opendkim\nexport SOCKET="local:$RUNDIR/opendkim.sock"\n');
  assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.kind, r(s.range)]), [
    ['RUNDIR', '/run/opendkim', 'Variable', '2:0-2:20'],
    ['SOCKET', '"local:$RUNDIR/opendkim.sock"', 'Variable', '3:0-3:43'],
  ]);
  assert.deepEqual(folding, [{ startLine: 0, endLine: 1, kind: 'comment' }]);
});

test('outline: details of huge values are cut', () => {
  const { symbols } = outline('opendkim-conf', `Domain ${'a'.repeat(5000)}\n`);
  assert.equal(symbols[0].detail!.length, 201);
});
