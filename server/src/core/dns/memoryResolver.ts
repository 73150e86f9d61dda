// A resolver over records held in memory: unit tests, the RFC 7208 suite's zone data, and
// any caller that already has the records (a pasted zone). Answers the way a recursive
// resolver would: names are case-insensitive with or without the final dot, a CNAME is
// followed, a name that exists only as the parent of others answers NODATA, an unknown
// name NXDOMAIN.
//
// Failures are records too: a `TIMEOUT` entry (the OpenSPF suite's convention) makes every
// query of the name whose type has no record listed above that entry time out; a typed
// `TIMEOUT`/`SERVFAIL` fails only queries of that type.

import type { DnsAnswer, MxAnswer, RecordType, Resolver } from './resolver';

export type MemoryRecord =
  | { type: 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'NS'; value: string }
  | { type: 'MX'; preference: number; exchange: string }
  /** A TXT or SPF record as its character-strings (not joined). */
  | { type: 'TXT' | 'SPF'; strings: string[] }
  /** Queries of `rrtype` (all types when absent) not answered by an entry above this one time out. */
  | { type: 'TIMEOUT'; rrtype?: RecordType }
  | { type: 'SERVFAIL'; rrtype?: RecordType };

/** The synchronous face of a resolver: what the workspace knows, without waiting. */
export interface SyncLookup {
  addresses(name: string, family: 4 | 6): DnsAnswer<string>;
  mx(name: string): DnsAnswer<MxAnswer>;
  txt(name: string): DnsAnswer<string[]>;
  ptr(name: string): DnsAnswer<string>;
}

/** Lower case without the final dot: the key every name is stored and looked up by. */
export function normalizeName(name: string): string {
  const n = name.endsWith('.') && name.length > 1 ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

const MAX_CNAME_CHAIN = 8;

export class MemoryResolver implements Resolver {
  private readonly byName = new Map<string, MemoryRecord[]>();
  /** Names that exist only because a longer name ends in them (empty non-terminals). */
  private readonly parents = new Set<string>();
  /** Every query, in order, as "TYPE name" (tests assert what was asked). */
  readonly queries: string[] = [];

  constructor(records?: Record<string, MemoryRecord[]> | Iterable<[string, MemoryRecord[]]>) {
    if (records) {
      const entries = Symbol.iterator in records ? records as Iterable<[string, MemoryRecord[]]> : Object.entries(records);
      for (const [name, list] of entries) for (const r of list) this.add(name, r);
    }
  }

  add(name: string, record: MemoryRecord): this {
    const key = normalizeName(name);
    let list = this.byName.get(key);
    if (!list) {
      list = [];
      this.byName.set(key, list);
      for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) this.parents.add(key.slice(dot + 1));
    }
    list.push(record);
    return this;
  }

  /** The answer to one query, following CNAMEs. */
  lookup(name: string, type: RecordType): DnsAnswer<MemoryRecord> {
    this.queries.push(`${type} ${name}`);
    let key = normalizeName(name);
    for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      const list = this.byName.get(key);
      if (!list) return this.parents.has(key) ? { status: 'nodata' } : { status: 'nxdomain' };
      const found: MemoryRecord[] = [];
      let cname: string | undefined;
      let failure: DnsAnswer<MemoryRecord> | undefined;
      for (const r of list) {
        if (r.type === 'TIMEOUT' || r.type === 'SERVFAIL') {
          if (r.rrtype !== undefined && r.rrtype !== type) continue;
          if (found.length === 0) failure = r.type === 'TIMEOUT' ? { status: 'timeout' } : { status: 'servfail' };
          break;
        }
        if (r.type === type) found.push(r);
        else if (r.type === 'CNAME') cname = r.value;
      }
      if (failure) return failure;
      if (found.length > 0) return { status: 'ok', records: found };
      if (cname === undefined || type === 'CNAME') return { status: 'nodata' };
      key = normalizeName(cname);
    }
    return { status: 'servfail', detail: 'CNAME chain too long or looping' };
  }

  /** The same answers, synchronously. */
  readonly sync: SyncLookup = {
    addresses: (name, family) => mapAnswer(this.lookup(name, family === 4 ? 'A' : 'AAAA'), (r) => (r as { value: string }).value),
    mx: (name) => mapAnswer(this.lookup(name, 'MX'), (r) => {
      const mx = r as { preference: number; exchange: string };
      return { preference: mx.preference, exchange: mx.exchange };
    }),
    txt: (name) => mapAnswer(this.lookup(name, 'TXT'), (r) => (r as { strings: string[] }).strings),
    ptr: (name) => mapAnswer(this.lookup(name, 'PTR'), (r) => (r as { value: string }).value),
  };

  async addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.sync.addresses(name, family);
  }

  async mx(name: string): Promise<DnsAnswer<MxAnswer>> {
    return this.sync.mx(name);
  }

  async txt(name: string): Promise<DnsAnswer<string[]>> {
    return this.sync.txt(name);
  }

  async ptr(name: string): Promise<DnsAnswer<string>> {
    return this.sync.ptr(name);
  }
}

function mapAnswer<T>(answer: DnsAnswer<MemoryRecord>, f: (r: MemoryRecord) => T): DnsAnswer<T> {
  return answer.status === 'ok' ? { status: 'ok', records: answer.records.map(f) } : answer;
}
