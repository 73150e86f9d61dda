// Every feature at every kind of position of every corpus main.cf/master.cf (paired as in
// their source repositories) and of adversarial text: no exception, plain results, and
// nothing at all on comments, line ends and past the end of the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  completionsAt, definitionAt, hoverAt, prepareRenameAt, referencesAt, renameAt, semanticTokensOf,
} from '../../../../server/src/core/features/index';
import type { FeatureContext } from '../../../../server/src/core/features/types';
import type { Position } from '../../../../server/src/core/types';
import { corpusPairs, instance, sample } from './helpers';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const URIS = new Set(['file:///etc/postfix/main.cf', 'file:///etc/postfix/master.cf']);

function everyFeature(ctx: FeatureContext, pos: Position, label: string): void {
  const where = `${label} at ${pos.line}:${pos.character}`;
  const h = hoverAt(ctx, pos);
  // A stray `undefined` in the text would be a value that was never filled in.
  if (h) assert.ok(typeof h.markdown === 'string' && h.markdown.length > 0 && !/undefined(?! parameter)/.test(h.markdown), `${where}: ${h.markdown}`);
  const items = completionsAt(ctx, pos);
  assert.ok(Array.isArray(items), where);
  for (const item of items) {
    assert.equal(item.edit.range.start.line, pos.line, where);
    assert.ok(item.edit.range.start.character <= pos.character && item.edit.range.end.character >= pos.character, `${where}: ${item.label}`);
  }
  for (const l of [...definitionAt(ctx, pos), ...referencesAt(ctx, pos, true)]) assert.ok(URIS.has(l.uri), where);
  const prep = prepareRenameAt(ctx, pos);
  const edit = renameAt(ctx, pos, 'renamed_by_test');
  if (prep) assert.ok(edit && ('edits' in edit || typeof edit.error === 'string'), where);
  else assert.equal(edit, undefined, where);
}

function exercise(ctx: FeatureContext, text: string, label: string, seed: number): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const comment = line.trimStart().startsWith('#');
    for (const character of [0, Math.floor(line.length / 2), line.length, line.length + 3]) {
      const pos = { line: n, character };
      everyFeature(ctx, pos, label);
      if (comment || character >= line.length) {
        assert.equal(hoverAt(ctx, pos), undefined, `${label}: hover at ${n}:${character}`);
        assert.deepEqual(definitionAt(ctx, pos), [], `${label}: definition at ${n}:${character}`);
      }
      if (comment) assert.deepEqual(completionsAt(ctx, pos), [], `${label}: completion in a comment at ${n}:${character}`);
    }
  }
  const rnd = random(seed);
  for (let k = 0; k < 150; k++) {
    const line = Math.floor(rnd() * (lines.length + 2));
    const character = Math.floor(rnd() * ((lines[line]?.length ?? 5) + 2));
    everyFeature(ctx, { line, character }, label);
  }
  for (const pos of [{ line: -1, character: 0 }, { line: 0, character: -4 }, { line: 1e9, character: 1e9 }, { line: 0.5, character: 2 }]) {
    everyFeature(ctx, pos, label);
    assert.equal(hoverAt(ctx, pos), undefined);
    assert.deepEqual(completionsAt(ctx, pos), []);
  }
  const tokens = semanticTokensOf(ctx);
  for (const t of tokens) assert.equal(t.range.start.line, t.range.end.line, label);
}

const pairs = corpusPairs();

test('the corpus is there', () => {
  assert.ok(pairs.length >= 25, `${pairs.length} corpus configurations`);
});

pairs.forEach((pair, index) => {
  test(`corpus: every feature anywhere in ${pair.name}`, () => {
    const i = instance(pair.main, pair.master);
    if (pair.main !== undefined) exercise(i.onMain(), pair.main, `${pair.name} (main.cf)`, index * 2 + 1);
    if (pair.master !== undefined) exercise(i.onMaster(), pair.master, `${pair.name} (master.cf)`, index * 2 + 2);
  });
});

test('seeds: every feature anywhere', () => {
  const i = instance(sample('004-voorbeeld.nl', 'main.cf'), sample('004-voorbeeld.nl', 'master.cf'));
  exercise(i.onMain(), sample('004-voorbeeld.nl', 'main.cf'), 'seed 004 main.cf', 101);
  exercise(i.onMaster(), sample('004-voorbeeld.nl', 'master.cf'), 'seed 004 master.cf', 102);
  const j = instance(sample('000-any2any.de', 'main.cf'));
  exercise(j.onMain(), sample('000-any2any.de', 'main.cf'), 'seed 000 main.cf', 103);
});

test('broken and adversarial text: no exception', () => {
  const texts = [
    '', '\n\n\n', '=\n= =\n', 'name\n', 'a = ${b\nc = $(\n', 'a = ${{$x} == ', 'x = ${a?{b}:{c}\n', '\u0000\u0001 = \u0000$',
    'a = b\r\n  c\r  d\n', '\ufeffmyhostname = x\n', `a = ${'$b'.repeat(2000)}\nb = $a\n`, `${'x'.repeat(100000)}\n`,
    'smtpd_recipient_restrictions = check_policy_service\n', 'smtpd_recipient_restrictions = check_policy_service unix:\n',
    'content_filter = :\nrelay_transport = [x]\n', 'virtual_alias_maps = proxy:proxy:proxy:\ninline:{ {a=b} , \n',
    '{% if x %}\nmyhostname = {{ host }}\n{% endif %}\n',
  ];
  const masters = [
    '', 'smtp\n', 'smtp inet\n', 'smtp inet n - y - - smtpd -o\n', ' -o x=y\n', 'a b c d e f g h -o { x = ${y} } -o =\n',
    'smtp inet n - y - - smtpd\n  -o smtpd_recipient_restrictions=check_policy_service,unix:private/x\n',
    'x unix - - - - - pipe argv=\n', '\u0000 \u0000 \u0000\n',
  ];
  texts.forEach((main, k) => {
    const i = instance(main, masters[k % masters.length]);
    exercise(i.onMain(), main, `adversarial main.cf #${k}`, 200 + k);
  });
  masters.forEach((master, k) => {
    const i = instance(texts[k % texts.length], master);
    exercise(i.onMaster(), master, `adversarial master.cf #${k}`, 300 + k);
  });
});
