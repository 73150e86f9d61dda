// opendkim/ed25519-simple-header-canonicalization: an OpenDKIM that signs with ed25519-sha256
// and canonicalizes headers with `simple`. OpenDKIM 2.11 refolds the DKIM-Signature header
// after it has computed an Ed25519 signature over it, and `simple` header canonicalization
// counts every line break and blank, so receivers compute another hash and every such
// signature fails. Relaxed header canonicalization ignores the refolding; RSA signatures are
// folded before signing and are not affected. Proved with Debian 12's opendkim 2.11.0~beta2
// and two verifiers (OpenDKIM's own and python3-dkim) by test/integration/opendkimKeyFiles.test.ts.
//
// How OpenDKIM reads Canonicalization (dkimf_config_load): "header/body", each word simple or
// relaxed, case-insensitive; a single word is the header's and the body stays simple; an
// unknown word stops it from starting (opendkim/bad-canonicalization). Unset: simple/simple.

import type { AnalysisContext } from '../../context';
import type { Finding, Range, RelatedLocation, TextEdit } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import { uriBasename } from '../../stack/postfixInstance';
import { confOptions, confTree, effectiveOptions, modeInEffect } from './links';
import { isIncluded } from './confConsistency';
import { signingAlgorithmOf, type SigningAlgorithm } from './keyAlgorithm';
import { finding, fix, lineLabel, replaceEdit } from './util';

const CODE = 'opendkim/ed25519-simple-header-canonicalization';
const CANONICALIZATIONS = new Set(['simple', 'relaxed']);

/** The header and body canonicalization of a Canonicalization value; undefined when OpenDKIM would not start with it. */
export function parseCanonicalization(value: string): { header: string; body: string; bodyAsWritten?: string } | undefined {
  const slash = value.indexOf('/');
  const header = (slash < 0 ? value : value.slice(0, slash)).toLowerCase();
  const bodyAsWritten = slash < 0 ? undefined : value.slice(slash + 1);
  const body = (bodyAsWritten ?? 'simple').toLowerCase();
  if (!CANONICALIZATIONS.has(header) || !CANONICALIZATIONS.has(body)) return undefined;
  return bodyAsWritten === undefined ? { header, body } : { header, body, bodyAsWritten };
}

export function checkEd25519Canonicalization(ctx: AnalysisContext): Finding[] {
  if (!confTree(ctx.doc)) return [];
  // An Include'd file is judged as part of each opendkim.conf that reads it.
  const instances = isIncluded(ctx.workspace, ctx.doc) ? confsIncluding(ctx.workspace, ctx.doc) : [ctx.doc];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const conf of instances) {
    const f = findingFor(ctx.workspace, conf, ctx.doc);
    const key = f && `${f.range.start.line}:${f.range.start.character}`;
    if (f && key && !seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/** The top-level opendkim.conf files whose options include lines of `doc`. */
function confsIncluding(workspace: Workspace, doc: WorkspaceDocument): WorkspaceDocument[] {
  return workspace.ofKind('opendkim-conf').filter((c) => c.uri !== doc.uri && !isIncluded(workspace, c) && confOptions(workspace, c).some((p) => p.doc.uri === doc.uri));
}

/** The finding for the instance `conf`, when it belongs in `doc` (where the line to change is). */
function findingFor(workspace: Workspace, conf: WorkspaceDocument, doc: WorkspaceDocument): Finding | undefined {
  const eff = effectiveOptions(confOptions(workspace, conf));
  if (!modeInEffect(eff).includes('s')) return undefined; // a verifying-only instance signs nothing
  const signing = signingAlgorithmOf(workspace, conf);
  if (signing?.name !== 'ed25519-sha256' || !signing.setAt) return undefined;
  const canon = eff.get('canonicalization');
  const canonValue = canon?.option.value;
  if (canon && canonValue) {
    const parsed = parseCanonicalization(canonValue.text);
    if (!parsed || parsed.header !== 'simple' || canon.doc.uri !== doc.uri) return undefined;
    const replacement = `relaxed/${parsed.bodyAsWritten ?? 'simple'}`;
    const what = parsed.bodyAsWritten === undefined
      ? `Canonicalization ${canonValue.text} means ${parsed.header} for the headers (and simple for the body)`
      : `Canonicalization ${canonValue.text} means ${parsed.header} for the headers`;
    return finding(canonValue.range, 'error', CODE, message(signing, what, parsed.bodyAsWritten === undefined ? `Change it to ${replacement}.` : `Change it to ${replacement} (only the header half matters; the body half stays as it is).`), {
      related: signatureAlgorithmHere(signing, conf, doc),
      fixes: [fix(`Change to ${replacement}`, [replaceEdit(canonValue.range, replacement)], true)],
    });
  }
  if (signing.setAt.uri !== doc.uri) return undefined;
  const line = signing.setAt.range.start.line;
  return finding(signing.setAt.range, 'error', CODE,
    message(signing, 'no Canonicalization is set, so OpenDKIM uses its default, simple/simple (simple for the headers)', 'Add "Canonicalization relaxed/simple" (what Debian\'s shipped opendkim.conf sets).'), {
      fixes: [fix('Add Canonicalization relaxed/simple', [lineBefore(doc, line, 'Canonicalization relaxed/simple')], true)],
    });
}

function message(signing: SigningAlgorithm, canonicalization: string, todo: string): string {
  const where = signing.setAt ? ` (SignatureAlgorithm in ${uriBasename(signing.setAt.uri)} ${lineLabel(signing.setAt.range.start.line)})` : '';
  return `This OpenDKIM signs with ed25519-sha256${where}, and ${canonicalization}. OpenDKIM 2.11 refolds the DKIM-Signature header after it has signed it, and simple header canonicalization counts every line break and blank, so every Ed25519 signature it adds fails at receivers (OpenDKIM's verifier: dkim=fail, "signature verification failed"; other verifiers such as python3-dkim fail it too). Without another valid signature the mail counts as not DKIM-signed and fails DMARC unless SPF passes for the From domain. RSA signatures are not affected; relaxed header canonicalization ignores the refolding. ${todo}`;
}

/** Points at the SignatureAlgorithm line when the finding is on a Canonicalization line elsewhere in the files. */
function signatureAlgorithmHere(signing: SigningAlgorithm, conf: WorkspaceDocument, doc: WorkspaceDocument): RelatedLocation[] {
  if (!signing.setAt) return [];
  const related: RelatedLocation[] = [{ uri: signing.setAt.uri, range: signing.setAt.range, message: 'SignatureAlgorithm ed25519-sha256: this OpenDKIM signs with Ed25519' }];
  if (conf.uri !== doc.uri) related.push({ uri: conf.uri, range: startOf(), message: `${uriBasename(conf.uri)} reads this file (Include)` });
  return related;
}

function startOf(): Range {
  const start = { line: 0, character: 0 };
  return { start, end: start };
}

/** A new line before line `line` of `doc`, with the document's own line end. */
function lineBefore(doc: WorkspaceDocument, line: number, text: string): TextEdit {
  const at = { line, character: 0 };
  const eol = doc.analysis.text.includes('\r\n') ? '\r\n' : '\n';
  return replaceEdit({ start: at, end: at }, `${text}${eol}`);
}
