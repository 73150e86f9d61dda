// `npm run fuzz`: the suite's fuzz targets, run long. Prints, per target, how many cases
// ran and how many ran clean, and the slowest case; exits 1 when a target failed, with the
// seed and path that replay the failure.
//
//   npm run fuzz                                  every target, 200 × its suite cases, random seed
//   npm run fuzz -- --seed 42 --factor 10          a given seed, 10 × the suite cases
//   npm run fuzz -- --runs 100000 --target zone    a fixed number of cases for targets whose name contains "zone"
//   npm run fuzz -- --minutes 30                   as many cases as fit in 30 minutes, shared by the targets
//   npm run fuzz -- --seed S --path P --target T   replay a reported failure
//
// Long runs go in batches (a new seed per batch, derived from the run's seed), so a
// failure report names a batch seed that replays it alone.

import { documentTargets } from './targets/documents';
import { recordTargets } from './targets/records';
import { spfEvaluatorTarget } from './targets/spfEvaluator';
import { workspaceTarget } from './targets/workspace';
import { lspTarget } from './targets/lsp';
import { runTarget, type FuzzTarget, type RunReport } from './harness';
import fc from 'fast-check';

const ALL: FuzzTarget<any>[] = [...documentTargets, ...recordTargets, spfEvaluatorTarget, workspaceTarget, lspTarget];

interface Options {
  seed: number;
  factor: number;
  runs?: number;
  minutes?: number;
  target?: string;
  path?: string;
  batch: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: Math.floor(Math.random() * 0x7fffffff), factor: 200, batch: 2000 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    const num = (what: string) => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${what} needs a number`);
      return v;
    };
    switch (name) {
      case '--seed': o.seed = num('--seed') | 0; break;
      case '--factor': o.factor = num('--factor'); break;
      case '--runs': o.runs = num('--runs'); break;
      case '--minutes': o.minutes = num('--minutes'); break;
      case '--target': o.target = value(); break;
      case '--path': o.path = value(); break;
      case '--batch': o.batch = num('--batch'); break;
      case '-h': case '--help':
        process.stdout.write('npm run fuzz -- [--seed N] [--factor F | --runs N | --minutes M] [--target NAME] [--path P] [--batch N]\n');
        process.exit(0);
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return o;
}

/** The seed of batch `i` of a run: fixed by the run's seed. */
function batchSeed(seed: number, i: number): number {
  return i === 0 ? seed : (Math.imul(seed ^ 0x9e3779b9, i + 1) + i * 7919) | 0;
}

async function runLong(t: FuzzTarget<any>, o: Options, deadline: number | undefined, wanted: number): Promise<RunReport> {
  const total: RunReport = { name: t.name, runs: 0, clean: 0, maxMs: 0, totalMs: 0 };
  await t.setUp?.();
  try {
    if (o.path !== undefined) {
      // Replay: one fast-check run at the given seed and path.
      const details = await fc.check(fc.asyncProperty(t.arbitrary, async (x) => { await t.property(x); }), { seed: o.seed, path: o.path, numRuns: wanted });
      total.runs = details.numRuns;
      total.clean = details.failed ? details.numRuns - 1 : details.numRuns;
      if (details.failed) total.failure = `${String(details.errorInstance instanceof Error ? details.errorInstance.stack : details.errorInstance)}\ncounterexample: ${fc.stringify(details.counterexample)}`;
      return total;
    }
    for (let i = 0; deadline !== undefined ? Date.now() < deadline : total.runs < wanted; i++) {
      const n = deadline !== undefined ? o.batch : Math.min(o.batch, wanted - total.runs);
      const r = await runTarget(t, batchSeed(o.seed, i), n);
      total.runs += r.runs;
      total.clean += r.clean;
      total.maxMs = Math.max(total.maxMs, r.maxMs);
      total.totalMs += r.totalMs;
      if (r.failure) {
        total.failure = `${r.failure}\nreplay: npm run fuzz -- --target "${t.name}" --seed ${batchSeed(o.seed, i)} --path <the path above>`;
        break;
      }
    }
  } finally {
    await t.tearDown?.();
  }
  return total;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const targets = ALL.filter((t) => !o.target || t.name.toLowerCase().includes(o.target.toLowerCase()));
  if (targets.length === 0) throw new Error(`no target matches "${o.target}"`);
  process.stdout.write(`mailconf fuzz: seed ${o.seed}, ${targets.length} targets, ${o.minutes !== undefined ? `${o.minutes} minutes` : o.runs !== undefined ? `${o.runs} cases each` : `${o.factor} × the suite's cases`}\n`);
  const started = Date.now();
  const reports: RunReport[] = [];
  // A time budget is shared in proportion to the suite's case counts (slow targets have fewer).
  let spentMs = 0;
  for (const t of targets) {
    let deadline: number | undefined;
    if (o.minutes !== undefined) {
      const share = (o.minutes * 60_000 - spentMs) * (t.ciRuns / targets.slice(targets.indexOf(t)).reduce((n, x) => n + x.ciRuns, 0));
      deadline = Date.now() + Math.max(1000, share);
    }
    const t0 = Date.now();
    const r = await runLong(t, o, deadline, o.runs ?? Math.round(t.ciRuns * o.factor));
    spentMs += Date.now() - t0;
    reports.push(r);
    const rate = r.totalMs > 0 ? Math.round((r.runs / r.totalMs) * 1000) : 0;
    process.stdout.write(`${r.failure ? 'FAIL' : 'ok  '} ${r.name}: ${r.clean}/${r.runs} clean, slowest case ${Math.round(r.maxMs)} ms, ${rate}/s\n`);
    if (r.failure) process.stdout.write(`${r.failure}\n`);
  }
  const runs = reports.reduce((n, r) => n + r.runs, 0);
  const clean = reports.reduce((n, r) => n + r.clean, 0);
  const failed = reports.filter((r) => r.failure).length;
  process.stdout.write(`\nmailconf fuzz: ${clean} of ${runs} executions clean across ${reports.length} targets, ${failed} failed, in ${Math.round((Date.now() - started) / 1000)} s (seed ${o.seed})\n`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`mailconf fuzz: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
