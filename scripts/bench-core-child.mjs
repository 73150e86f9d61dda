// One in-process measurement for scripts/bench.mjs, in a process of its own so that its
// peak RSS is the measurement's: loads the core bundle, then times reading, parsing and
// every check of the given paths (what `mailconf check` does, without process start-up
// and output). Prints one JSON line: { ms, maxRssMb, findings }.
//
//   node scripts/bench-core-child.mjs CORE_BUNDLE [--config-root DIR] PATH...

import { createRequire } from 'node:module';

const [bundle, ...rest] = process.argv.slice(2);
let configRoot;
const paths = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--config-root') configRoot = rest[++i];
  else paths.push(rest[i]);
}
const { discover, checkFiles } = createRequire(import.meta.url)(bundle);
const t0 = performance.now();
const found = discover(paths);
const reports = checkFiles(found.files, { configRoot });
const ms = performance.now() - t0;
const findings = reports.reduce((n, r) => n + r.findings.length, 0);
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, findings }) + '\n');
