// Hover texts for the MTA-STS TXT record (RFC 8461 §3.1), in our own words.

const MTA_STS_TAG_HOVERS: Record<string, string> = {
  v: '**`v=` — version.** Must open the record, exactly `STSv1`, with no blanks around `=`.',
  id: [
    '**`id=` — policy identifier**: 1 to 32 letters and digits.',
    'Senders cache the policy file (`https://mta-sts.<domain>/.well-known/mta-sts.txt`) and fetch it again only when this value changes, so change it with every edit of the policy, for example to the date and time: `id=20240601T1200`.',
  ].join('\n\n'),
};

/** Markdown explaining an MTA-STS record tag; undefined for an extension field. */
export function mtaStsTagHover(tag: string): string | undefined {
  return MTA_STS_TAG_HOVERS[tag];
}
