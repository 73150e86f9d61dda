// KeyTable, SigningTable and host lists read together with the opendkim.conf that loads
// them. How a table's keys match depends on that line: with `refile:` they are wildcard
// patterns matched against the whole sender address (dkimf_mkregexp anchors them with ^…$),
// with a plain file they are looked up literally (user@host, host, user@.parent, .parent,
// user@*, *). A SigningTable names KeyTable entries; a plain-file SigningTable whose name
// is missing stops OpenDKIM at start, a refile: one makes it fail to sign those senders.

import type { AnalysisContext } from '../../context';
import type { Finding, Fix, RelatedLocation } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { HostListEntry, HostListTree, KeyTableEntry, KeyTableTree, SigningTableEntry, SigningTableTree } from '../tree';
import { hasTemplatePlaceholder } from '../scan';
import { appendLineEdit, finding, fix, replaceEdit, nearest, uniqueFindings, lineLabel, syntaxFindingOnLine } from './util';
import { maskParts, parseIPv4, parseIPv6 } from '../ipAddress';
import { confsUsing, effectiveConf, keyTableTree, modeInEffect, opendkimTables, signingTableTree, type FileLink } from './links';

/** "refile:/etc/opendkim/signing.table" in opendkim.conf, as a related location. */
function loadedBy(link: FileLink, message: string): RelatedLocation {
  return { uri: link.placed.doc.uri, range: link.placed.option.value?.range ?? link.placed.option.name.range, message };
}

/** The edit that makes an opendkim.conf line load its file with refile: (replacing file: when written). */
function refileEdit(link: FileLink) {
  const ds = link.placed.option.dataset;
  const uri = link.placed.doc.uri;
  if (ds?.prefix) return replaceEdit({ start: ds.prefix.range.start, end: ds.location.range.start }, 'refile:', uri);
  return replaceEdit({ start: link.path.range.start, end: link.path.range.start }, 'refile:', uri);
}

function isRefile(link: FileLink): boolean {
  return link.datasetType === 'refile';
}

// ---------------------------------------------------------------- InternalHosts

/**
 * An InternalHosts list replaces OpenDKIM's default (127.0.0.1), and Postfix hands mail
 * submitted on the host itself (sendmail: cron, web applications) to its milters as coming
 * from localhost/127.0.0.1 (cleanup_milter.c). A list without either leaves that mail
 * unsigned unless the client authenticated.
 */
function checkLoopbackInternal(ctx: AnalysisContext, tree: HostListTree, plainLoads: FileLink[], out: Finding[]): void {
  const signers = plainLoads.filter((l) => l.placed.key === 'internalhosts' && signs(ctx.workspace, l.placed.doc));
  if (signers.length === 0 || tree.entries.length === 0) return;
  // Entries mailconf cannot judge (placeholders, broken lines) may well be the loopback.
  if (tree.entries.some((e) => e.kind === 'template' || e.kind === 'invalid')) return;
  if (tree.entries.some((e) => !e.negated && coversLoopback(e))) return;
  const first = tree.entries[0];
  out.push(finding(first.range, 'warning', 'opendkim/internalhosts-without-loopback',
    'This InternalHosts list has neither 127.0.0.1 nor localhost. The list replaces OpenDKIM\'s default (127.0.0.1), and Postfix passes mail submitted on this host (sendmail: cron jobs, web applications; non_smtpd_milters) to OpenDKIM as coming from localhost/127.0.0.1, so that mail leaves unsigned, as does unauthenticated SMTP from the host itself. Add 127.0.0.1 and localhost to the list.',
    {
      related: signers.map((l) => loadedBy(l, 'InternalHosts loads this list')),
      fixes: [fix('Add 127.0.0.1 and localhost', [appendLineEdit(ctx.doc, '127.0.0.1\nlocalhost')], true)],
    }));
}

function signs(workspace: Workspace, confDoc: WorkspaceDocument): boolean {
  return modeInEffect(effectiveConf(workspace, confDoc)).includes('s');
}

/** Whether a list entry matches what OpenDKIM compares for a local submission: the name localhost or 127.0.0.1 (::1 when Postfix prefers IPv6). */
function coversLoopback(e: HostListEntry): boolean {
  const host = e.host.text.toLowerCase();
  if (e.kind === 'hostname') return host === 'localhost';
  if (e.kind === 'ipv4') {
    const ip = parseIPv4(host);
    if (!ip) return false;
    const bits = e.prefixBits ?? 32;
    return maskParts(ip, 8, bits).join('.') === maskParts([127, 0, 0, 1], 8, bits).join('.');
  }
  if (e.kind === 'ipv6') {
    const ip = parseIPv6(host);
    if (!ip) return false;
    const bits = e.prefixBits ?? 128;
    return maskParts(ip, 16, bits).join(':') === maskParts([0, 0, 0, 0, 0, 0, 0, 1], 16, bits).join(':');
  }
  return false;
}

// ---------------------------------------------------------------- SigningTable

export function checkSigningTable(ctx: AnalysisContext): Finding[] {
  const tree = signingTableTree(ctx.doc);
  if (!tree) return [];
  const out: Finding[] = [...duplicatePatterns(ctx.doc, tree)];
  for (const { conf, link } of confsUsing(ctx.workspace, ctx.doc)) {
    if (link.placed.key !== 'signingtable') continue;
    const keyLink = opendkimTables(ctx.workspace, conf).keyTable;
    const keys = keyTableTree(keyLink?.doc);
    const names = new Set(keys?.entries.map((k) => k.name.text));
    let suggestions = MAX_SUGGESTED;
    for (const entry of tree.entries) {
      if (syntaxFindingOnLine(ctx.doc, entry.line)) continue;
      out.push(...patternFindings(entry, link));
      if (keys && keyLink) {
        const f = unknownKey(entry, keys, names, keyLink, suggestions > 0);
        if (f) {
          out.push(f);
          suggestions--;
        }
      }
    }
  }
  return uniqueFindings(out);
}

function patternFindings(entry: SigningTableEntry, link: FileLink): Finding[] {
  const p = entry.pattern;
  if (!isRefile(link) && entry.patternKind === 'glob') {
    return [finding(p.range, 'warning', 'opendkim/wildcard-without-refile',
      `opendkim.conf loads this SigningTable as a plain file, where "${p.text}" is looked up literally: "*" is no wildcard there, so no sender ever matches and their mail leaves unsigned. Load the table with refile: in opendkim.conf.`,
      { related: [loadedBy(link, 'loaded without refile: here')], fixes: [fix('Load the SigningTable with refile:', [refileEdit(link)], true)] })];
  }
  if (isRefile(link) && (entry.patternKind === 'domain' || entry.patternKind === 'subdomains' || entry.patternKind === 'address-subdomains')) {
    const meant = entry.patternKind === 'domain' ? `*@${p.text}` : entry.patternKind === 'subdomains' ? `*@*${p.text}` : p.text.replace('@.', '@*.');
    return [finding(p.range, 'warning', 'opendkim/refile-pattern-never-matches',
      `With refile: every SigningTable key is a pattern matched against the whole sender address (user@domain). "${p.text}" ${entry.patternKind === 'address-subdomains' ? 'has no wildcard after the @' : 'has no @'}, so it never matches and these senders' mail leaves unsigned. Write ${meant}.`,
      { related: [loadedBy(link, 'loaded with refile: here')], fixes: [fix(`Write ${meant}`, [replaceEdit(p.range, meant)], true)] })];
  }
  return [];
}

/** Nearest-name fixes cost a pass over the KeyTable each; a broken table with thousands of lines gets them for the first ones. */
const MAX_SUGGESTED = 20;

function unknownKey(entry: SigningTableEntry, keys: KeyTableTree, names: ReadonlySet<string>, keyLink: FileLink, suggest: boolean): Finding | undefined {
  const name = entry.keyName;
  if (!name || name.text === '' || name.text === '%' || hasTemplatePlaceholder(name.text) || /\s/.test(name.text)) return undefined;
  // KeyTable names are looked up case-sensitively (the KeyTable is opened without ICASE).
  if (names.has(name.text)) return undefined;
  // Only names that can be written into the SigningTable as they are (no blanks, no control characters).
  const candidates = suggest ? nearest(name.text, names, 3).filter((c) => !/[\s\u0000-\u001f\u007f]/.test(c.name)) : [];
  const fixes: Fix[] = candidates.map((c, i) => fix(`Change to ${c.name}`, [replaceEdit(name.range, c.name)],
    i === 0 && (candidates.length === 1 || c.distance < candidates[1].distance)));
  const keyUri = keyLink.doc!.uri;
  const related: RelatedLocation[] = [loadedBy(keyLink, `the KeyTable ${keyLink.path.text}`)];
  const best = candidates[0] && keys.entries.find((k) => k.name.text === candidates[0].name); // at most MAX_SUGGESTED times
  if (best) related.push({ uri: keyUri, range: best.name.range, message: `the closest KeyTable entry, ${best.name.text}` });
  // The start-up check (opendkim -n) walks a plain-file SigningTable only while its lines
  // carry a signer (key:signer), so it usually misses this; a refile: table is never walked.
  return finding(name.range, 'error', 'opendkim/signingtable-unknown-key',
    `The KeyTable (${keyLink.path.text}) has no entry named "${name.text}". When a sender matches this line, OpenDKIM logs "signing table references unknown key" and answers with a temporary failure, so Postfix defers the message: that mail does not go out. Use the name of a KeyTable entry${candidates[0] ? `, such as ${candidates[0].name}` : ''}.`,
    { related, fixes });
}

function duplicatePatterns(doc: WorkspaceDocument, tree: SigningTableTree): Finding[] {
  const first = new Map<string, SigningTableEntry>();
  const out: Finding[] = [];
  for (const e of tree.entries) {
    const key = e.pattern.text.toLowerCase(); // the SigningTable is opened case-insensitively
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, e);
      continue;
    }
    out.push(finding(e.pattern.range, 'warning', 'opendkim/table-duplicate-key',
      `"${e.pattern.text}" is already listed on ${lineLabel(earlier.line)}. OpenDKIM uses the first matching line, so this one never applies (unless MultipleSignatures is on). Remove one of the two.`,
      { related: [{ uri: doc.uri, range: earlier.pattern.range, message: 'the line that applies' }] }));
  }
  return out;
}

// ---------------------------------------------------------------- KeyTable

export function checkKeyTable(ctx: AnalysisContext): Finding[] {
  const tree = keyTableTree(ctx.doc);
  if (!tree) return [];
  return [...duplicateKeys(ctx.doc, tree), ...unusedKeys(ctx.workspace, ctx.doc, tree)];
}

function duplicateKeys(doc: WorkspaceDocument, tree: KeyTableTree): Finding[] {
  const out: Finding[] = [];
  const byName = new Map<string, KeyTableEntry>();
  const bySelector = new Map<string, KeyTableEntry>();
  for (const e of tree.entries) {
    const earlier = byName.get(e.name.text);
    if (earlier) {
      out.push(finding(e.name.range, 'warning', 'opendkim/table-duplicate-key',
        `The key name "${e.name.text}" is already defined on ${lineLabel(earlier.line)}. OpenDKIM uses the first entry of a name, so this one is never used. Give it another name or remove it.`,
        { related: [{ uri: doc.uri, range: earlier.name.range, message: 'the entry in use' }] }));
      continue;
    }
    byName.set(e.name.text, e);
    if (!e.domain || !e.selector || !e.key || e.domain.text === '%' || hasTemplatePlaceholder(e.value?.text ?? '')) continue;
    const id = `${e.domain.text.toLowerCase()}:${e.selector.text.toLowerCase()}`;
    const same = bySelector.get(id);
    if (same && same.key && same.key.text !== e.key.text) {
      out.push(finding({ start: e.domain.range.start, end: e.selector.range.end }, 'warning', 'opendkim/keytable-duplicate-selector',
        `${e.selector.text}._domainkey.${e.domain.text} is also used by "${same.name.text}" (${lineLabel(same.line)}) with another key file. DNS can publish only one public key under that name, so signatures made with one of the two keys fail verification. Give each key its own selector.`,
        { related: [{ uri: doc.uri, range: same.name.range, message: `${same.name.text}: the same domain and selector` }] }));
    } else if (!same) {
      bySelector.set(id, e);
    }
  }
  return out;
}

/**
 * KeyTable entries no SigningTable line names. Only judged when every opendkim.conf that
 * loads this KeyTable has its SigningTable in the workspace, without `%` key names (which
 * stand for the sender's domain) and without a Lua SetupPolicyScript (which may pick keys).
 */
function unusedKeys(workspace: Workspace, doc: WorkspaceDocument, tree: KeyTableTree): Finding[] {
  const users = confsUsing(workspace, doc).filter((u) => u.link.placed.key === 'keytable');
  if (users.length === 0) return [];
  const used = new Set<string>();
  const tables: FileLink[] = [];
  for (const { conf } of users) {
    if (effectiveConf(workspace, conf).get('setuppolicyscript')) return [];
    const st = opendkimTables(workspace, conf).signingTable;
    const sTree = signingTableTree(st?.doc);
    if (!st || !sTree) return [];
    tables.push(st);
    for (const e of sTree.entries) {
      const n = e.keyName?.text;
      if (n === undefined) continue;
      if (n === '%' || hasTemplatePlaceholder(n)) return [];
      used.add(n);
    }
  }
  return tree.entries
    .filter((e) => !used.has(e.name.text) && !hasTemplatePlaceholder(e.name.text))
    .map((e) => finding(e.name.range, 'information', 'opendkim/keytable-unused-key',
      `No SigningTable line names "${e.name.text}", so OpenDKIM never signs with this key${e.domain ? ` (for ${e.domain.text})` : ''}. Add a SigningTable line for the senders it is meant for, or remove the entry.`,
      { related: tables.map((t) => ({ uri: t.doc!.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `the SigningTable ${t.path.text}` })) }));
}

// ---------------------------------------------------------------- host lists

export function checkHostList(ctx: AnalysisContext): Finding[] {
  const tree = ctx.doc.analysis.parse.tree as HostListTree;
  if (!tree || tree.kind !== 'opendkim-hostlist') return [];
  const plainLoads = confsUsing(ctx.workspace, ctx.doc).map((u) => u.link).filter((l) => !isRefile(l));
  if (plainLoads.length === 0) return [];
  const out: Finding[] = [];
  checkLoopbackInternal(ctx, tree, plainLoads, out);
  for (const e of tree.entries) {
    if (e.kind !== 'wildcard' || syntaxFindingOnLine(ctx.doc, e.line)) continue;
    const domain = e.host.text.replace(/^\*+/, '');
    const options = [...new Set(plainLoads.map((l) => l.optionName))].join(' and ');
    out.push(finding(e.host.range, 'warning', 'opendkim/wildcard-without-refile',
      `opendkim.conf loads this list as a plain file (${options}), where entries are compared as text: "*" is no wildcard there, so "${e.host.text}" never matches a client. Write ${domain} (a leading dot covers every host under ${domain.replace(/^\./, '')}), or load the list with refile:.`,
      {
        related: plainLoads.map((l) => loadedBy(l, `${l.optionName} loads it without refile:`)),
        fixes: [
          fix(`Write ${domain}`, [replaceEdit(e.host.range, domain)], true),
          fix('Load the list with refile:', plainLoads.map(refileEdit)),
        ],
      }));
  }
  return out;
}
