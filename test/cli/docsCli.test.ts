// docs/cli.md stays the true reference of the command line. The commands and options are
// read from the usage texts the built CLI prints (`mailconf --help`, `mailconf COMMAND
// --help`), so a new command or option fails this test until the page describes it:
// - every command of the overview has a `## \`mailconf COMMAND\`` section;
// - every option (and every --format value) a command's usage names is written in a code
//   span in that section's prose or tables (the synopsis code block alone does not count);
// - every option of the overview is mentioned somewhere on the page;
// and the other way round, every section is a command the CLI knows, and every option in a
// section's option table is one the command accepts (no "unknown option").
// Needs `npm run build` (dist/cli.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const DOC = path.join(REPO, 'docs', 'cli.md');

function cli(args: string[], cwd = REPO) {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without waiting: the table-option runs go in parallel. */
function cliAsync(args: string[], cwd: string): Promise<{ stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 }, (_error, _stdout, stderr) => resolve({ stderr }));
  });
}

/** Long options (`--name`) and one-letter short options (`-h`) in a text; not `-all` or `opendkim-genkey`. */
function optionsIn(text: string): string[] {
  const long = [...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]);
  const short = [...text.matchAll(/(?<![\w-])-[a-zA-Z](?![\w-])/g)].map((m) => m[0]);
  return [...new Set([...long, ...short])];
}

/** The values a usage text lists for --format (`--format text`, `--format text|json`). */
function formatValuesIn(text: string): string[] {
  const values = [...text.matchAll(/--format ([a-z]+(?:\|[a-z]+)*)/g)].flatMap((m) => m[1].split('|'));
  return [...new Set(values)];
}

/** The commands of the overview's Usage block: the lowercase words after `mailconf` (`spf check-host`). */
function commandsIn(overview: string): string[] {
  const usage = overview.split('\n\n')[0];
  const commands: string[] = [];
  for (const line of usage.split('\n')) {
    const m = /^(?:Usage:)?\s+mailconf\s+(.*)$/.exec(line);
    if (!m) continue;
    const words: string[] = [];
    for (const w of m[1].split(/\s+/)) {
      if (!/^[a-z][a-z-]*$/.test(w)) break;
      words.push(w);
    }
    if (words.length) commands.push(words.join(' '));
  }
  return commands;
}

/** The page without its fenced code blocks (examples and synopses), lines kept in place. */
function withoutFences(markdown: string): string {
  let inFence = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return '';
    }
    return inFence ? '' : line;
  }).join('\n');
}

/** The `## \`mailconf COMMAND\`` sections of the page (outside code blocks), by command. */
function sectionsOf(prose: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = prose.split(/^(?=## )/m);
  for (const part of parts) {
    const m = /^## `mailconf ([^`]+)`[ \t]*\n/.exec(part);
    if (m) sections.set(m[1], part);
  }
  return sections;
}

/** Every inline code span's text (`--dns-server HOST[:PORT]...`, `--format json`). */
function codeSpans(prose: string): string[] {
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}

/** The options in the first cell of a section's table rows (`| \`--ip IP\` | … |`). */
function tableOptions(section: string): string[] {
  const out: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue;
    const firstCell = line.split(/(?<!\\)\|/)[1] ?? '';
    if (!/^\s*`-/.test(firstCell)) continue;
    for (const span of codeSpans(firstCell)) out.push(...optionsIn(span));
  }
  return [...new Set(out)];
}

const doc = fs.readFileSync(DOC, 'utf8');
const prose = withoutFences(doc);
const sections = sectionsOf(prose);
const mentionedIn = (text: string) => {
  const spans = codeSpans(text);
  return {
    option: (o: string) => spans.some((s) => optionsIn(s).includes(o)),
    format: (v: string) => spans.some((s) => new RegExp(`(?<![\\w-])--format[ =]${v}(?![\\w-])`).test(s)),
  };
};

test('docs/cli.md has a section for every command of `mailconf --help`, and only for those', () => {
  const overview = cli(['--help']);
  assert.equal(overview.code, 0, overview.stderr);
  const commands = commandsIn(overview.stdout);
  assert.ok(commands.includes('check') && commands.length >= 2, `no commands read from the overview:\n${overview.stdout}`);
  const missing = commands.filter((c) => !sections.has(c));
  assert.deepEqual(missing, [], `docs/cli.md lacks a "## \`mailconf COMMAND\`" section for: ${missing.join(', ')}`);
  const unknown = [...sections.keys()].filter((c) => !commands.includes(c));
  assert.deepEqual(unknown, [], `docs/cli.md has sections for commands the CLI does not list: ${unknown.join(', ')}`);
});

test("every option of every command's --help is described in that command's section", () => {
  const commands = commandsIn(cli(['--help']).stdout);
  const gaps: string[] = [];
  let checked = 0;
  for (const command of commands) {
    const help = cli([...command.split(' '), '--help']);
    assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^Usage: mailconf ${command}\\b`), `${command} --help prints its own usage`);
    const options = optionsIn(help.stdout);
    assert.ok(options.includes('--help'), `${command}: no options read from\n${help.stdout}`);
    const section = sections.get(command);
    if (section === undefined) continue; // reported by the test above
    const has = mentionedIn(section);
    for (const o of options) {
      checked++;
      if (!has.option(o)) gaps.push(`${command}: ${o}`);
    }
    for (const v of formatValuesIn(help.stdout)) {
      checked++;
      if (!has.format(v)) gaps.push(`${command}: --format ${v}`);
    }
  }
  assert.ok(checked >= commands.length * 2, 'options were read');
  assert.deepEqual(gaps, [], `not described in docs/cli.md (as a code span in the command's section, outside code blocks):\n${gaps.join('\n')}`);
});

test('every option the overview names is mentioned on the page', () => {
  const overview = cli(['--help']).stdout;
  const has = mentionedIn(prose);
  const options = optionsIn(overview);
  assert.ok(options.includes('--version'), overview);
  assert.deepEqual(options.filter((o) => !has.option(o)), [], 'options of `mailconf --help` missing from docs/cli.md');
});

test("the options in each section's table are accepted by its command", async () => {
  // Each option alone, in an empty folder: the command may complain about what is missing,
  // never that the option is unknown. None of these runs reaches DNS or writes a file.
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-docs-'));
  try {
    const runs = [...sections].flatMap(([command, section]) => tableOptions(section).map((option) => ({ command, option })));
    assert.ok(runs.length >= sections.size, 'table options were read');
    const results = await Promise.all(runs.map(async ({ command, option }) => {
      const r = await cliAsync([...command.split(' '), option], empty);
      return /unknown (option|argument)/.test(r.stderr) ? `${command} ${option}: ${r.stderr.split('\n')[0]}` : undefined;
    }));
    assert.deepEqual(results.filter((r) => r !== undefined), [], 'docs/cli.md documents options the CLI rejects');
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('the extraction is not vacuous: a page without an option or a section is caught', () => {
  const overview = cli(['--help']).stdout;
  const commands = commandsIn(overview);
  const check = sections.get('check')!;
  const withoutTimeout = check.replace(/`--dns-timeout[^`]*`/g, 'the timeout');
  assert.equal(mentionedIn(withoutTimeout).option('--dns-timeout'), false);
  assert.equal(mentionedIn(check).option('--dns-timeout'), true);
  assert.equal(mentionedIn('`--format json`').format('sarif'), false);
  assert.equal(sectionsOf(withoutFences(doc.replace('## `mailconf spf tree`', '## SPF trees'))).has('spf tree'), false);
  assert.ok(commands.every((c) => sectionsOf(withoutFences('## `mailconf ' + c + '`\n')).has(c)));
  // Headings inside code blocks (the Markdown `spf tree` prints) are not sections.
  assert.equal(sectionsOf(withoutFences('```\n## `mailconf nope`\n```\n')).size, 0);
});
