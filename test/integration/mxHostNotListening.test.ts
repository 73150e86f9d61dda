// mx/host-not-listening against Debian's real Postfix: what `inet_interfaces = loopback-only`
// (the send-only tutorial setting) does to the smtpd that other servers would deliver to.
// Postfix starts from fixtures/send-only with an smtpd that has no address of its own (so the
// master binds it to inet_interfaces, as it binds `smtp`) on a free port (the test cannot take
// port 25):
//
//   loopback-only  postconf says loopback-only; the master's listening socket is 127.0.0.1
//                  only (/proc/net/tcp); a connection to this machine's non-loopback address is
//                  refused, which is what a sending mail server gets. `postfix reload` with
//                  `inet_interfaces = all` changes nothing: the master logs that it ignores the
//                  change, and the socket stays on 127.0.0.1 (hence "restart" in the fix).
//                  mailconf, with the MX of example.test at mail.example.test (myhostname):
//                  mx/host-not-listening on inet_interfaces and on the MX; its quick-fix gives
//   all            the wildcard socket 0.0.0.0; the non-loopback address gets the 220 greeting;
//                  mailconf: no finding.
//
// Needs Linux, root, Postfix and a non-loopback IPv4 address on this machine (connections to
// it stay on the machine); a missing piece fails with advice, never skips.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MailStack } from './harness/mailStack';
import { programAvailable, run, describeRun, sleep } from './harness/processes';
import { Workspace } from '../../server/src/core/stack/workspace';
import { diagnose } from '../../server/src/core/checks';
import { applyTextEdits } from '../../server/src/core/text/applyEdits';
import type { Finding } from '../../server/src/core/types';

const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'send-only');
const ARTIFACTS = path.join(REPO, '.test-artifacts', 'send-only');
const CODE = 'mx/host-not-listening';

const ZONE = `$ORIGIN example.test.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
`;

/** This machine's first non-loopback IPv4 address: where a sending server would connect. */
let outsideAddress = '';

before(() => {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Debian's Postfix needs Linux, not ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) missing.push('Postfix\'s master must be started as root: run the test as root, as CI does');
  if (!programAvailable('postfix', ['-c', '/nonexistent', 'status'])) missing.push('`postfix` is not installed (apt-get install postfix; scripts/install-system-packages.sh)');
  outsideAddress = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '';
  if (!outsideAddress) missing.push('this machine has no non-loopback IPv4 address: nothing would show what a sending server sees');
  assert.deepEqual(missing, [], `the send-only end-to-end test cannot run here:\n${missing.join('\n')}`);
});

/** The local addresses of the TCP sockets listening on `port` (/proc/net/tcp, IPv4 as inet_protocols says). */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== '0A') continue; // 0A: LISTEN
    const [hexAddress, hexPort] = fields[1].split(':');
    if (parseInt(hexPort, 16) !== port) continue;
    // Little-endian on x86 and arm: the bytes of the address come reversed.
    out.push(hexAddress.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.'));
  }
  return out;
}

/** What a server connecting to host:port meets: the first line, or the connection error's code. */
function connect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let text = '';
    const done = (what: string) => { socket.destroy(); resolve(what); };
    socket.setTimeout(5_000, () => done('timeout'));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) done(text.slice(0, text.indexOf('\r\n')));
    });
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

function postconf(stack: MailStack, name: string): string {
  const args = ['-c', stack.postfixDir, '-h', name];
  const r = run('postconf', args, { timeoutMs: 15_000 });
  assert.equal(r.status, 0, describeRun('postconf', args, r));
  return r.stdout.trim();
}

/** mailconf's findings of the code on main.cf and the zone, with the running master.cf as deployed (smtpd on `smtp`). */
function verdict(stack: MailStack, mainCf: string): { main: Finding[]; zone: Finding[] } {
  const ws = new Workspace();
  const master = fs.readFileSync(path.join(stack.postfixDir, 'master.cf'), 'utf8').replace(new RegExp(`^${stack.ports.smtpd}(?= )`, 'm'), 'smtp');
  assert.match(master, /^smtp +inet .* smtpd$/m);
  const main = ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', mainCf);
  ws.setOnDisk('file:///etc/postfix/master.cf', 'postfix-master', master);
  const zone = ws.setOnDisk('file:///etc/bind/db.example.test', 'dns-zone', ZONE);
  const of = (doc: typeof main) => diagnose({ doc, workspace: ws, settings: { postfixVersion: '3.7' } }).filter((f) => f.code === CODE);
  return { main: of(main), zone: of(zone) };
}

async function withPostfix<T>(name: string, interfaces: string, body: (stack: MailStack) => Promise<T>): Promise<T> {
  const stack = await MailStack.start({ name, fixtureDir: FIXTURE, placeholders: { INET_INTERFACES: interfaces }, artifactsDir: path.join(ARTIFACTS, name) });
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

test('inet_interfaces = loopback-only: Postfix binds 127.0.0.1 only, a sending server is refused, reload does not change it; mailconf reports it, the fix is `all`', async () => {
  let fixedMainCf = '';
  await withPostfix('loopback-only', 'loopback-only', async (stack) => {
    assert.equal(postconf(stack, 'inet_interfaces'), 'loopback-only');
    const port = stack.ports.smtpd;
    assert.deepEqual(listeningAddresses(port), ['127.0.0.1'], 'the master listens on loopback only');
    assert.equal(await connect(outsideAddress, port), 'ECONNREFUSED', `a server connecting to ${outsideAddress} is refused`);

    const mainCf = fs.readFileSync(path.join(stack.postfixDir, 'main.cf'), 'utf8');
    const v = verdict(stack, mainCf);
    assert.equal(v.main.length, 1, JSON.stringify(v.main));
    assert.equal(v.zone.length, 1, JSON.stringify(v.zone));
    assert.equal(v.main[0].severity, 'error');
    const fix = v.main[0].fixes?.[0];
    assert.ok(fix && /restart/.test(fix.title), 'the quick-fix says to restart');
    fixedMainCf = applyTextEdits(mainCf, fix.edits);
    assert.match(fixedMainCf, /^inet_interfaces = all$/m);

    // What the fix's title warns about: a reload keeps the old sockets.
    fs.writeFileSync(path.join(stack.postfixDir, 'main.cf'), fixedMainCf);
    const args = ['-c', stack.postfixDir, 'reload'];
    const r = run('postfix', args, { timeoutMs: 15_000 });
    assert.equal(r.status, 0, describeRun('postfix', args, r));
    const warning = await stack.waitForLog(/ignoring inet_interfaces change/, 10_000);
    assert.ok(warning, `the master warns that it ignores the change; log:\n${stack.postfixLog().slice(-2000)}`);
    await sleep(200);
    assert.deepEqual(listeningAddresses(port), ['127.0.0.1'], 'after reload still loopback only');
    assert.equal(await connect(outsideAddress, port), 'ECONNREFUSED');
    console.log(`loopback-only: listening ${listeningAddresses(port).join(' ')}:${port}; ${outsideAddress}:${port} → ECONNREFUSED; after reload: ${warning!.replace(/^.*?(postfix\/master)/, '$1')}`);
  });

  // The fixed configuration, started (as a restart does).
  await withPostfix('all', 'all', async (stack) => {
    assert.equal(postconf(stack, 'inet_interfaces'), 'all');
    const port = stack.ports.smtpd;
    assert.deepEqual(listeningAddresses(port), ['0.0.0.0'], 'the master listens on every address');
    assert.match(await connect(outsideAddress, port), /^220 .*Postfix/, `a server connecting to ${outsideAddress} is greeted`);
    // mailconf on the quick-fix's main.cf (its paths are the first run's; the rest is this one's).
    const v = verdict(stack, fixedMainCf);
    console.log(`all: listening ${listeningAddresses(port).join(' ')}:${port}; ${outsideAddress}:${port} → ${await connect(outsideAddress, port)}`);
    assert.deepEqual([...v.main, ...v.zone], []);
  });
});
