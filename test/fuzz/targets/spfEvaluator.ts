// Fuzz target for check_host() (RFC 7208) over a random in-memory DNS: records that include
// and redirect to each other (loops), CNAME loops, MX and PTR fan-out, timeouts. The
// evaluation must end with one of the seven results, within the RFC's lookup limits,
// after a bounded number of queries, and give the same answer twice.

import fc from 'fast-check';
import { checkHost, checkMailFrom } from '../../../server/src/core/records/spf/evaluate';
import { MemoryResolver } from '../../../server/src/core/dns/memoryResolver';
import { countLookupsSync } from '../../../server/src/core/records/spf/lookups';
import { target } from '../harness';
import { DOMAINS, resolverArb } from './randomDns';

const RESULTS = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror']);

/**
 * The most queries one evaluation may make: 10 lookup terms, each an MX with 10 names
 * (11 queries), the record fetches, the 10 PTR names with their addresses, exp=.
 */
const MAX_QUERIES = 400;

export const spfEvaluatorTarget = target({
  name: 'SPF check_host() over a random DNS',
  arbitrary: fc.record({
    zone: resolverArb(),
    ip: fc.constantFrom('192.0.2.1', '198.51.100.7', '203.0.113.9', '2001:db8::1', '::ffff:192.0.2.1', 'not-an-ip', '::'),
    domain: fc.constantFrom(...DOMAINS, 'nx.example', '', '.', 'a..b', 'x'.repeat(70) + '.example', 'd0.example.'),
    local: fc.constantFrom('user', '', 'a.b+c', '%{s}', 'x'.repeat(300)),
    helo: fc.constantFrom('mail.d0.example', '', 'd1.example'),
  }),
  property: async ({ zone, ip, domain, local, helo }) => {
    const resolver = new MemoryResolver(zone);
    const input = { ip, domain, sender: `${local}@${domain}`, helo, receiver: 'mx.receiver.example', timestamp: 1_700_000_000 };
    const first = await checkHost(resolver, input);
    if (!RESULTS.has(first.result)) throw new Error(`result ${first.result}`);
    if (typeof first.reason !== 'string' || first.reason.length === 0) throw new Error('no reason');
    if (first.lookups > 11) throw new Error(`${first.lookups} lookups: the limit of 10 was not enforced`);
    if (first.voidLookups > 3) throw new Error(`${first.voidLookups} void lookups: the limit of 2 was not enforced`);
    if (resolver.queries.length > MAX_QUERIES) throw new Error(`${resolver.queries.length} DNS queries for one evaluation`);
    const again = await checkHost(new MemoryResolver(zone), input);
    if (again.result !== first.result || again.reason !== first.reason) throw new Error(`not deterministic: ${first.result} then ${again.result}`);
    const mailFrom = await checkMailFrom(resolver, { ip, mailFrom: `<${local}@${domain}>`, helo });
    if (!RESULTS.has(mailFrom.result)) throw new Error(`MAIL FROM result ${mailFrom.result}`);
    // The static lookup counter walks the same records without the client's address.
    const count = countLookupsSync(domain || 'd0.example', resolver.sync);
    if (!(count.total >= 0 && count.total <= 100)) throw new Error(`lookup count ${count.total}`);
  },
  ciRuns: 600,
});
