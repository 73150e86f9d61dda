#!/usr/bin/env node
// A sanity benchmark (not a test): generates a zone of N records (default 100k; a mix of
// A, inherited AAAA, MX, TXT with SPF, CNAME and a multi-line DKIM record every 1000),
// then prints the full-parse time, the time to re-parse after one keystroke, the same with
// every semantic check (diagnose(): zone data, record checks, SPF/DKIM in TXT), and the
// heap the tree keeps. The core is bundled with esbuild on the fly, as in the real bundles.
//
//   node scripts/bench-zone-parse.mjs [records] [runs]
//   node scripts/bench-zone-parse.mjs 1000000 3
//   BENCH_VERBOSE=1 node --expose-gc scripts/bench-zone-parse.mjs   (each keystroke, and memory)

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const records = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'mailconf-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(entry, `
export { zoneLanguage } from ${JSON.stringify(join(repo, 'server/src/core/zone/language.ts'))};
export { reparseIncremental } from ${JSON.stringify(join(repo, 'server/src/core/zone/incremental.ts'))};
export { Workspace } from ${JSON.stringify(join(repo, 'server/src/core/stack/workspace.ts'))};
export { diagnose } from ${JSON.stringify(join(repo, 'server/src/core/checks.ts'))};
`);
const out = join(dir, 'zone.cjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { zoneLanguage, reparseIncremental, Workspace, diagnose } = createRequire(import.meta.url)(out);
rmSync(dir, { recursive: true, force: true });

function generate(n) {
  const parts = ['$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns1 hostmaster ( 2026010101 2h 1h 4w 1h )\n@ IN NS ns1\n'];
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 999) {
      parts.push(`sel${i}._domainkey IN TXT ( "v=DKIM1; k=rsa; "\n    "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx5vnqsfJyWKKnTtHviUJqrBF6jDDGe81S+UFli5s50epu4m1YWD27wE1MFABWk2M6LfZCKdYG8VT5SDHBRtPv/W4cWvr"\n    "n7vRx148oZekG8AaqbDPNlm2dDiXQBRpoXTZbLKwj3IAv/y2ejWVi5mtZdGARsvzzwOrJoTJImGV6zdgDMi3M0x9ADAUpvCEkNjEVjSpaksSFB5xmUw2eutv739eyGO+r3yShL2QIDAQAB" ) ; key\n`);
      continue;
    }
    switch (i % 5) {
      case 0: parts.push(`host${i} IN A 192.0.${(i >> 8) & 255}.${i & 255}\n`); break;
      case 1: parts.push(`        IN AAAA 2001:db8::${(i & 0xffff).toString(16)}\n`); break;
      case 2: parts.push(`host${i} 300 IN MX 10 mail${i}.example.net.\n`); break;
      case 3: parts.push(`host${i} IN TXT "v=spf1 ip4:192.0.2.${i & 255} -all"\n`); break;
      default: parts.push(`www${i} CNAME host${i - 4}\n`); break;
    }
  }
  return parts.join('');
}

const text = generate(records);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`zone: ${records} records, ${(text.length / 1e6).toFixed(1)} MB`);

// Machine speed reference: one charCodeAt pass over the text.
let scan = Infinity;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h + text.charCodeAt(i)) | 0;
  scan = Math.min(scan, performance.now() - t0);
  if (h === 42) console.log('');
}

const times = [];
let result;
for (let r = 0; r < runs; r++) {
  result = undefined;
  const t0 = performance.now();
  result = zoneLanguage.parse(text, 'dns-zone');
  times.push(performance.now() - t0);
}
console.log(`full parse: min ${Math.min(...times).toFixed(0)} ms, median ${median(times).toFixed(0)} ms over ${runs} runs ` +
  `(${result.tree.entries.length} entries, ${result.findings.length} findings; a bare charCodeAt scan of the text takes ${scan.toFixed(0)} ms here)`);

// One keystroke in the middle: re-parse incrementally and collect the findings again.
// (With --expose-gc, collect the garbage of the full parses first, so that the first
// keystroke does not pay for it.)
if (global.gc) global.gc();
const keystrokes = [];
let tree = result.tree;
let current = text;
// Type a digit into an owner name in the middle of the zone, then delete it again.
const at = text.indexOf(`host${Math.floor(records / 2 / 5) * 5} `) + 4;
const line = text.slice(0, at).split('\n').length - 1;
for (let r = 0; r < 20; r++) {
  const next = current.slice(0, at) + (r % 2 ? '' : '7') + current.slice(r % 2 ? at + 1 : at);
  const t0 = performance.now();
  tree = reparseIncremental(tree, next, { startLine: line, endLine: line });
  const findings = tree.entries.reduce((n, e) => n + (e.findings ? e.findings.length : 0), 0);
  keystrokes.push(performance.now() - t0);
  if (process.env.BENCH_VERBOSE) console.log(`  keystroke ${r}: ${(performance.now() - t0).toFixed(2)} ms`);
  if (findings < 0) console.log('');
  current = next;
}
console.log(`keystroke → re-parse + findings: median ${median(keystrokes).toFixed(2)} ms, max ${Math.max(...keystrokes).toFixed(2)} ms`);

// The whole keystroke path of the server: re-parse, then diagnose() with every check.
{
  const settings = { postfixVersion: 'latest' };
  const ws = new Workspace();
  const uri = 'file:///srv/db.example.com';
  let doc = ws.setOpen(uri, 'dns-zone', current, 1);
  let t0 = performance.now();
  const first = diagnose({ doc, workspace: ws, settings });
  const cold = performance.now() - t0;
  t0 = performance.now();
  diagnose({ doc, workspace: ws, settings });
  const cached = performance.now() - t0;
  const full = [];
  let text2 = current;
  for (let r = 0; r < 10; r++) {
    const next = text2.slice(0, at) + (r % 2 ? '' : '7') + text2.slice(r % 2 ? at + 1 : at);
    const t1 = performance.now();
    doc = ws.updateOpen(uri, 'dns-zone', next, 2 + r, { startLine: line, endLine: line });
    diagnose({ doc, workspace: ws, settings });
    full.push(performance.now() - t1);
    text2 = next;
  }
  console.log(`diagnose (all checks): first ${cold.toFixed(0)} ms (${first.length} findings), same analysis again ${cached.toFixed(0)} ms, ` +
    `keystroke → re-parse + diagnose median ${median(full).toFixed(0)} ms, max ${Math.max(...full).toFixed(0)} ms`);
}

const outline = performance.now();
zoneLanguage.symbols(tree);
zoneLanguage.folding(tree);
console.log(`outline + folding: ${(performance.now() - outline).toFixed(0)} ms`);

if (global.gc) {
  result = undefined;
  tree = undefined;
  global.gc();
  const before = process.memoryUsage();
  const kept = zoneLanguage.parse(text, 'dns-zone');
  global.gc();
  const after = process.memoryUsage();
  const stores = new Set(kept.tree.entries.map((e) => e.store));
  const tokenBytes = [...stores].reduce((n, s) => n + s.byteLength, 0);
  console.log(`memory kept by the tree: ${((after.heapUsed - before.heapUsed) / 1e6).toFixed(0)} MB heap + ${(tokenBytes / 1e6).toFixed(0)} MB packed tokens (${kept.tree.entries.length} entries)`);
} else {
  console.log('(run with node --expose-gc to also print the memory the tree keeps)');
}
