// Generated edits over hostile input: zone files assembled from awkward pieces ($ORIGIN
// changes, inherited owners, parentheses left open, CRLF and lone CR, missing final line
// end, junk) and tables/configurations of random lines. The functions never throw, their
// edits apply, and where the zone is whole the record lands at exactly the intended name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { txtRdataText, zoneRecordInsertion } from '../../../server/src/core/stack/zoneInsertion';
import { dkimSuggestions, planDkimSetup } from '../../../server/src/core/stack/dkimSetup';
import { spfRecordFor } from '../../../server/src/core/records/spf/generate';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';
import { afterEdits, applyEdits, generated, uriOf, workspaceOf } from './helpers';

const ZONE = '/etc/bind/db.example.org';
const HEAD = '$ORIGIN example.org.\n$TTL 300\n@ IN SOA ns1 hm 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n';
const PIECES = [
  '$ORIGIN example.org.', '$ORIGIN sub.example.org.', '$ORIGIN other.example.org.', '$TTL 60',
  'www IN A 192.0.2.80', '\tIN AAAA 2001:db8::1', '  IN TXT "inherited"', '@ IN MX 10 mail', 'mail IN A 192.0.2.25',
  'txt IN TXT ( "a"', '  "b" )', '; a comment', '', 'host.example.org. IN A 192.0.2.9', 'x IN CNAME www',
];
const JUNK = ['(', ')', '"unterminated', '\\', '$INCLUDE', '$GENERATE 1-3 h$ A 192.0.2.$', '\u0000', 'IN IN IN'];

const zoneText = fc.tuple(
  fc.array(fc.constantFrom(...PIECES, ...JUNK), { maxLength: 14 }),
  fc.constantFrom('\n', '\r\n', '\r'),
  fc.boolean(),
).map(([lines, eol, finalEol]) => (HEAD + lines.join('\n')).replace(/\n/g, eol) + (finalEol ? eol : ''));
const ownerName = fc.constantFrom('_dmarc.example.org', 's1._domainkey.example.org', 'example.org', 's2._domainkey.sub.example.org', '_dmarc.elsewhere.example.net');

test('zoneRecordInsertion never throws, its edit applies, and in a zone without junk the record is at the intended name', () => {
  let verified = 0;
  fc.assert(fc.property(zoneText, ownerName, (text, owner) => {
    const ws = workspaceOf({ [ZONE]: text });
    const edit = zoneRecordInsertion(ws, uriOf(ZONE), owner, 'TXT', txtRdataText('v=generated'));
    const out = applyEdits(ws, [edit]).get(uriOf(ZONE))!;
    assert.ok(out.startsWith(text.slice(0, 20)));
    const clean = !JUNK.some((j) => text.includes(j)) && !/\(/.test(text.replace(/txt IN TXT \( "a"(\r\n|\n|\r)  "b" \)/g, ''));
    if (clean && !owner.endsWith('example.net')) {
      const a = new WorkspaceZones(afterEdits(ws, new Map([[uriOf(ZONE), out]]))).txtSync(owner);
      assert.ok(a?.status === 'ok' && a.records.some((r) => r.join('') === 'v=generated'), `${JSON.stringify(out)}\n${owner}`);
      verified++;
    }
  }), { numRuns: 400, seed: 20261105 });
  assert.ok(verified >= 40, `the name was checked in ${verified} zones`);
});

const tableLine = fc.oneof(
  fc.constantFrom('*@example.org k1', 'k1 example.org:s1:/k/s1.private', '* k1', '%', '# c', '', 'a:b:c', '*@* %', 'k1 %:s:/k/%.private'),
  fc.string({ maxLength: 30 }),
);
const confLine = fc.constantFrom('KeyTable /etc/opendkim/key.table', 'SigningTable refile:/etc/opendkim/signing.table', 'SigningTable /etc/opendkim/signing.table',
  'KeyTable dsn:mysql://x', 'Domain example.org', 'Selector s', 'KeyFile /k/s.private', 'Mode v', 'Include /etc/opendkim.conf', 'junk junk', '');

test('suggestions and the DKIM plan never throw over random tables and configurations; their edits apply', () => {
  fc.assert(fc.property(fc.array(confLine, { maxLength: 6 }), fc.array(tableLine, { maxLength: 6 }), fc.array(tableLine, { maxLength: 6 }), zoneText,
    (conf, keys, signing, zone) => {
      const ws = workspaceOf({
        '/etc/opendkim.conf': conf.join('\n'), '/etc/opendkim/key.table': keys.join('\n'), '/etc/opendkim/signing.table': signing.join('\n'),
        [ZONE]: zone, '/etc/postfix/main.cf': 'myhostname = mail.example.org\ninet_interfaces = 192.0.2.25\n',
      }, { '/etc/opendkim/key.table': 'opendkim-keytable', '/etc/opendkim/signing.table': 'opendkim-signingtable', '/etc/opendkim.conf': 'opendkim-conf' });
      const s = dkimSuggestions(ws, new Date(Date.UTC(2026, 10, 5)));
      assert.ok(s.selector.length > 0);
      const plan = planDkimSetup(ws, { domain: 'example.org', selector: 'z9', keyPath: '/k/z9.private', generated: generated('example.org', 'z9', '/k/z9.private') });
      applyEdits(ws, plan.edits.edits);
      assert.ok(plan.refusal !== undefined || plan.notes.length > 0);
      assert.ok(spfRecordFor(ws, 'example.org', { all: '-all' }).value.startsWith('v=spf1 '));
    }), { numRuns: 200, seed: 20261106 });
});
