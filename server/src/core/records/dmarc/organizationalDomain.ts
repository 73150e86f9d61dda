// DMARC's "Organizational Domain" (RFC 7489 §3.2) needs the Public Suffix List, which the
// core does not carry. This guess covers the common shapes: the last two labels, or the
// last three under a two-letter country code with a generic second level (`co.uk`,
// `com.au`, `ne.jp`). Used only to decide whether a report address is "another
// organisation" — wrong guesses cost an information finding, nothing more.

const GENERIC_SECOND_LEVEL = new Set([
  'ac', 'co', 'com', 'edu', 'gov', 'go', 'gob', 'gv', 'ltd', 'me', 'mil', 'ne', 'net', 'nic', 'nom', 'or', 'org', 'plc', 'sch',
]);

/** The registrable domain of `name`, guessed without the Public Suffix List. */
export function organizationalDomainGuess(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.').filter((l) => l !== '');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take = tld.length === 2 && GENERIC_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** True when two names (probably) belong to the same organisation. */
export function sameOrganization(a: string, b: string): boolean {
  return organizationalDomainGuess(a) === organizationalDomainGuess(b);
}
