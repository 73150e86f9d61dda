import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, brief, hostList, r } from './helpers';

test('host list: entry kinds, negation, brackets and prefix lengths with exact ranges', () => {
  const { tree, findings } = hostList([
    '# Host without signature',
    '127.0.0.1',
    '::1',
    'localhost',
    '.example.com',
    '*.example.org',
    '!192.168.1.5',
    '10.0.0.0/8',
    '[192.0.2.1]',
    '[192.0.2.0]/24',
    '2001:db8::/32',
    '::ffff:192.0.2.1',
    '0.0.0.0/0',
    '::/0',
    'MAIL_DOMAIN_PLACEHOLDER',
  ].join('\n'));
  assert.deepEqual(findings, []);
  assert.deepEqual(tree.entries.map((e) => `${e.text}:${e.kind}${e.negated ? ':not' : ''}${e.prefixBits !== undefined ? `/${e.prefixBits}` : ''}`), [
    '127.0.0.1:ipv4', '::1:ipv6', 'localhost:hostname', '.example.com:domain', '*.example.org:wildcard',
    '!192.168.1.5:ipv4:not', '10.0.0.0/8:ipv4/8', '[192.0.2.1]:ipv4', '[192.0.2.0]/24:ipv4/24',
    '2001:db8::/32:ipv6/32', '::ffff:192.0.2.1:ipv6', '0.0.0.0/0:ipv4/0', '::/0:ipv6/0',
    'MAIL_DOMAIN_PLACEHOLDER:hostname',
  ]);
  const neg = tree.entries[5];
  assert.equal(r(neg.range), '6:0-6:12');
  assert.equal(neg.host.text, '192.168.1.5');
  assert.equal(r(neg.host.range), '6:1-6:12');
  const cidr = tree.entries[6];
  assert.equal(r(cidr.host.range), '7:0-7:8');
  assert.equal(r(cidr.prefixLength!.range), '7:9-7:10');
  const bracketed = tree.entries[8];
  assert.equal(bracketed.bracketed, true);
  assert.equal(bracketed.host.text, '192.0.2.0');
  assert.equal(r(bracketed.host.range), '9:1-9:10');
  assert.equal(r(bracketed.prefixLength!.range), '9:12-9:14');
});

test('host list: malformed addresses are errors', () => {
  const cases: Array<[string, string]> = [
    ['192.168.1.256', 'error opendkim/hostlist-bad-address 0:0-0:13'],
    ['10.0.0/8', 'error opendkim/hostlist-bad-address 0:0-0:6'],
    ['10.0.0.0/33', 'error opendkim/hostlist-bad-address 0:8-0:11'],
    ['2001:db8::/129', 'error opendkim/hostlist-bad-address 0:10-0:14'],
    ['2001:db8:::1', 'error opendkim/hostlist-bad-address 0:0-0:12'],
    ['192.168.0.0/255.255.0.0', 'error opendkim/hostlist-bad-address 0:11-0:23'],
    ['[192.0.2.1', 'error opendkim/hostlist-bad-address 0:0-0:10'],
    ['!10.0.0.0/x', 'error opendkim/hostlist-bad-address 0:9-0:11'],
    ['mail.example.com/24', 'error opendkim/hostlist-bad-address 0:0-0:16'],
  ];
  for (const [text, expected] of cases) assert.deepEqual(brief(hostList(text).findings), [expected], text);
  assert.match(hostList('192.168.0.0/255.255.0.0').findings[0].message, /prefix length/);
});

test('host list: entries OpenDKIM can never match (host bits, non-canonical text) get a fix', () => {
  const bits = hostList('192.168.0.1/24');
  assert.deepEqual(brief(bits.findings), ['warning opendkim/hostlist-host-bits 0:0-0:11']);
  assert.equal(applyFix('192.168.0.1/24', bits.findings[0]), '192.168.0.0/24');
  const bits6 = hostList('!2001:db8::1/32');
  assert.equal(applyFix('!2001:db8::1/32', bits6.findings[0]), '!2001:db8::/32');

  const cases: Array<[string, string]> = [
    ['2001:0db8:0:0::1', '2001:db8::1'],
    ['010.0.0.1', '10.0.0.1'],
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['[2001:db8:0:0:1:0:0:1]', '[2001:db8::1:0:0:1]'],
    ['::ffff:c000:201', '::ffff:192.0.2.1'],
  ];
  for (const [text, fixed] of cases) {
    const f = hostList(text).findings;
    assert.deepEqual(brief(f), [`warning opendkim/hostlist-noncanonical-address 0:0-0:${text.length}`], text);
    assert.equal(applyFix(text, f[0]), fixed, text);
  }
  assert.deepEqual(hostList('2001:DB8::1').findings, [], 'OpenDKIM compares host lists case-insensitively');
});

test('host list: other junk, extra words and templates', () => {
  assert.deepEqual(brief(hostList('127.0.0.1, 10.0.0.0/8').findings), [
    'warning opendkim/table-extra-field 0:11-0:21',
    'warning opendkim/hostlist-bad-entry 0:0-0:10',
  ]);
  assert.match(hostList('127.0.0.1,').findings[0].message, /one entry per line/);
  assert.deepEqual(brief(hostList('127.0.0.1 localhost').findings), ['warning opendkim/table-extra-field 0:10-0:19']);
  assert.deepEqual(brief(hostList('mail@example.com').findings), ['warning opendkim/hostlist-bad-entry 0:0-0:16']);
  assert.deepEqual(brief(hostList('bücher.example').findings), ['warning opendkim/hostlist-bad-entry 0:0-0:14']);
  const tpl = hostList('%(trusted)s\n@TRUSTED_HOST@\n{{ mail_host }}\n');
  assert.deepEqual(tpl.findings, []);
  assert.deepEqual(tpl.tree.entries.map((e) => e.kind), ['template', 'template', 'template']);
});
