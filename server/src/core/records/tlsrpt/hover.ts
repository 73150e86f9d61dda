// Hover texts for the TLS-RPT record (RFC 8460 §3), in our own words.

const TLS_RPT_TAG_HOVERS: Record<string, string> = {
  v: '**`v=` — version.** Must open the record, exactly `TLSRPTv1`, with no blanks around `=`.',
  rua: [
    '**`rua=` — where TLS reports go**: `mailto:` addresses or `https:` URLs, separated by `,`.',
    'Sending servers report once a day how many TLS connections to your MX hosts succeeded or failed (and why: certificate, MTA-STS or DANE problems).',
  ].join('\n\n'),
};

/** Markdown explaining a TLS-RPT record tag; undefined for an extension field. */
export function tlsRptTagHover(tag: string): string | undefined {
  return TLS_RPT_TAG_HOVERS[tag];
}
