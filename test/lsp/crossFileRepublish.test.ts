// Cross-file findings in the editor: a finding that sits on two files (here the SPF of the
// sending host: main.cf's myhostname ↔ the zone's SPF record) must update on both when either
// file is edited, through the real server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './lspClient';

const CODE = 'spf/sending-host-not-authorized';
const ETC = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-cross-')), 'etc');
const MAIN = 'myhostname = mail.example.org\nmydomain = example.org\nmyorigin = $mydomain\n';
const zone = (spf: string) => `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
      IN TXT "${spf}"
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.org"
`;
const FAILING = 'v=spf1 ip4:192.0.2.99 -all';
const PASSING = 'v=spf1 mx -all';

let client: TestClient;
const mainUri = () => fileUri(path.join(ETC, 'postfix/main.cf'));
const zoneUri = () => fileUri(path.join(ETC, 'bind/db.example.org'));

before(async () => {
  fs.mkdirSync(path.join(ETC, 'postfix'), { recursive: true });
  fs.mkdirSync(path.join(ETC, 'bind'), { recursive: true });
  fs.writeFileSync(path.join(ETC, 'postfix/main.cf'), MAIN);
  fs.writeFileSync(path.join(ETC, 'postfix/master.cf'), 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n');
  fs.writeFileSync(path.join(ETC, 'bind/db.example.org'), zone(FAILING));
  client = new TestClient();
  await client.initialize(fileUri(ETC));
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

const has = (d: { diagnostics: Array<{ code?: unknown }> }) => d.diagnostics.some((x) => x.code === CODE);

test('a zone edit updates the open main.cf, and a main.cf edit the open zone', async () => {
  const onMain = await client.open(mainUri(), 'postfix-main', MAIN);
  assert.ok(has(onMain), JSON.stringify(onMain.diagnostics));
  // Opening the zone re-checks main.cf too (it is a dependent): that publish is awaited here.
  const mainAfterZoneOpen = client.nextDiagnostics(mainUri());
  const onZone = await client.open(zoneUri(), 'dns-zone', zone(FAILING));
  assert.ok(has(onZone), JSON.stringify(onZone.diagnostics));
  assert.ok(has(await mainAfterZoneOpen));

  // The zone now authorizes the host (mx): main.cf's warning goes away without touching main.cf.
  const mainAfterZoneEdit = client.nextDiagnostics(mainUri());
  const zoneFixed = await client.change(zoneUri(), 2, [{ text: zone(PASSING) }]);
  assert.ok(!has(zoneFixed));
  assert.ok(!has(await mainAfterZoneEdit), 'main.cf re-checked after the zone edit');

  // main.cf now names another host, one the zone's SPF does not cover: the zone gets the warning back.
  await client.change(zoneUri(), 3, [{ text: zone(PASSING) + 'relay IN A 192.0.2.26\n' }]);
  const zoneAfterMainEdit = client.nextDiagnostics(zoneUri(), 3);
  const mainNow = await client.change(mainUri(), 2, [{ text: MAIN.replace('mail.example.org', 'relay.example.org') }]);
  assert.ok(has(mainNow), JSON.stringify(mainNow.diagnostics));
  const zoneNow = await zoneAfterMainEdit;
  assert.ok(has(zoneNow), `zone re-checked after the main.cf edit: ${JSON.stringify(zoneNow.diagnostics)}`);
});
