// A random DNS for the SPF evaluator and lookup counter: a few domains whose SPF records
// point at each other (includes, redirects, loops), addresses, MX, PTR, CNAMEs (loops
// too) and failures, as MemoryResolver entries.

import fc from 'fast-check';
import type { MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { recordValueArb } from './recordValues';

export const DOMAINS = ['d0.example', 'd1.example', 'd2.example', 'd3.example', 'd4.example', 'cname.example'];

export const spfTermArb = fc.oneof(
  fc.constantFrom('-all', '~all', '?all', '+all', 'a', 'mx', 'ptr', 'ip4:192.0.2.0/24', 'ip6:2001:db8::/32', 'ip4:198.51.100.7', 'exp=exp.d1.example', 'a/24', 'mx//64', 'exists:%{i}.d2.example', 'include:%{d2}', 'ptr:d0.example'),
  fc.tuple(fc.constantFrom('include:', 'redirect=', 'a:', 'mx:', 'exists:', 'ptr:'), fc.constantFrom(...DOMAINS, 'nx.example', '%{o}', '%{d}', '%{h}', '%{l}.d3.example')).map(([m, d]) => m + d),
);

export function resolverArb(): fc.Arbitrary<Array<[string, MemoryRecord[]]>> {
  const spf = fc.array(fc.oneof({ weight: 2, arbitrary: spfTermArb }, { weight: 1, arbitrary: includeArb }), { maxLength: 8 })
    .map((terms) => ({ type: 'TXT' as const, strings: [['v=spf1', ...terms].join(' ')] }));
  const record: fc.Arbitrary<MemoryRecord> = fc.oneof(
    { weight: 1, arbitrary: recordValueArb.map((v) => ({ type: 'TXT' as const, strings: [v] })) },
    { weight: 3, arbitrary: fc.constantFrom('192.0.2.1', '198.51.100.7', '203.0.113.9', 'bogus').map((value) => ({ type: 'A' as const, value })) },
    { weight: 1, arbitrary: fc.constantFrom('2001:db8::1', '::ffff:192.0.2.1').map((value) => ({ type: 'AAAA' as const, value })) },
    { weight: 2, arbitrary: fc.record({ preference: fc.nat(20), exchange: fc.constantFrom(...DOMAINS, 'nx.example') }).map((m) => ({ type: 'MX' as const, ...m })) },
    { weight: 1, arbitrary: fc.constantFrom(...DOMAINS).map((value) => ({ type: 'CNAME' as const, value })) },
    { weight: 1, arbitrary: fc.constantFrom(...DOMAINS).map((value) => ({ type: 'PTR' as const, value })) },
    { weight: 1, arbitrary: fc.constantFrom('TIMEOUT' as const, 'SERVFAIL' as const).map((type) => ({ type })) },
  );
  // Most domains publish one SPF record (sometimes two, sometimes none) and a few other records.
  const spfs = fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 8, arbitrary: spf.map((r) => [r]) }, { weight: 1, arbitrary: fc.tuple(spf, spf) });
  const domain = fc.tuple(spfs, fc.array(record, { maxLength: 3 }), fc.boolean())
    .map(([spfs, others, spfFirst]) => (spfFirst ? [...spfs, ...others] : [...others, ...spfs]));
  const extra = fc.array(fc.tuple(fc.constantFrom('1.2.0.192.in-addr.arpa', '7.100.51.198.in-addr.arpa', 'exp.d1.example', '1.2.0.192.d2.example'), fc.array(record, { maxLength: 3 })), { maxLength: 4 });
  return fc.tuple(fc.tuple(...DOMAINS.map(() => domain)), extra).map(([lists, more]) => [
    ...DOMAINS.map((d, i): [string, MemoryRecord[]] => [d, lists[i]]),
    ...more,
  ]);
}

/** include: and redirect= between the random domains: chains and loops. */
const includeArb = fc.tuple(fc.constantFrom('include:', 'include:', 'redirect=', '?include:'), fc.constantFrom(...DOMAINS)).map(([m, d]) => m + d);
