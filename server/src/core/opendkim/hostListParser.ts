// Host lists (TrustedHosts, InternalHosts, ExternalIgnoreList, PeerList, ExemptDomains):
// one entry per line, the first word only. OpenDKIM matches them as text (util.c,
// dkimf_checkhost/dkimf_checkip, case-insensitively): the client's host name and each
// `.parent` domain of it; its address printed as OpenDKIM prints it, with or without
// brackets; and that address masked to every prefix length with `/len` appended. A `!`
// in front excludes. So an entry only works when written in exactly those forms.

import type { ParseResult } from '../language';
import type { HostEntryKind, HostListEntry, HostListTree } from './tree';
import { FindingList, hasTemplatePlaceholder, replaceFix, tokenOf } from './scan';
import type { SpanMapper } from './scan';
import type { TableLine } from './tableLines';
import { scanTable } from './tableLines';
import { formatIPv4, formatIPv6, maskParts, parseIPv4, parseIPv6 } from './ipAddress';

export function parseHostList(text: string): ParseResult<HostListTree> {
  const out = new FindingList();
  const entries: HostListEntry[] = [];
  const scanned = scanTable(text, out, (tl) => entries.push(hostEntry(tl, out)));
  return {
    tree: { kind: 'opendkim-hostlist', entries, comments: scanned.comments, lineCount: scanned.lineCount },
    findings: out.items,
  };
}

function hostEntry(tl: TableLine, out: FindingList): HostListEntry {
  const { text: t, map } = tl;
  const entry = newEntry(t, tl.keyStart, tl.keyEnd, tl.line, map);
  if (tl.valueStart >= 0) entry.extra = tokenOf(t, tl.valueStart, tl.valueEnd, map);
  if (tl.hasTemplate) {
    entry.kind = 'template';
    return entry;
  }
  if (entry.extra) {
    out.warning(entry.extra.range, 'opendkim/table-extra-field',
      `OpenDKIM uses only the first word of a host-list line, so "${entry.extra.text}" is ignored. Put each host or network on its own line.`);
  }
  if (tl.hasNbsp || tl.hasTypographicQuotes) {
    entry.kind = 'invalid';
    return entry;
  }
  classify(t, entry.negated ? tl.keyStart + 1 : tl.keyStart, tl.keyEnd, entry, map, out);
  return entry;
}

/**
 * One host-list entry written elsewhere, such as an item of `InternalHosts 10.0.0.0/8, ::1`
 * in opendkim.conf: text[s, e) on `line`. Problems go to `out` when given.
 */
export function parseHostEntry(text: string, s: number, e: number, line: number, map: SpanMapper, out?: FindingList): HostListEntry {
  const entry = newEntry(text, s, e, line, map);
  if (hasTemplatePlaceholder(entry.text)) {
    entry.kind = 'template';
    return entry;
  }
  classify(text, entry.negated ? s + 1 : s, e, entry, map, out ?? new FindingList());
  return entry;
}

function newEntry(t: string, s: number, e: number, line: number, map: SpanMapper): HostListEntry {
  const negated = t.charCodeAt(s) === 33; /* ! */
  return {
    line,
    range: map(s, e),
    text: t.slice(s, e),
    negated,
    kind: 'hostname',
    host: tokenOf(t, negated ? s + 1 : s, e, map),
    bracketed: false,
  };
}

/** Splits brackets and `/len`, classifies the entry and checks addresses. */
function classify(t: string, bodyStart: number, e: number, entry: HostListEntry, map: SpanMapper, out: FindingList): void {
  let hs = bodyStart;
  let he = e;
  let slash = -1;
  if (t.charCodeAt(bodyStart) === 91 /* [ */) {
    const close = t.indexOf(']', bodyStart);
    if (close < 0 || close >= e) {
      return bad(entry, map(bodyStart, e), out, `"${entry.text}" opens "[" but never closes it.`);
    }
    entry.bracketed = true;
    hs = bodyStart + 1;
    he = close;
    if (close + 1 < e) {
      if (t.charCodeAt(close + 1) !== 47 /* / */) {
        return bad(entry, map(close + 1, e), out, `Only "/prefix-length" may follow "]" in "${entry.text}".`);
      }
      slash = close + 1;
    }
  } else {
    const k = t.indexOf('/', bodyStart);
    if (k >= 0 && k < e) {
      slash = k;
      he = k;
    }
  }
  entry.host = tokenOf(t, hs, he, map);
  const host = entry.host.text;

  let addrKind: 'ipv4' | 'ipv6' | undefined;
  if (host.includes(':')) addrKind = 'ipv6';
  else if (host !== '' && /^[0-9.]+$/.test(host)) addrKind = 'ipv4';

  if (!addrKind) {
    if (entry.bracketed || slash >= 0) {
      return bad(entry, host === '' ? map(bodyStart, e) : entry.host.range, out,
        `"${host}" is not an IP address, so "${entry.text}" can never match: brackets and "/prefix-length" belong to addresses only.`);
    }
    classifyName(host, entry, out);
    return;
  }

  entry.kind = addrKind;
  const parts = addrKind === 'ipv4' ? parseIPv4(host) : parseIPv6(host);
  if (!parts) {
    return bad(entry, entry.host.range, out, addrKind === 'ipv4'
      ? `"${host}" is not an IPv4 address: it needs four numbers from 0 to 255 separated by dots (for example 192.0.2.1).`
      : `"${host}" is not a valid IPv6 address.`);
  }
  const maxBits = addrKind === 'ipv4' ? 32 : 128;
  let bits = maxBits;
  if (slash >= 0) {
    const lenText = t.slice(slash + 1, e);
    entry.prefixLength = tokenOf(t, slash + 1, e, map);
    if (!/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > maxBits) {
      const netmask = addrKind === 'ipv4' && parseIPv4(lenText) !== undefined;
      return bad(entry, map(slash, e), out, netmask
        ? `OpenDKIM understands networks only as address/prefix-length; a netmask such as "/${lenText}" never matches. Write the prefix length instead (for example /24 for 255.255.255.0).`
        : `"/${lenText}" is not a prefix length: an ${addrKind === 'ipv4' ? 'IPv4' : 'IPv6'} network needs a number from 0 to ${maxBits}.`);
    }
    bits = Number(lenText);
    entry.prefixBits = bits;
  }

  // The text OpenDKIM looks up for a client in this network.
  const width = addrKind === 'ipv4' ? 8 : 16;
  const masked = maskParts(parts, width, bits);
  const canonicalHost = addrKind === 'ipv4' ? formatIPv4(masked) : formatIPv6(masked);
  const canonicalLen = slash >= 0 ? String(bits) : '';
  const hostBitsSet = masked.some((p, i) => p !== parts[i]);
  const rewritten = `${entry.negated ? '!' : ''}${entry.bracketed ? `[${canonicalHost}]` : canonicalHost}${slash >= 0 ? `/${canonicalLen}` : ''}`;
  if (hostBitsSet) {
    out.warning(entry.host.range, 'opendkim/hostlist-host-bits',
      `"${entry.text}" has host bits set after the first ${bits}. OpenDKIM looks clients up by the network address, ${canonicalHost}/${bits}, so this entry never matches. Write ${rewritten}.`,
      [replaceFix(`Write ${rewritten}`, entry.range, rewritten)]);
  } else if (host.toLowerCase() !== canonicalHost || (slash >= 0 && entry.prefixLength?.text !== canonicalLen)) {
    out.warning(entry.range, 'opendkim/hostlist-noncanonical-address',
      `OpenDKIM compares addresses as text and prints this one as ${canonicalHost}${slash >= 0 ? `/${canonicalLen}` : ''}, so "${entry.text}" never matches. Write ${rewritten}.`,
      [replaceFix(`Write ${rewritten}`, entry.range, rewritten)]);
  }
}

/** Host and domain names: `host.example.com`, `.example.com`, `*.example.com` (refile only). */
function classifyName(host: string, entry: HostListEntry, out: FindingList): void {
  let kind: HostEntryKind = 'hostname';
  if (host.includes('*')) kind = 'wildcard';
  else if (host.startsWith('.')) kind = 'domain';
  entry.kind = kind;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
      || c === 45 || c === 46 || c === 95 || c === 42; /* - . _ * */
    if (!ok) {
      entry.kind = 'invalid';
      const ch = host[i];
      const why = c > 127
        ? `non-ASCII "${ch}": the MTA reports host names in ASCII, so write the name in its punycode (xn--) form`
        : ch === ','
          ? 'a ",": lists in a file have one entry per line, not commas'
          : `"${ch}", which no host name contains`;
      out.warning(entry.host.range, 'opendkim/hostlist-bad-entry',
        `"${host}" is neither a host name nor an address (it has ${why}), so it never matches.`);
      return;
    }
  }
}

function bad(entry: HostListEntry, r: HostListEntry['range'], out: FindingList, message: string): void {
  entry.kind = 'invalid';
  out.error(r, 'opendkim/hostlist-bad-address', `${message} OpenDKIM treats the entry as plain text that no client matches.`);
}
