// The suite's short fuzz run of the SPF evaluator over a random DNS and of diagnose() and
// the features over random workspaces (the whole mail stack at once).
import { test } from 'node:test';
import { spfEvaluatorTarget } from './targets/spfEvaluator';
import { workspaceTarget } from './targets/workspace';
import { runInSuite } from './suite';

for (const t of [spfEvaluatorTarget, workspaceTarget]) test(`fuzz: ${t.name}`, () => runInSuite(t));
