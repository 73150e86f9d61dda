// opendkim.conf as a whole: the options in effect (the last line of each, Include'd files
// followed) must form one of the signing setups OpenDKIM accepts (dkimf_config_load):
// either KeyFile + Selector (+ Domain) or KeyTable + SigningTable; and something must name
// the socket. Files it references below the configuration root must exist.

import type { AnalysisContext } from '../../context';
import type { Finding, RelatedLocation } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import { appendLineEdit, finding, fix, replaceEdit, wholeLineRange, lineLabel } from './util';
import {
  configRootOf, confOptions, confTree, documentAt, effectiveOptions, isCompleteRoot, modeInEffect, opendkimFileLinks, resolveServerPath,
  type FileLink, type PlacedOption,
} from './links';
import { opendkimEnvironment } from './environment';
import { defaultFileOf, expandDefault, opendkimSocketInEffect, socketAssignment } from './socketInEffect';
import { uriDirname } from '../../stack/postfixInstance';
import { isTypographicQuote } from '../scan';

/** True when another opendkim.conf of the workspace Includes this one (it is then checked as part of that). */
export function isIncluded(workspace: Workspace, doc: WorkspaceDocument): boolean {
  for (const other of workspace.ofKind('opendkim-conf')) {
    if (other.uri === doc.uri) continue;
    const tree = confTree(other);
    const root = configRootOf(workspace, other);
    for (const o of tree?.options ?? []) {
      if (o.name.text.toLowerCase() !== 'include' || !o.value) continue;
      const target = resolveServerPath(root, o.value.text, uriDirname(other.uri));
      if (target && documentAt(workspace, target.uri)?.uri === doc.uri) return true;
    }
  }
  return false;
}

function here(p: PlacedOption, message: string): RelatedLocation {
  return { uri: p.doc.uri, range: p.option.name.range, message };
}

/** Findings that belong to `p` are only reported when `p` lies in the checked document. */
function inDoc(ctx: AnalysisContext, p: PlacedOption): boolean {
  return p.doc.uri === ctx.doc.uri;
}

export function checkSigningSetup(ctx: AnalysisContext): Finding[] {
  if (!confTree(ctx.doc) || isIncluded(ctx.workspace, ctx.doc)) return [];
  const eff = effectiveOptions(confOptions(ctx.workspace, ctx.doc));
  const out: Finding[] = [];
  const keyTable = eff.get('keytable');
  const signingTable = eff.get('signingtable');
  const keyFile = eff.get('keyfile');
  const selector = eff.get('selector');
  const domain = eff.get('domain');
  const mode = modeInEffect(eff);
  const signing = mode.includes('s');

  if (keyTable) {
    for (const p of [keyFile, selector, domain]) {
      if (!p || !inDoc(ctx, p)) continue;
      out.push(finding(p.option.name.range, 'warning', 'opendkim/ignored-with-keytable',
        `${p.option.name.text} has no effect: with a KeyTable (${lineLabel(keyTable.option.line)}) OpenDKIM takes domain, selector and key from the KeyTable entry that the SigningTable picks, and ignores KeyFile, Selector and Domain. Remove this line, or drop the KeyTable to use the single-key setup.`,
        { related: [here(keyTable, 'the KeyTable in effect')], fixes: [fix('Remove this line', [replaceEdit(wholeLineRange(p.option.line), '')], true)] }));
    }
  }

  if (signingTable && !keyTable && inDoc(ctx, signingTable)) {
    out.push(finding(signingTable.option.name.range, 'error', 'opendkim/signingtable-without-keytable',
      'A SigningTable names KeyTable entries, but there is no KeyTable, so OpenDKIM refuses to start ("use of SigningTable requires KeyTable"). Add a KeyTable line (for example KeyTable /etc/opendkim/key.table).'));
  }

  if (signing && !keyTable) {
    if (keyFile && !selector && inDoc(ctx, keyFile)) {
      out.push(finding(keyFile.option.name.range, 'error', 'opendkim/keyfile-selector-pair',
        'KeyFile needs a Selector (the name under which the public key is published, selector._domainkey.domain). OpenDKIM refuses to start in signing mode ("KeyFile and Selector must both be defined or both be undefined"). Add a Selector line.'));
    }
    if (selector && !keyFile && inDoc(ctx, selector)) {
      out.push(finding(selector.option.name.range, 'error', 'opendkim/keyfile-selector-pair',
        'Selector needs a KeyFile (the private key to sign with). OpenDKIM refuses to start in signing mode ("KeyFile and Selector must both be defined or both be undefined"). Add a KeyFile line, or use KeyTable and SigningTable.'));
    }
    if (domain && (!keyFile || !selector) && inDoc(ctx, domain)) {
      out.push(finding(domain.option.name.range, 'error', 'opendkim/domain-without-keyfile',
        `Domain says which domains to sign for, but without ${!keyFile && !selector ? 'KeyFile and Selector' : !keyFile ? 'KeyFile' : 'Selector'} there is no key to sign with, so OpenDKIM refuses to start ("Domain requires KeyFile and Selector"). Add them, or use KeyTable and SigningTable instead.`));
    }
  }

  // Mode without `s`: OpenDKIM accepts every message it is asked to sign unchanged, so a
  // signing setup beside it never signs anything (opendkim.c, mlfi_eoh).
  const modeOption = eff.get('mode');
  const signingSetup = keyTable ?? signingTable ?? keyFile;
  if (!signing && modeOption?.option.value && /^[sv]+$/.test(mode) && signingSetup && inDoc(ctx, modeOption)) {
    const value = modeOption.option.value;
    out.push(finding(value.range, 'warning', 'opendkim/signing-disabled',
      `Mode ${mode} only verifies: OpenDKIM passes every message it should sign on unsigned, so the ${signingSetup.option.name.text} (${lineLabel(signingSetup.option.line)}) is never used and outgoing mail carries no DKIM signature (DMARC then rests on SPF alone). Write Mode sv to sign and verify.`,
      { related: [here(signingSetup, 'the signing setup that is not used')], fixes: [fix('Sign and verify: Mode sv', [replaceEdit(value.range, 'sv')], true)] }));
  }

  if (signing && keyTable && !signingTable && !eff.get('setuppolicyscript') && inDoc(ctx, keyTable)) {
    out.push(finding(keyTable.option.name.range, 'error', 'opendkim/keytable-without-signingtable',
      'A KeyTable alone does not say which messages to sign with which key; OpenDKIM refuses to start in signing mode ("KeyTable requires either SigningTable or SetupPolicyScript"). Add a SigningTable (for example SigningTable refile:/etc/opendkim/signing.table).'));
  }
  return out;
}

/**
 * opendkim.conf names no Socket and no systemd drop-in passes -p: under Debian's systemd
 * unit OpenDKIM exits at start. A SOCKET in /etc/default/opendkim does not help.
 */
export function checkSocketPresent(ctx: AnalysisContext): Finding[] {
  const tree = confTree(ctx.doc);
  if (!tree || isIncluded(ctx.workspace, ctx.doc)) return [];
  const inEffect = opendkimSocketInEffect(ctx.workspace, ctx.doc);
  if (inEffect.source !== 'none') return [];
  const root = configRootOf(ctx.workspace, ctx.doc);
  const defaults = defaultFileOf(ctx.workspace, root);
  const assignment = defaults && socketAssignment(defaults);
  const fromDefault = defaults && assignment ? expandDefault(defaults, assignment) : undefined;
  const usable = fromDefault !== undefined ? usableSocket(fromDefault) : undefined;
  const suggestion = usable ?? 'local:/run/opendkim/opendkim.sock';
  const first = tree.options[0];
  const at = first ? first.name.range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const related: RelatedLocation[] = defaults && assignment
    ? [{ uri: defaults.uri, range: assignment.name.range, message: 'SOCKET here is ignored by systemd' }]
    : [];
  return [finding(at, 'warning', 'opendkim/no-socket',
    `${inEffect.reason} Add "Socket ${suggestion}" (the socket Postfix's smtpd_milters points at).`,
    { related, fixes: [fix(`Add Socket ${suggestion}`, [appendLineEdit(ctx.doc, `Socket ${suggestion}`)], true)] })];
}

/** A SOCKET value as opendkim.conf can take it: quotes (straight or typographic) removed; undefined if it has blanks. */
export function usableSocket(text: string): string | undefined {
  // Every quote character goes, the typographic ones included (″ ′ ‹ › as well as “ ”).
  const bare = [...text].filter((ch) => ch !== '"' && ch !== "'" && !isTypographicQuote(ch.charCodeAt(0))).join('');
  // Copied into opendkim.conf as written: only the characters of a socket address (no blank,
  // control character, quote or `#`).
  return /^[A-Za-z0-9:@\/._+\-\[\]%]+$/.test(bare) ? bare : undefined;
}

/** Table kinds of the options whose files mailconf reads as documents. */
const TEXT_TABLE_OPTIONS: ReadonlySet<string> = new Set(['keytable', 'signingtable', 'internalhosts', 'externalignorelist', 'peerlist', 'exemptdomains', 'include']);

/**
 * Files the configuration needs at start, below the configuration root, that the complete
 * tree the front end supplied does not have. Key files are judged by KeyFileInfo (keyFiles.ts).
 */
export function checkMissingFiles(ctx: AnalysisContext): Finding[] {
  if (!confTree(ctx.doc)) return [];
  const root = configRootOf(ctx.workspace, ctx.doc);
  if (!isCompleteRoot(ctx.workspace, root)) return [];
  const env = opendkimEnvironment(ctx.workspace);
  const out: Finding[] = [];
  for (const link of opendkimFileLinks(ctx.workspace, ctx.doc)) {
    if (link.placed.doc.uri !== ctx.doc.uri || !link.resolved.underRoot || link.doc || link.placed.key === 'keyfile') continue;
    if (!isOpenedAtStart(link)) continue;
    const exists = env.fileExists?.(link.resolved.uri);
    const textTable = TEXT_TABLE_OPTIONS.has(link.placed.key) && (link.datasetType === undefined || link.datasetType === 'file' || link.datasetType === 'refile');
    if (exists === true || (exists === undefined && !textTable)) continue;
    out.push(finding(link.path.range, 'error', 'opendkim/missing-file',
      `${link.path.text} does not exist. OpenDKIM opens the ${link.optionName} file at start and stops when it is missing. Create the file or correct the path.`));
  }
  return out;
}

/** Files OpenDKIM opens when it starts (PidFile and the like are written, directories are not files). */
function isOpenedAtStart(link: FileLink): boolean {
  if (link.datasetType) return true;
  if (link.placed.key === 'include') return true;
  return ['keyfile', 'trustanchorfile', 'resolverconfiguration', 'replacerules', 'finalpolicyscript',
    'screenpolicyscript', 'setuppolicyscript', 'statisticspolicyscript', 'testpublickeys'].includes(link.placed.key);
}
