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


/** The policy a TXT record holds, or undefined for any other TXT (site verifications …). */
export function classifyTxt(owner: string, value: string): TxtKind | undefined {
  const labels = labelsOf(owner);
  const first = labels[0];
  if (first === '_dmarc') return 'dmarc';
  // `v=spf1` glued to the next word (`v=spf1amx…`) is a broken SPF record, not "no record".
  if (looksLikeSpf(value)) return 'spf';
  if (first === '_mta-sts') return 'mta-sts';
  if (first === '_smtp' && labels[1] === '_tls') return 'tlsrpt';
  // `_adsp._domainkey` (ADSP, historic) and the bare `_domainkey` (DomainKeys policy) are not keys.
  const dk = labels.indexOf('_domainkey');
  if (dk > 0 && first !== '_adsp') return 'dkim';
  if (isDkimText(value)) return 'dkim';
  if (isDmarcText(value)) return 'dmarc';
  if (isMtaStsText(value)) return 'mta-sts';
  if (isTlsRptText(value)) return 'tlsrpt';
  return undefined;
}
