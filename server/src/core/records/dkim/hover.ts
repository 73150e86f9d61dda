// Hover texts for the tags of a DKIM key record, in our own words (facts from RFC 6376
// §3.6.1, RFC 8463 and RFC 8301).

const DKIM_TAG_HOVERS: Record<string, string> = {
  v: [
    '**`v=` — version** of the DKIM key record.',
    'Optional; when present it must be the first tag and exactly `DKIM1`. A record with any other version is thrown away by verifiers.',
  ].join('\n\n'),
  k: [
    '**`k=` — key type.**',
    '`rsa` (the default when `k=` is absent) or `ed25519` (RFC 8463). Must match the key in `p=` and the algorithm the signer uses (`a=rsa-sha256` or `a=ed25519-sha256` in the signature). Written in lower case.',
  ].join('\n\n'),
  p: [
    '**`p=` — the public key**, in base64.',
    'RSA: the DER SubjectPublicKeyInfo (base64 usually starting `MIIBIjAN` for 2048 bits, `MIGfMA0G` for 1024). Ed25519: the bare 32-byte key (44 base64 characters).',
    'Blanks inside the value are allowed, so a long key may be split over several quoted strings. An empty `p=` means the key is revoked.',
    'At least 1024 bits for RSA (RFC 8301); 2048 is the usual size.',
  ].join('\n\n'),
  h: [
    '**`h=` — hash algorithms** this key may be used with, separated by `:`.',
    '`sha256`, or the obsolete `sha1` (RFC 8301 forbids rsa-sha1). Absent means all algorithms; there is rarely a reason to set it.',
  ].join('\n\n'),
  s: [
    '**`s=` — service types** the key may be used for, separated by `:`.',
    '`email`, `*` (all, the default) or `tlsrpt` (TLS reports, RFC 8460). A key without `email` or `*` cannot sign ordinary mail.',
  ].join('\n\n'),
  t: [
    '**`t=` — flags**, separated by `:`.',
    '`y`: the domain is testing DKIM; receivers treat its mail like unsigned mail when a signature fails. Remove it once signing works.',
    '`s`: the `i=` identity of a signature must use exactly the `d=` domain, not a subdomain of it.',
  ].join('\n\n'),
  n: [
    '**`n=` — notes** for humans reading the record.',
    'Verifiers ignore it. Keep it short: it is sent with every key lookup.',
  ].join('\n\n'),
};

/** Markdown explaining a DKIM key record tag; undefined for a tag DKIM does not define. */
export function dkimTagHover(tag: string): string | undefined {
  return DKIM_TAG_HOVERS[tag];
}
