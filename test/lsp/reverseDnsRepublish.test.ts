// The reverse DNS of the sending host (rdns/*) in the editor, through the real server: the
// finding sits on main.cf and on the reverse zone, and must update on both when either is
// edited; the zone side's quick-fix (a code action) adds the PTR record and clears both.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, fileUri } from './lspClient';

const NO_PTR = 'rdns/sending-address-without-ptr';
const ETC = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-rdns-')), 'etc');
const MAIN = 'myhostname = mail.example.org\ninet_protocols = ipv4\n';
const FORWARD = `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
relay IN A   192.0.2.26
`;
const REVERSE = `$ORIGIN 2.0.192.in-addr.arpa.
$TTL 3600
@     IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 3600
      IN NS  ns1.example.org.
53    IN PTR ns1.example.org.
`;

let client: TestClient;
const mainUri = () => fileUri(path.join(ETC, 'postfix/main.cf'));
const reverseUri = () => fileUri(path.join(ETC, 'bind/db.192.0.2'));

before(async () => {
  fs.mkdirSync(path.join(ETC, 'postfix'), { recursive: true });
  fs.mkdirSync(path.join(ETC, 'bind'), { recursive: true });
  fs.writeFileSync(path.join(ETC, 'postfix/main.cf'), MAIN);
  fs.writeFileSync(path.join(ETC, 'postfix/master.cf'), 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n');
  fs.writeFileSync(path.join(ETC, 'bind/db.example.org'), FORWARD);
  fs.writeFileSync(path.join(ETC, 'bind/db.192.0.2'), REVERSE);
  client = new TestClient();
  await client.initialize(fileUri(ETC));
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

const noPtr = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.filter((x) => x.code === NO_PTR);

test('a reverse zone edit updates the open main.cf, a main.cf edit the open reverse zone; the code action adds the PTR', async () => {
  const onMain = await client.open(mainUri(), 'postfix-main', MAIN);
  assert.equal(noPtr(onMain).length, 1, JSON.stringify(onMain.diagnostics));
  const mainAfterZoneOpen = client.nextDiagnostics(mainUri());
  const onZone = await client.open(reverseUri(), 'dns-zone', REVERSE);
  const [zoneFinding] = noPtr(onZone);
  assert.ok(zoneFinding, JSON.stringify(onZone.diagnostics));
  assert.equal(noPtr(await mainAfterZoneOpen).length, 1);

  // The quick-fix as the editor gets it: a code action whose edit adds the record and bumps the serial.
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: reverseUri() }, range: zoneFinding.range, context: { diagnostics: [zoneFinding] } });
  const add = actions.find((a) => /Add the PTR record 25 → mail\.example\.org/.test(a.title));
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  const fixed = TextDocument.applyEdits(TextDocument.create(reverseUri(), 'dns-zone', 1, REVERSE), add.edit!.changes![reverseUri()]);
  assert.match(fixed, /\n25\tIN\tPTR\tmail\.example\.org\.\n/);
  assert.match(fixed, / 2024010102 /);

  // Applied: the zone is clean, and main.cf's warning goes away without touching main.cf.
  const mainAfterZoneEdit = client.nextDiagnostics(mainUri());
  const zoneFixed = await client.change(reverseUri(), 2, [{ text: fixed }]);
  assert.deepEqual(noPtr(zoneFixed), []);
  assert.deepEqual(noPtr(await mainAfterZoneEdit), [], 'main.cf re-checked after the zone edit');

  // main.cf now names a host whose address has no PTR: the reverse zone gets the warning back.
  const zoneAfterMainEdit = client.nextDiagnostics(reverseUri(), 2);
  const mainNow = await client.change(mainUri(), 2, [{ text: MAIN.replace('mail.example.org', 'relay.example.org') }]);
  assert.equal(noPtr(mainNow).length, 1, JSON.stringify(mainNow.diagnostics));
  const zoneNow = await zoneAfterMainEdit;
  assert.equal(noPtr(zoneNow).length, 1, `reverse zone re-checked after the main.cf edit: ${JSON.stringify(zoneNow.diagnostics)}`);
  assert.match(noPtr(zoneNow)[0].message as string, /No PTR record for 192\.0\.2\.26/);
});

test('a forward zone edit reaches the open reverse zone once the typing pauses (small zones only)', async () => {
  // State from the test before: main.cf names relay.example.org (192.0.2.26), the reverse zone
  // has a PTR for .25 only. Add .26 → relay, then move relay to .27 in the forward zone: the
  // reverse zone now lacks the PTR of the address mail leaves from, seen without editing it.
  const withPtr = (await client.change(reverseUri(), 3, [{ text: REVERSE + '26    IN PTR relay.example.org.\n' }]));
  assert.deepEqual(withPtr.diagnostics.filter((d) => String(d.code).startsWith('rdns/')), [], JSON.stringify(withPtr.diagnostics));
  const forwardUri = fileUri(path.join(ETC, 'bind/db.example.org'));
  await client.open(forwardUri, 'dns-zone', FORWARD);
  const reverseAgain = client.nextDiagnostics(reverseUri(), 3, 5000);
  const t0 = Date.now();
  await client.change(forwardUri, 2, [{ text: FORWARD.replace('relay IN A   192.0.2.26', 'relay IN A   192.0.2.27') }]);
  const later = await reverseAgain;
  assert.ok(Date.now() - t0 >= 300, 'after the pause, not on the keystroke');
  const missing = later.diagnostics.filter((d) => d.code === NO_PTR);
  assert.equal(missing.length, 1, JSON.stringify(later.diagnostics));
  assert.match(missing[0].message as string, /No PTR record for 192\.0\.2\.27 /);
});
