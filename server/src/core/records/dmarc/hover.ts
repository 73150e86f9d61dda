// Hover texts for the tags of a DMARC record, in our own words (facts from RFC 7489 and
// DMARCbis, RFC 9989).

const DMARC_TAG_HOVERS: Record<string, string> = {
  v: '**`v=` — version.** Must be the first tag and exactly `DMARC1`; receivers discard a TXT record at `_dmarc` that does not start with it.',
  p: [
    '**`p=` — policy** for mail from this domain that fails DMARC (neither an aligned SPF pass nor an aligned DKIM pass).',
    '`none`: deliver as usual and only report. `quarantine`: treat as suspicious (usually the spam folder). `reject`: refuse it during the SMTP dialogue.',
    'Start with `none` and a `rua=` address, read the reports, then step up.',
  ].join('\n\n'),
  sp: '**`sp=` — policy for subdomains** (`none`, `quarantine`, `reject`). Without it, subdomains get the `p=` policy.',
  np: '**`np=` — policy for non-existent subdomains** (RFC 9091, DMARCbis): mail from names that do not exist in DNS. Without it, `sp=` (or `p=`) applies. `np=reject` stops spoofing with invented subdomains.',
  psd: '**`psd=` — public suffix domain** (DMARCbis): `y` when the record is published by a public suffix operator (a TLD registry), `n` when the domain is an organisation\'s own, `u` (default) unknown. Ordinary domains leave it out.',
  t: '**`t=` — testing** (DMARCbis): `y` asks receivers not to apply the policy as written while you test (it takes the place of `pct=0`; some apply a milder treatment instead); `n` (default) applies it as written.',
  pct: '**`pct=` — percentage** of failing mail the policy applies to (0–100, default 100); the rest is treated one level milder. Removed in DMARCbis (use `t=y` instead).',
  rua: [
    '**`rua=` — where aggregate reports go**: `mailto:` addresses separated by `,`, each optionally with a size limit (`mailto:dmarc@example.org!10m`).',
    'Receivers send one XML report a day per sending source. An address in another organisation\'s domain needs that domain to publish `<your domain>._report._dmarc.<its domain> TXT "v=DMARC1"`.',
  ].join('\n\n'),
  ruf: '**`ruf=` — where failure reports go** (copies of single failing messages, often with personal data): `mailto:` addresses separated by `,`. Few receivers send them. `fo=` says when.',
  adkim: '**`adkim=` — DKIM alignment**: `r` (relaxed, default) accepts a signature whose `d=` domain shares the organisational domain with the From address; `s` (strict) needs the exact same domain.',
  aspf: '**`aspf=` — SPF alignment**: `r` (relaxed, default) accepts an envelope sender in the same organisational domain as the From address; `s` (strict) needs the exact same domain.',
  fo: '**`fo=` — when to send failure reports** (needs `ruf=`): `0` (default) when both SPF and DKIM fail to align, `1` when either fails, `d` on any DKIM failure, `s` on any SPF failure; several separated by `:`.',
  rf: '**`rf=` — failure report format**: only `afrf` (RFC 6591) is defined, the default. Removed in DMARCbis.',
  ri: '**`ri=` — aggregate report interval** in seconds (default 86400, one day); most receivers report daily whatever it says. Removed in DMARCbis.',
};

/** Markdown explaining a DMARC tag (case-insensitive); undefined for a tag DMARC does not define. */
export function dmarcTagHover(tag: string): string | undefined {
  return DMARC_TAG_HOVERS[tag.toLowerCase()];
}
