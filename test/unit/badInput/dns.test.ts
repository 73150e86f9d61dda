// Hostile DNS data through the in-memory resolver: a 64 KB TXT answer (SPF evaluation, the
// SPF and DKIM checkers, the live DKIM key check of a KeyTable, the live hover), SPF include
// and redirect loops, a 100-deep include chain, CNAME loops and long CNAME chains. Each ends
// with a clear result (the RFC 7208 error, a servfail with the reason), quickly, after a
// bounded number of queries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { checkHost } from '../../../server/src/core/records/spf/evaluate';
import { checkSpfRecord } from '../../../server/src/core/records/spf/checks';
import { countLookupsSync } from '../../../server/src/core/records/spf/lookups';
import { checkDkimKeyRecord } from '../../../server/src/core/records/dkim/keyRecord';
import { recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { checkKeyTableLive } from '../../../server/src/core/dns/keyTableLive';
import { liveDnsMarkdown, liveDnsTargetAt } from '../../../server/src/core/dns/liveHover';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

/** A TXT record as DNS carries it: character-strings of at most 255 bytes. */
function txt(value: string): MemoryRecord {
  return { type: 'TXT', strings: value.match(/[^]{1,255}/g) ?? [''] };
}

/** An SPF record of about `bytes` characters: many distinct ip4 terms, then -all. */
function bigSpf(bytes: number): string {
  let v = 'v=spf1';
  for (let i = 0; v.length < bytes - 5; i++) v += ` ip4:10.${(i >> 8) & 255}.${i & 255}.7`;
  return v + ' -all';
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

test('a 64 KB SPF answer: check_host() evaluates it and the checker reads it', async () => {
  const spf = bigSpf(65_000);
  const resolver = new MemoryResolver({ 'big.example': [txt(spf)] });
  const { value: out, ms } = await timed(() => checkHost(resolver, { ip: '192.0.2.1', domain: 'big.example', sender: 'a@big.example' }));
  console.log(`check_host over a ${spf.length}-byte record: ${Math.round(ms)} ms`);
  assert.equal(out.result, 'fail');
  assert.equal(out.matched?.term, '-all');
  const pass = await checkHost(resolver, { ip: '10.1.2.7', domain: 'big.example', sender: 'a@big.example' });
  assert.equal(pass.result, 'pass');
  const findings = checkSpfRecord(recordTextFromString(spf, { owner: 'big.example' }));
  assert.ok(findings.some((f) => f.code === 'spf/record-too-long'), findings.map((f) => f.code).join(' '));
});

test('a 64 KB DKIM answer: the record checker and the live key check of a KeyTable', async () => {
  const junk = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(65_000);
  const findings = checkDkimKeyRecord(recordTextFromString(junk, { owner: 'big._domainkey.example.org' }));
  assert.ok(findings.some((f) => f.code === 'dkim/bad-key'), findings.map((f) => f.code).join(' '));

  const ws = new Workspace();
  const doc = ws.setOpen('file:///etc/opendkim/KeyTable', 'opendkim-keytable', 'big._domainkey.example.org example.org:big:/etc/opendkim/keys/big.private\n', 1);
  const ctx = { doc, workspace: ws, settings: DEFAULT_SETTINGS };
  const ours = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const theirs = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
  // 64 KB made of a long n= note and another key: the comparison finds the mismatch.
  const padded = `v=DKIM1; k=ed25519; n=${'x'.repeat(64_000)}; p=${theirs}`;
  for (const [answer, want] of [[padded, ['dns/dkim-key-mismatch']], [junk, []]] as const) {
    const resolver = new MemoryResolver({ 'big._domainkey.example.org': [txt(answer)] });
    const { value: live, ms } = await timed(() => checkKeyTableLive(ctx, resolver, () => new Uint8Array(ours)));
    console.log(`live DKIM check with a ${answer.length}-byte answer: ${Math.round(ms)} ms`);
    // A published key that is not a key at all is the zone checker's finding (dkim/bad-key), not the comparison's.
    assert.deepEqual(live.map((f) => f.code), want);
    for (const f of live) assert.ok(f.message.length < 2000, `${f.code}: a ${f.message.length}-character message quotes the answer whole`);
  }

  // The hover shows the answer shortened.
  const target = liveDnsTargetAt(ctx, { line: 0, character: 2 });
  assert.ok(target);
  const markdown = liveDnsMarkdown(ctx, target, { status: 'ok', records: [junk] });
  assert.ok(markdown.length < 2000, `hover of ${markdown.length} characters`);
});

test('an SPF include loop and a redirect loop end in permerror, naming the loop', async () => {
  const resolver = new MemoryResolver({
    'a.example': [txt('v=spf1 include:b.example -all')],
    'b.example': [txt('v=spf1 include:a.example -all')],
    'r1.example': [txt('v=spf1 redirect=r2.example')],
    'r2.example': [txt('v=spf1 redirect=r1.example')],
  });
  const inc = await checkHost(resolver, { ip: '192.0.2.1', domain: 'a.example', sender: 'x@a.example' });
  assert.equal(inc.result, 'permerror');
  assert.match(inc.reason, /includes or redirects to itself \(a\.example → b\.example → a\.example\)/);
  const red = await checkHost(resolver, { ip: '192.0.2.1', domain: 'r1.example', sender: 'x@r1.example' });
  assert.equal(red.result, 'permerror');
  assert.ok(resolver.queries.length < 20, `${resolver.queries.length} queries`);
  const count = countLookupsSync('a.example', resolver.sync);
  assert.ok(count.loops.length > 0, 'the static count names the loop');
});

test('a 100-deep include chain stops at the 11th lookup (RFC 7208 §4.6.4)', async () => {
  const records: Record<string, MemoryRecord[]> = {};
  for (let i = 0; i < 100; i++) records[`c${i}.example`] = [txt(`v=spf1 include:c${i + 1}.example -all`)];
  records['c100.example'] = [txt('v=spf1 +all')];
  const resolver = new MemoryResolver(records);
  const out = await checkHost(resolver, { ip: '192.0.2.1', domain: 'c0.example', sender: 'x@c0.example' });
  assert.equal(out.result, 'permerror');
  assert.match(out.reason, /More than 10 DNS-querying terms/);
  assert.ok(resolver.queries.length <= 12, `${resolver.queries.length} queries`);
  const count = countLookupsSync('c0.example', resolver.sync);
  assert.ok(count.total > 10 && count.total <= 50, `static count ${count.total}`);
  assert.ok(count.overLimit && count.overLimit.length === 11, 'the chain to the 11th lookup is named');
});

test('a CNAME loop is a servfail with its reason; check_host() gives temperror; a long chain too', async () => {
  const resolver = new MemoryResolver({
    'loop1.example': [{ type: 'CNAME', value: 'loop2.example' }],
    'loop2.example': [{ type: 'CNAME', value: 'loop1.example' }],
    'uses-loop.example': [txt('v=spf1 include:loop1.example a:loop2.example -all')],
  });
  const answer = await resolver.txt('loop1.example');
  assert.deepEqual(answer, { status: 'servfail', detail: 'CNAME chain too long or looping' });
  assert.equal((await resolver.addresses('loop2.example', 4)).status, 'servfail');
  const direct = await checkHost(resolver, { ip: '192.0.2.1', domain: 'loop1.example', sender: 'x@loop1.example' });
  assert.equal(direct.result, 'temperror');
  assert.match(direct.reason, /CNAME chain too long or looping/);
  const via = await checkHost(resolver, { ip: '192.0.2.1', domain: 'uses-loop.example', sender: 'x@uses-loop.example' });
  assert.equal(via.result, 'temperror');

  const chain: Record<string, MemoryRecord[]> = {};
  for (let i = 0; i < 50; i++) chain[`n${i}.example`] = [{ type: 'CNAME', value: `n${i + 1}.example` }];
  chain['n50.example'] = [txt('v=spf1 +all')];
  const long = new MemoryResolver(chain);
  assert.equal((await long.txt('n0.example')).status, 'servfail');
  assert.equal((await long.txt('n45.example')).status, 'ok', 'a short chain is followed');
});
