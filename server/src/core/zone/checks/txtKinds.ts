// Which mail policy a TXT record holds, by its owner name and its content: SPF (`v=spf1` at
// any name), a DKIM key (`<selector>._domainkey.<domain>`, or a value starting `v=DKIM1`),
// DMARC (`_dmarc.`), MTA-STS (`_mta-sts.`), TLS-RPT (`_smtp._tls.`). The owner decides
// where it names a policy location; the content decides elsewhere.

import { isDkimText } from '../../records/dkim/index';
import { isDmarcText } from '../../records/dmarc/index';
import { isMtaStsText } from '../../records/mtasts/index';
import { isTlsRptText } from '../../records/tlsrpt/index';
import { looksLikeSpf } from '../../records/spf/index';

export type TxtKind = 'spf' | 'dkim' | 'dmarc' | 'mta-sts' | 'tlsrpt';

/** The labels of an owner name, lower-cased, without the final dot. */
export function labelsOf(owner: string): string[] {
  const o = owner.endsWith('.') ? owner.slice(0, -1) : owner;
  return o === '' ? [] : o.toLowerCase().split('.');
}


/** True when the (lower-case) name starts with the label(s) `prefix` (`_dmarc`, `_smtp._tls`). */
function startsWithLabels(name: string, prefix: string): boolean {
  return name.startsWith(prefix) && (name.length === prefix.length || name.charCodeAt(prefix.length) === 46);
}

/** The policy a TXT record holds, or undefined for any other TXT (site verifications …). */
export function classifyTxt(owner: string, value: string): TxtKind | undefined {
  // Cheap on the keystroke path: the label tests work on the name itself (lower-cased once).
  const name = /[A-Z]/.test(owner) ? owner.toLowerCase() : owner;
  if (startsWithLabels(name, '_dmarc')) return 'dmarc';
  // `v=spf1` glued to the next word (`v=spf1amx…`) is a broken SPF record, not "no record".
  if (looksLikeSpf(value)) return 'spf';
  if (startsWithLabels(name, '_mta-sts')) return 'mta-sts';
  if (startsWithLabels(name, '_smtp._tls')) return 'tlsrpt';
  // `_adsp._domainkey` (ADSP, historic) and the bare `_domainkey` (DomainKeys policy) are not keys.
  const dk = name.indexOf('._domainkey');
  if (dk > 0 && (name.length === dk + 11 || name.charCodeAt(dk + 11) === 46) && !startsWithLabels(name, '_adsp')) return 'dkim';
  if (isDkimText(value)) return 'dkim';
  if (isDmarcText(value)) return 'dmarc';
  if (isMtaStsText(value)) return 'mta-sts';
  if (isTlsRptText(value)) return 'tlsrpt';
  return undefined;
}
