// The OpenSPF RFC 7208 test suite, run against our check_host(). Every case's zone data is
// served through the in-memory resolver; the result must be one of the case's allowed
// results, and the explanation must match where the case gives one.
//
// Two copies are run: Debian's python3-spf one (installed by `npm test`) and the copy in
// the shared corpus (pyspf's repository). Both must exist: a missing suite fails the test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkMailFrom } from '../../../server/src/core/records/spf/evaluate';
import { loadSuite, readSuiteText, type SuiteCase } from './spfSuite';

const DEBIAN = '/usr/share/doc/python3-spf/rfc7208-tests.yml.gz';
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/suites/sdgathman__pyspf__test_rfc7208-tests.yml');
const OLDER = path.resolve(__dirname, '../../../../shared/corpus/suites/postalsys__mailauth__test_fixtures_spf_rfc7208-tests-2014-05.yml');

/** Cases we knowingly fail, with the reason. Empty: all cases pass. */
const ALLOWED_FAILURES: Record<string, string> = {};

async function runCase(c: SuiteCase): Promise<string | undefined> {
  const out = await checkMailFrom(c.resolver, { ip: c.host, mailFrom: c.mailfrom, helo: c.helo, defaultExplanation: 'DEFAULT' });
  if (!c.results.includes(out.result)) return `${c.id} (${c.spec}): got ${out.result}, want ${c.results.join(' or ')} — ${out.reason}`;
  if (c.explanation !== undefined && out.explanation !== c.explanation) {
    return `${c.id} (${c.spec}): explanation ${JSON.stringify(out.explanation)}, want ${JSON.stringify(c.explanation)}`;
  }
  return undefined;
}

async function runSuite(label: string, file: string): Promise<void> {
  assert.ok(fs.existsSync(file), `${file} is missing (npm test installs python3-spf; the corpus is in ../shared)`);
  const started = performance.now();
  const cases = loadSuite(readSuiteText(file));
  const failures: string[] = [];
  for (const c of cases) {
    const problem = await runCase(c);
    if (problem && !(c.id in ALLOWED_FAILURES)) failures.push(problem);
  }
  const passed = cases.length - failures.length;
  const ms = Math.round(performance.now() - started);
  console.log(`rfc7208 suite: ${passed} passed of ${cases.length} (${label}, ${ms} ms)`);
  assert.ok(cases.length > 100, 'the suite has its cases');
  assert.deepEqual(failures, [], 'failed cases');
}

test('OpenSPF RFC 7208 suite (Debian python3-spf copy)', () => runSuite('Debian python3-spf', DEBIAN));
test('OpenSPF RFC 7208 suite (pyspf repository copy in the corpus)', () => runSuite('corpus pyspf', CORPUS));
test('OpenSPF RFC 7208 suite (older 2014.05 copy in the corpus)', () => runSuite('corpus mailauth 2014.05', OLDER));
