// Preloaded into the server by scripts/bench-memory-large.mjs (`node --expose-gc --import
// this-file dist/server.js --stdio`): lets the benchmark read the server's heap from outside
// without touching the server's code. On SIGUSR2 it reads the word in
// $MAILCONF_MEMORY_PROBE_DIR/request and answers in $MAILCONF_MEMORY_PROBE_DIR/answer.json:
//   stats     process.memoryUsage() and V8's heap spaces, as they are
//   gc        the same after a full garbage collection (what is really still referenced)
//   snapshot  writes a heap snapshot into $MAILCONF_MEMORY_SNAPSHOT_DIR (slow and big: seconds, GBs)
// Not part of the product: the bundle never loads it.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

const dir = process.env.MAILCONF_MEMORY_PROBE_DIR;
const snapshotDir = process.env.MAILCONF_MEMORY_SNAPSHOT_DIR ?? dir;

function stats() {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, spaces };
}

if (dir) {
  process.on('SIGUSR2', () => {
    let answer;
    try {
      const request = readFileSync(join(dir, 'request'), 'utf8').trim();
      if (request === 'gc' && typeof globalThis.gc === 'function') {
        globalThis.gc();
        answer = { request, ...stats() };
      } else if (request === 'snapshot') {
        if (typeof globalThis.gc === 'function') globalThis.gc();
        answer = { request, file: v8.writeHeapSnapshot(join(snapshotDir, `server-${Date.now()}.heapsnapshot`)) };
      } else {
        answer = { request, ...stats() };
      }
    } catch (e) {
      answer = { error: String(e) };
    }
    writeFileSync(join(dir, 'answer.tmp'), JSON.stringify(answer));
    renameSync(join(dir, 'answer.tmp'), join(dir, 'answer.json'));
  });
}
