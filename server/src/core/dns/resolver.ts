// The resolver interface the SPF evaluator and the DNS checks query. Unit tests use an
// in-memory implementation (memoryResolver.ts); the live one (node:dns, a later issue)
// implements the same interface. Results tell the outcomes apart, because SPF does:
// NXDOMAIN and NODATA are "void lookups", SERVFAIL and timeouts are temperror.

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME' | 'NS' | 'SPF';

export interface MxAnswer {
  preference: number;
  exchange: string;
}

export type DnsAnswer<T> =
  | { status: 'ok'; records: T[]; ttl?: number }
  | { status: 'nxdomain' }
  | { status: 'nodata' }
  | { status: 'servfail'; detail?: string }
  | { status: 'timeout' };

export interface Resolver {
  /** A/AAAA: addresses as text. */
  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>>;
  mx(name: string): Promise<DnsAnswer<MxAnswer>>;
  /** TXT: each record as its character-strings (not joined). */
  txt(name: string): Promise<DnsAnswer<string[]>>;
  /** PTR for a reverse name (x.x.x.x.in-addr.arpa / nibbles.ip6.arpa). */
  ptr(name: string): Promise<DnsAnswer<string>>;
}
