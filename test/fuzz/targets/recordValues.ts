// Record values to fuzz with: every TXT value of the corpus and sample zones, typical
// records, soups of each syntax's words, and any text at all.

import fc from 'fast-check';
import { parseZoneTree } from '../../../server/src/core/zone/parser';
import { txtValue } from '../../../server/src/core/zone/strings';
import { ZoneRecord } from '../../../server/src/core/zone/tree';
import { anyText, applyMutation, mutationArb, seedsOf, soup } from '../harness';


let recordSeedCache: string[] | undefined;

export function recordSeeds(): string[] {
  if (recordSeedCache) return recordSeedCache;
  const values = new Set<string>([
    'v=spf1 mx a:mail.example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net ~all',
    'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} redirect=_spf.example.org exp=explain.%{d2}',
    'v=DKIM1; k=rsa; h=sha256; t=y:s; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu3Xn',
    'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
    'v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:dmarc@example.org!10m; ruf=mailto:f@example.org; fo=1:d:s; adkim=s; aspf=r; ri=86400',
    'v=STSv1; id=20240101T000000;',
    'v=TLSRPTv1; rua=mailto:tls@example.org,https://report.example.org/tls',
  ]);
  for (const zone of seedsOf('dns-zone')) {
    for (const entry of parseZoneTree(zone).entries) {
      if (entry instanceof ZoneRecord) {
        const v = txtValue(entry);
        if (v) values.add(v);
      }
    }
  }
  recordSeedCache = [...values].sort();
  return recordSeedCache;
}

export const SPF_WORDS = [
  'v=spf1', ' ', ' ', '  ', 'v=spf1 ', '+', '-', '~', '?', 'all', 'include:', 'a', 'mx', 'ptr', 'exists:', 'ip4:', 'ip6:',
  'redirect=', 'exp=', 'ra=', 'example.org', '_spf.example.net', '.', '..', '192.0.2.1', '10.0.0.0', '/24', '/33', '//64',
  '/0', '::1', '2001:db8::', ':', '%{', 'i', 'ir', 'd2', 'l1r+-', 's', 'o', 'h', 'p', 'v', 'c', 'r', 't', '}', '%%', '%_',
  '%-', '%', '=', 'x', '\t', '"', '\\', 'v=spf10', 'SPF', ';',
];
export const TAG_WORDS = [
  'v=DKIM1', 'v=DMARC1', 'v=STSv1', 'v=TLSRPTv1', ';', '; ', ' ', '=', 'k=', 'rsa', 'ed25519', 'p=', 'h=', 'sha256', 'sha1',
  't=', 'y', 's', ':', 'n=', 'g=', 'sp=', 'pct=', '100', '-1', 'rua=', 'ruf=', 'mailto:', 'https://', 'a@example.org',
  '!10m', '!', ',', 'fo=', '0', '1', 'd', 'adkim=', 'aspf=', 'ri=', 'id=', '20240101', 'none', 'reject', 'quarantine',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'AQAB', '==', '+/', '\r\n ', '\r\n', '\\', '"', '\u0000', 'é',
];

export const OWNERS = [
  undefined, 'example.org', '_dmarc.example.org', 'sel._domainkey.example.org', '_mta-sts.example.org',
  '_smtp._tls.example.org', 'example.org._report._dmarc.example.net', '_dmarc', '', '.', '*.example.org',
];

/** A record value: a mutated seed, a soup of record words, or any text at all. */
export const recordValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ seed: fc.nat(), mutations: fc.array(mutationArb, { maxLength: 5 }) }).map(({ seed, mutations }) => {
    const seeds = recordSeeds();
    let v = seeds[seed % seeds.length];
    for (const m of mutations) v = applyMutation(v, m);
    return v;
  }) },
  { weight: 2, arbitrary: soup(SPF_WORDS, 40) },
  { weight: 2, arbitrary: soup(TAG_WORDS, 40) },
  { weight: 1, arbitrary: anyText },
);

