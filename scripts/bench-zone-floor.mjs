// The floor under any zone check in JavaScript: one pass over a zone file that finds each
// record's owner and type, makes the owner absolute and gives it an id in a Map, and keeps
// owner id, type and line per record in typed arrays — no tree, no checks, a simplistic
// scanner (no escapes, quotes or multi-line records beyond parentheses). What it takes on
// the 1M-record zone bounds what a redesign of the zone tree and index could reach
// (docs/performance.md, "Missed: the CLI on the 1M zone").
//
//   node scripts/bench-inputs.mjs DIR && node scripts/bench-zone-floor.mjs DIR/zones-1000000/db.example.com

import { readFileSync } from 'node:fs';

if (!process.argv[2]) { console.error('usage: node scripts/bench-zone-floor.mjs ZONE_FILE'); process.exit(2); }
const t0 = performance.now();
const text = readFileSync(process.argv[2], 'utf8');
const t1 = performance.now();
// A floor: one pass over the characters, tokens found, owner names made absolute and indexed
// to an id (Map), per record: owner id, type code, line in typed arrays. No checks.
const names = new Map();
let records = 0;
const ownerOf = new Int32Array(1_200_000), typeOf = new Uint16Array(1_200_000), lineOf = new Int32Array(1_200_000);
let origin = '', owner = -1, line = 0, i = 0; const n = text.length;
const TYPES = { A: 1, AAAA: 28, MX: 15, TXT: 16, CNAME: 5, NS: 2, SOA: 6, PTR: 12 };
let paren = 0;
while (i < n) {
  // one logical line
  const start = i;
  let end = text.indexOf('\n', i); if (end < 0) end = n;
  const c0 = text.charCodeAt(start);
  if (paren > 0) { if (text.lastIndexOf(')', end) > start) paren = 0; }
  else if (c0 === 36 /* $ */) { if (text.startsWith('$ORIGIN', start)) origin = text.slice(start + 8, end).trim(); }
  else if (c0 !== 59 && end > start) {
    let j = start;
    if (c0 !== 32 && c0 !== 9) {
      while (j < end && text.charCodeAt(j) > 32) j++;
      const rel = text.slice(start, j);
      const abs = rel === '@' ? origin : rel.endsWith('.') ? rel : rel + '.' + origin;
      let id = names.get(abs); if (id === undefined) { id = names.size; names.set(abs, id); }
      owner = id;
    }
    // skip blanks, class/ttl, find type word
    let type = 0;
    for (let k = 0; k < 4 && j < end; k++) {
      while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      const w0 = j; while (j < end && text.charCodeAt(j) > 32) j++;
      const w = text.slice(w0, j);
      const t = TYPES[w]; if (t) { type = t; break; }
    }
    if (text.indexOf('(', j) >= 0 && text.indexOf('(', j) < end && text.indexOf(')', j) < 0) paren = 1;
    if (type) { ownerOf[records] = owner; typeOf[records] = type; lineOf[records] = line; records++; }
  }
  i = end + 1; line++;
}
const t2 = performance.now();
console.log(`read ${(t1 - t0).toFixed(0)} ms, scan+index ${(t2 - t1).toFixed(0)} ms, ${records} records, ${names.size} names, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
