// The suite's short fuzz run of the document targets (parsers, diagnose and quick fixes,
// features, zone incremental re-parse): a fixed seed, a few hundred cases each.
// `npm run fuzz` runs the same targets long (test/fuzz/long.ts).
import { test } from 'node:test';
import { documentTargets } from './targets/documents';
import { runInSuite } from './suite';

for (const t of documentTargets) test(`fuzz: ${t.name}`, () => runInSuite(t));
