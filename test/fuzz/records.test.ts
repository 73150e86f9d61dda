// The suite's short fuzz run of the record targets (SPF/DKIM/DMARC/MTA-STS/TLS-RPT checkers,
// presentation format, SPF hover and lookup count, macros, round trips, small parsers).
import { test } from 'node:test';
import { recordTargets } from './targets/records';
import { runInSuite } from './suite';

for (const t of recordTargets) test(`fuzz: ${t.name}`, () => runInSuite(t));
