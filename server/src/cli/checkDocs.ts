// What SARIF's rules say about each finding code, taken from docs/checks.md (the page every
// code must have a section in): a one-sentence summary, the section as help, and a link to
// the section. The page is read from the installed package at run time, next to
// dist/cli.js; without it the rules carry only their codes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CheckDoc {
  /** The first sentence of the explanation, without the "Severity: …" lead. */
  summary: string;
  /** The explanation paragraph, unwrapped. */
  description: string;
  /** The whole section (explanation, Bad and Good examples) as Markdown. */
  markdown: string;
  /** The heading's anchor on GitHub, such as `postfixbyte-order-mark`. */
  anchor: string;
}

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, blanks → -. */
export function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Up to the first full stop (or ! ?) before a blank, outside parentheses and `code`, not after e.g./i.e. */
function firstSentence(text: string): string {
  let depth = 0;
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (inCode) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && '.!?'.includes(c) && (i + 1 === text.length || /\s/.test(text[i + 1])) && !/\b(e\.g|i\.e|etc)$/.test(text.slice(0, i))) {
      return text.slice(0, i + 1);
    }
  }
  return text;
}

const CODE_HEADING = /^### `([^`]+)`\s*$/;

/** The sections of docs/checks.md, by code. */
export function parseCheckDocs(markdown: string): Map<string, CheckDoc> {
  const out = new Map<string, CheckDoc>();
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = CODE_HEADING.exec(lines[i]);
    if (!m) continue;
    let end = i + 1;
    let fenced = false;
    for (; end < lines.length; end++) {
      if (lines[end].startsWith('```')) fenced = !fenced;
      if (!fenced && /^#{1,3} /.test(lines[end])) break;
    }
    const body = lines.slice(i + 1, end).join('\n').trim();
    const firstParagraph = body.split(/\n\s*\n/)[0].split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
    const description = firstParagraph.replace(/^Severity:(?:[^.(]|\([^)]*\))*\.\s*/, '');
    out.set(m[1], { summary: firstSentence(description), description, markdown: body, anchor: githubAnchor(`\`${m[1]}\``) });
  }
  return out;
}

export interface PackageInfo {
  /** Folder holding mailconf's package.json (the repository or the installed package). */
  root: string;
  version?: string;
  /** https://github.com/OWNER/REPO when package.json names a GitHub repository. */
  repositoryUrl?: string;
}

/** mailconf's own package folder, looked for upwards from this code (dist/ or server/src/cli/). */
export function findPackage(from: string = __dirname): PackageInfo | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown; repository?: unknown };
      if (pkg.name === 'mailconf') {
        return { root: dir, version: typeof pkg.version === 'string' ? pkg.version : undefined, repositoryUrl: githubUrl(pkg.repository) };
      }
    } catch {
      // not here: look further up
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** "github:o/r", "o/r", "https://github.com/o/r.git", { url: "git+https://github.com/o/r" } → https://github.com/o/r. */
export function githubUrl(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string') return undefined;
  const m = /^(?:github:|(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com\/|git@github\.com:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(raw.trim());
  return m ? `https://github.com/${m[1]}/${m[2]}` : undefined;
}

export interface CheckDocsSource {
  docs: Map<string, CheckDoc>;
  /** Where a code's section is: the GitHub page, or else the local file. */
  linkTo(code: string): string | undefined;
}

/** docs/checks.md of the package, or undefined when it is not installed with the program. */
export function loadCheckDocs(pkg: PackageInfo | undefined = findPackage()): CheckDocsSource | undefined {
  if (!pkg) return undefined;
  const file = path.join(pkg.root, 'docs', 'checks.md');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const docs = parseCheckDocs(text);
  const page = pkg.repositoryUrl ? `${pkg.repositoryUrl}/blob/HEAD/docs/checks.md` : pathToFileURL(file).href;
  return { docs, linkTo: (code) => { const d = docs.get(code); return d ? `${page}#${d.anchor}` : undefined; } };
}
