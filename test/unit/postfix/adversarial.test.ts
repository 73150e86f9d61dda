// Whatever bytes arrive, the parsers return a tree and findings, quickly, without throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePostfix, MAX_FINDINGS, postfixLanguage } from '../../../server/src/core/postfix/language';

const MB = 1 << 20;

const INPUTS: Record<string, string> = {
  'NUL bytes': 'a = b\u0000c\n\u0000\u0000\n smtp inet\u0000 n',
  '1 MB single line value': `x = ${'a'.repeat(MB)}`,
  '1 MB single line name': 'a'.repeat(MB),
  '1 MB of blanks': ' '.repeat(MB),
  'only whitespace': ' \t \n\t\n   ',
  'CR-only line ends': 'a = 1\rb = 2\r  c\rsmtp inet n - y - - smtpd\r',
  'BOM at start': '\uFEFFmyhostname = x\nsmtp inet n - y - - smtpd\n',
  'unterminated ${ repeated': `x = ${'${'.repeat(MB / 2)}`,
  'unterminated $( repeated': `x = ${'$('.repeat(MB / 2)}`,
  '1 MB of {': `x = ${'{'.repeat(MB)}`,
  '1 MB of }': `x = ${'}'.repeat(MB)}`,
  'deeply nested conditionals': `x = ${'${a?'.repeat(100000)}${'}'.repeat(100000)}`,
  'deeply nested relationals': `x = ${'${{'.repeat(100000)}${'}'.repeat(200000)}`,
  'deeply nested inline tables': `x = ${'inline:{'.repeat(100000)}${'}'.repeat(100000)}`,
  'long proxy chain': `x = ${'proxy:'.repeat(200000)}hash:/x`,
  '1 MB of $': `x = ${'$'.repeat(MB)}`,
  '1 MB of commas': `x = ${','.repeat(MB)}`,
  'many -o on one service': `smtp inet n - y - - smtpd ${'-o a=b '.repeat(100000)}`,
  'unclosed -o brace': `smtp inet n - y - - smtpd -o ${'{'.repeat(MB)}`,
  'binary noise': Array.from({ length: MB }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
  'lone surrogates': '\uD800 = \uDC00\n\uDFFF inet n - y - - x\n',
};

for (const [name, text] of Object.entries(INPUTS)) {
  for (const kind of ['postfix-main', 'postfix-master'] as const) {
    test(`${kind} survives: ${name}`, () => {
      const start = Date.now();
      const res = parsePostfix(text, kind);
      const symbols = postfixLanguage.symbols(res.tree);
      const folds = postfixLanguage.folding(res.tree);
      const ms = Date.now() - start;
      assert.equal(res.tree.kind, kind);
      assert.ok(Array.isArray(symbols) && Array.isArray(folds));
      assert.ok(res.findings.length <= MAX_FINDINGS + 1, `${res.findings.length} findings`);
      assert.ok(!res.findings.some((f) => f.code === 'postfix/internal-error'), 'no internal error');
      for (const f of res.findings) assert.ok(f.message.length < 2000, 'messages quote user text shortened');
      assert.ok(ms < 30_000, `took ${ms} ms (a hang guard, not a performance target)`);
    });
  }
}

test('a file of only errors is capped with a note', () => {
  const res = parsePostfix('x\n'.repeat(5000), 'postfix-main');
  assert.equal(res.findings.length, MAX_FINDINGS + 1);
  assert.equal(res.findings[MAX_FINDINGS].code, 'postfix/too-many-findings');
  assert.equal(res.findings[MAX_FINDINGS].severity, 'information');
});

test('a 4 MB main.cf of continued parameters parses in well under the budget', () => {
  const text = 'a = b\n  c\n'.repeat(200000);
  const start = Date.now();
  const res = parsePostfix(text, 'postfix-main');
  assert.equal((res.tree as { parameters: unknown[] }).parameters.length, 200000);
  assert.ok(Date.now() - start < 30_000, "a hang guard, not a performance target");
});
