// The semantic checks over every OpenDKIM file of ../shared/corpus, each project's files
// placed at their paths (so opendkim.conf finds its tables): no false errors. The one error
// expected is the upstream test case built to have it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { detectKind, type DocumentKind } from '../../../server/src/core/kinds';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');

/** Errors that are real: the upstream t-conf-check SigningTable names key2, absent from its KeyTable on purpose. */
const EXPECTED_ERRORS = ['/trusteddomainproject/OpenDKIM/opendkim/tests/t-conf-check.signtable error opendkim/signingtable-unknown-key'];

function kindOf(repoPath: string, text: string): DocumentKind | undefined {
  if (/opendkim\.conf|\.conf$/.test(repoPath) && !/opendmarc/.test(repoPath)) return 'opendkim-conf';
  if (/keytable$/i.test(repoPath)) return 'opendkim-keytable';
  if (/sign(ing)?table$/i.test(repoPath)) return 'opendkim-signingtable';
  return detectKind({ path: repoPath, text }) ?? (/hosts/i.test(repoPath) ? 'opendkim-hostlist' : undefined);
}

test('no unexpected error-severity semantic finding in the corpus', () => {
  const rows = fs.readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').split('\n').map((l) => l.split('\t')).filter((r) => r[0]?.startsWith('opendkim/'));
  const byRepo = new Map<string, Workspace>();
  let files = 0;
  for (const [file, repo, repoPath] of rows) {
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    const kind = kindOf(repoPath, text);
    if (!kind) continue;
    const ws = byRepo.get(repo) ?? new Workspace();
    byRepo.set(repo, ws);
    ws.setOnDisk(`file:///${repo}/${repoPath}`, kind, text);
    files++;
  }
  assert.ok(files >= 45, `${files} corpus files`);
  const errors: string[] = [];
  let checked = 0;
  for (const ws of byRepo.values()) {
    for (const doc of ws.all()) {
      const syntax = new Set(doc.analysis.parse.findings);
      for (const f of diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS })) {
        if (!syntax.has(f) && f.severity === 'error') errors.push(`${doc.uri.slice(7)} ${f.severity} ${f.code}`);
      }
      checked++;
    }
  }
  assert.equal(checked, files);
  assert.deepEqual(errors, EXPECTED_ERRORS);
});
