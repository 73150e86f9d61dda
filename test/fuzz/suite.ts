// How the suite runs a fuzz target: the fixed seed, the target's short case count, and a
// failure that names the seed and path (`npm run fuzz -- --seed S --target NAME` replays it).
import assert from 'node:assert/strict';
import { CI_SEED, runTarget, type FuzzTarget } from './harness';

export async function runInSuite(t: FuzzTarget<any>): Promise<void> {
  await t.setUp?.();
  try {
    const report = await runTarget(t, CI_SEED, t.ciRuns);
    if (report.failure) assert.fail(report.failure);
    assert.equal(report.clean, t.ciRuns, `${t.name}: ${report.clean} of ${t.ciRuns} cases ran clean`);
  } finally {
    await t.tearDown?.();
  }
}
