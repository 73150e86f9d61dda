// KeyTable and SigningTable as flat files. KeyTable: `keyname domain:selector:key`, where
// OpenDKIM splits the value at the first two colons (the key keeps any further colons) and
// rejects an entry with an empty field ("KeyTable entry corrupt"). SigningTable:
// `pattern keyname[:signer]`. How patterns match depends on how opendkim.conf loads the
// table (refile: or not), so the tree records each pattern's shape for the cross-file checks.

import type { ParseResult } from '../language';
import type {
  KeyTableEntry, KeyTableTree, SigningPatternKind, SigningTableEntry, SigningTableTree, Token,
} from './tree';
import { FindingList, hasTemplatePlaceholder, isCSpace, tokenOf } from './scan';
import type { TableLine } from './tableLines';
import { scanTable } from './tableLines';

// ---------------------------------------------------------------- KeyTable

export function parseKeyTable(text: string): ParseResult<KeyTableTree> {
  const out = new FindingList();
  const entries: KeyTableEntry[] = [];
  const scanned = scanTable(text, out, (tl) => entries.push(keyTableEntry(tl, out)));
  return {
    tree: { kind: 'opendkim-keytable', entries, comments: scanned.comments, lineCount: scanned.lineCount },
    findings: out.items,
  };
}

function keyTableEntry(tl: TableLine, out: FindingList): KeyTableEntry {
  const { text: t, map } = tl;
  const name = tokenOf(t, tl.keyStart, tl.keyEnd, map);
  const entry: KeyTableEntry = { line: tl.line, name, range: map(tl.keyStart, tl.valueStart >= 0 ? tl.valueEnd : tl.keyEnd) };
  if (tl.valueStart < 0) {
    if (tl.hasNbsp) return entry; // "name\u00a0value": the non-breaking space is the real problem
    out.error(name.range, 'opendkim/keytable-bad-key-spec',
      `The key "${name.text}" has no domain:selector:keyfile after it. OpenDKIM finds the entry but cannot sign with it ("KeyTable entry corrupt"). Add the value, for example ${name.text} example.com:default:/etc/opendkim/keys/example.com/default.private.`);
    return entry;
  }
  const vs = tl.valueStart;
  const ve = tl.valueEnd;
  entry.value = tokenOf(t, vs, ve, map);
  // A character finding already explains the line, or a template placeholder will fill it in.
  const quiet = tl.hasNbsp || tl.hasTypographicQuotes || tl.hasTemplate;

  const c1 = t.indexOf(':', vs);
  const c2 = c1 >= 0 && c1 < ve ? t.indexOf(':', c1 + 1) : -1;
  if (c1 < 0 || c1 >= ve || c2 < 0 || c2 >= ve) {
    const fields = c1 < 0 || c1 >= ve ? 1 : 2;
    if (!quiet) {
      out.error(entry.value.range, 'opendkim/keytable-bad-key-spec',
        `A KeyTable value has three fields separated by ":": signing domain, selector and private key file (for example example.com:default:/etc/opendkim/keys/example.com/default.private). "${entry.value.text}" has ${fields}, so OpenDKIM cannot sign with "${name.text}" ("KeyTable entry corrupt").`);
    }
    if (fields === 2) {
      entry.domain = tokenOf(t, vs, c1, map);
      entry.selector = tokenOf(t, c1 + 1, ve, map);
    } else {
      entry.domain = tokenOf(t, vs, ve, map);
    }
    return entry;
  }

  entry.domain = tokenOf(t, vs, c1, map);
  entry.selector = tokenOf(t, c1 + 1, c2, map);
  entry.key = tokenOf(t, c2 + 1, ve, map);
  const k = entry.key.text;
  entry.keyKind = k.startsWith('/') || k.startsWith('./') || k.startsWith('../') ? 'path' : 'data';
  if (quiet) return entry;

  const fields: Array<[Token, string, number, number]> = [
    // token, label, and the span to underline when the field is empty (its colon or colons)
    [entry.domain, 'signing domain', c1, c1 + 1],
    [entry.selector, 'selector', c1, c2 + 1],
    [entry.key, 'private key', c2, c2 + 1],
  ];
  for (const [field, label, es, ee] of fields) {
    if (field.text === '') {
      out.error(map(es, ee), 'opendkim/keytable-bad-key-spec',
        `The ${label} field of "${name.text}" is empty. OpenDKIM rejects such an entry ("KeyTable entry corrupt"); the value must read domain:selector:keyfile.`);
      return entry;
    }
    if (firstBlank(field) >= 0 && (field !== entry.key || firstBlank(field) === 0)) {
      out.error(field.range, 'opendkim/keytable-bad-key-spec',
        `The ${label} "${field.text}" contains a blank, which OpenDKIM keeps as part of the field, so signing with "${name.text}" fails or produces signatures nobody can verify. Remove the blank.`);
      return entry;
    }
  }

  const blank = firstBlank(entry.key);
  if (blank >= 0 && !tl.hasTemplate) {
    const r = map(c2 + 1 + blank, ve);
    out.warning(r, 'opendkim/table-extra-field',
      `OpenDKIM reads everything after the selector as the key, so the key file name here is "${k}", blanks included. Remove "${k.slice(blank).trim()}" (one entry per line) unless the file name really contains a blank.`);
  } else if (entry.keyKind === 'data' && looksLikeRelativePath(k)) {
    out.warning(entry.key.range, 'opendkim/keytable-relative-key-path',
      `"${k}" does not start with "/", "./" or "../", so OpenDKIM does not read it as a file name: it takes the text itself as the private key (PEM or base64), which fails. Write the absolute path of the key file.`);
  }
  return entry;
}

function firstBlank(tok: Token): number {
  for (let i = 0; i < tok.text.length; i++) if (isCSpace(tok.text.charCodeAt(i))) return i;
  return -1;
}

/** A key file name rather than inline key data: has a dot or slash and is not base64/PEM. */
function looksLikeRelativePath(k: string): boolean {
  if (k.startsWith('-----BEGIN') || hasTemplatePlaceholder(k) || k === '%') return false;
  if (/^[A-Za-z0-9+/=]{64,}$/.test(k)) return false; // base64 DER key
  return k.includes('/') || k.includes('.');
}

// ---------------------------------------------------------------- SigningTable

export function parseSigningTable(text: string): ParseResult<SigningTableTree> {
  const out = new FindingList();
  const entries: SigningTableEntry[] = [];
  const scanned = scanTable(text, out, (tl) => entries.push(signingTableEntry(tl, out)));
  return {
    tree: { kind: 'opendkim-signingtable', entries, comments: scanned.comments, lineCount: scanned.lineCount },
    findings: out.items,
  };
}

function signingTableEntry(tl: TableLine, out: FindingList): SigningTableEntry {
  const { text: t, map } = tl;
  const pattern = tokenOf(t, tl.keyStart, tl.keyEnd, map);
  const entry: SigningTableEntry = {
    line: tl.line,
    range: map(tl.keyStart, tl.valueStart >= 0 ? tl.valueEnd : tl.keyEnd),
    pattern,
    patternKind: signingPatternKind(pattern.text),
  };
  if (tl.valueStart < 0) {
    if (tl.hasNbsp) return entry; // "pattern\u00a0key": the non-breaking space is the real problem
    out.error(pattern.range, 'opendkim/signingtable-missing-key-name',
      `"${pattern.text}" has no key name after it. Each SigningTable line names the KeyTable entry to sign with (for example ${pattern.text} default._domainkey.example.com). Without one OpenDKIM cannot sign for matching senders; with a plain-file SigningTable it refuses to start ("could not find valid key record").`);
    return entry;
  }
  const vs = tl.valueStart;
  const ve = tl.valueEnd;
  entry.value = tokenOf(t, vs, ve, map);
  const colon = t.indexOf(':', vs);
  const keyEnd = colon >= 0 && colon < ve ? colon : ve;
  entry.keyName = tokenOf(t, vs, keyEnd, map);
  if (keyEnd < ve) entry.signer = tokenOf(t, keyEnd + 1, ve, map);
  if (tl.hasNbsp || tl.hasTypographicQuotes) return entry;

  if (entry.keyName.text === '') {
    out.error(map(vs, vs + 1), 'opendkim/signingtable-missing-key-name',
      `The value starts with ":", so the key name is empty. Write the KeyTable entry name before the ":" (the part after it is the optional signer identity).`);
    return entry;
  }
  const blank = firstBlank(entry.keyName);
  if (blank >= 0 && !tl.hasTemplate) {
    const extra = entry.keyName.text.slice(blank).trim();
    out.warning(map(vs + blank, keyEnd), 'opendkim/table-extra-field',
      `OpenDKIM reads everything after the pattern as the key name, so it looks for a KeyTable entry called "${entry.keyName.text}", which cannot exist (KeyTable names have no blanks). Remove "${extra}", or put it on its own line.`);
  }
  return entry;
}

/** Which of OpenDKIM's lookup forms a SigningTable key has (see SigningPatternKind). */
export function signingPatternKind(p: string): SigningPatternKind {
  if (hasTemplatePlaceholder(p)) return 'template';
  if (p === '*') return 'any';
  const at = p.indexOf('@');
  const star = p.indexOf('*');
  if (star >= 0) {
    return at >= 0 && p.slice(at + 1) === '*' && star === at + 1 ? 'user-any-domain' : 'glob';
  }
  if (at >= 0) return p.charCodeAt(at + 1) === 46 /* . */ ? 'address-subdomains' : 'address';
  return p.startsWith('.') ? 'subdomains' : 'domain';
}
