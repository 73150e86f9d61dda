// The bad/good examples of the documentation are real: each bad example produces its
// code, each good example does not. They run through diagnose() (syntax and semantic
// checks) as /etc/postfix/main.cf or master.cf; a section may add a block labelled
// "Beside this master.cf:" (or "Beside this main.cf:") that is put in the same directory —
// for both examples, or for one when the label says "(bad example)" / "(good example)" —
// and name the Postfix version in a label ("Bad (with `mailconf.postfix.version` = 3.7):").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';

const REPO = path.resolve(__dirname, '../../..');
const CHECKS = path.join(REPO, 'docs', 'checks.md');

/** Examples that stand for bytes a code block cannot show, or for a bug. */
const NOT_LITERAL = new Set(['postfix/byte-order-mark', 'postfix/cr-line-ending', 'postfix/nul-byte', 'postfix/too-many-findings', 'postfix/internal-error']);

interface Beside { master?: string; main?: string }
interface Example { code: string; bad?: string; good?: string; beside: { bad: Beside; good: Beside }; version?: string }

function examples(markdown: string): Example[] {
  const out: Example[] = [];
  const sections = markdown.split(/^### `/m).slice(1);
  for (const s of sections) {
    const code = s.slice(0, s.indexOf('`'));
    if (!/^(postfix|master)\//.test(code)) continue;
    const blocks = [...s.matchAll(/^(Bad|Good|Beside this master\.cf|Beside this main\.cf)([^\n]*)\n\n```\n([\s\S]*?)```/gm)];
    const ex: Example = { code, beside: { bad: {}, good: {} } };
    for (const b of blocks) {
      if (b[1] === 'Bad') ex.bad = b[3];
      else if (b[1] === 'Good') ex.good = b[3];
      else {
        const file = b[1].endsWith('master.cf') ? 'master' : 'main';
        if (!b[2].includes('good example')) ex.beside.bad[file] = b[3];
        if (!b[2].includes('bad example')) ex.beside.good[file] = b[3];
      }
      const version = /mailconf\.postfix\.version` = (\d+\.\d+)/.exec(b[2]);
      if (version) ex.version = version[1];
    }
    out.push(ex);
  }
  return out;
}

const source = CHECKS;
const all = examples(fs.readFileSync(source, 'utf8'));

test('the Postfix checks are documented with examples', () => {
  assert.ok(all.length >= 25, `${all.length} sections in ${source}`);
  for (const ex of all) assert.ok(ex.bad !== undefined && ex.good !== undefined, `${ex.code} has a bad and a good example`);
});

/** The codes of every finding of `text` as main.cf (or master.cf), with the partner file beside it. */
function codes(ex: Example, text: string, beside: Beside): string[] {
  const ws = new Workspace();
  const asMaster = ex.code.startsWith('master/');
  if (beside.master !== undefined) ws.setOnDisk('file:///etc/postfix/master.cf', 'postfix-master', beside.master);
  if (beside.main !== undefined) ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', beside.main);
  const doc = asMaster
    ? ws.setOnDisk('file:///etc/postfix/master.cf', 'postfix-master', text)
    : ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', text);
  return diagnose({ doc, workspace: ws, settings: { postfixVersion: ex.version ?? 'latest' } }).map((f) => f.code);
}

for (const ex of all.filter((e) => !NOT_LITERAL.has(e.code))) {
  test(`documented example: ${ex.code}`, () => {
    const bad = codes(ex, ex.bad ?? '', ex.beside.bad);
    const good = codes(ex, ex.good ?? '', ex.beside.good);
    assert.ok(bad.includes(ex.code), `bad example gives ${JSON.stringify(bad)}`);
    assert.deepEqual(good, [], 'good example is clean');
  });
}
