// A resolver over the zone files of the workspace: answers DNS questions for names inside
// the zones the workspace holds, offline, from the same zone data the zone checks use.
// Positive answers come from the records; a negative answer (NXDOMAIN, NODATA) only from a
// zone we see completely (an SOA, every $INCLUDE found). For anything else it answers
// "unknown" (the async interface says SERVFAIL with that detail), so an SPF lookup count
// says "at least N" instead of inventing a result.

import type { Workspace } from '../stack/workspace';
import type { DnsAnswer, MxAnswer, RecordType, Resolver } from './resolver';
import type { SyncResolver } from '../records/spf/lookups';
import type { ZoneData, ZoneRR } from '../zone/checks/zoneData';
import { A, AAAA, CNAME, delegationAbove, MX, NS, PTR, SPF, TXT, rootOf, zoneDataOfRoot } from '../zone/checks/zoneData';
import { absoluteIn, isAtOrBelow, nameKey, withoutDot } from '../zone/checks/origin';
import { isGenericRdata } from '../zone/record-checks';
import { txtStrings } from '../zone/strings';

/** What the workspace's zones say about a question: an answer, or undefined (not known offline). */
export type ZoneAnswer<T> = DnsAnswer<T> | undefined;

const TYPE_CODES: Record<RecordType, number> = { A, AAAA, MX, TXT, PTR, CNAME, NS, SPF };

/** CNAME chains longer than this are not followed (resolvers give up too). */
const MAX_CNAME_CHAIN = 8;

/**
 * The zones of a workspace as a DNS server would answer from them. Make one per analysis
 * (it remembers which zones the workspace has); the zone data itself is cached per document.
 */
export class WorkspaceZones {
  private zones: ZoneData[] | undefined;
  private aliases: Map<string, ZoneRR[]> | undefined;

  constructor(private readonly workspace: Workspace) {}

  /** Every zone of the workspace with a known apex (roots only: included files are part of their zone). */
  allZones(): ZoneData[] {
    if (this.zones) return this.zones;
    const seen = new Set<string>();
    const zones: ZoneData[] = [];
    for (const doc of this.workspace.ofKind('dns-zone')) {
      const root = rootOf(doc, this.workspace);
      if (seen.has(root.uri)) continue;
      seen.add(root.uri);
      const data = zoneDataOfRoot(root, this.workspace);
      if (data.apex !== '') zones.push(data);
    }
    return (this.zones = zones);
  }

  /** The zones with the longest apex that contains `key` (several files may publish one domain). */
  zonesFor(key: string): ZoneData[] {
    let best: ZoneData[] = [];
    let bestLength = -1;
    for (const z of this.allZones()) {
      if (!isAtOrBelow(key, z.apexKey)) continue;
      if (z.apexKey.length > bestLength) { best = [z]; bestLength = z.apexKey.length; }
      else if (z.apexKey.length === bestLength) best.push(z);
    }
    return best;
  }

  /** True when some workspace zone contains the name (answers may still be "unknown"). */
  covers(name: string): boolean {
    return this.zonesFor(nameKey(absolute(name))).length > 0;
  }

  /**
   * The records of a type at a name, following CNAMEs inside the workspace's zones;
   * undefined when the workspace cannot tell.
   */
  lookup(name: string, type: RecordType): ZoneAnswer<ZoneRR> {
    let key = nameKey(absolute(name));
    const code = TYPE_CODES[type];
    for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      const zones = this.zonesFor(key);
      if (zones.length === 0) return undefined;
      const here: ZoneRR[] = [];
      let complete = false;
      let delegated = false;
      for (const z of zones) {
        const group = z.byName.get(key) ?? wildcardGroup(z, key);
        if (group) here.push(...group);
        if (z.complete) complete = true;
        if (delegationAbove(z, key) !== undefined) delegated = true;
      }
      if (delegated && type !== 'NS') return undefined; // a child zone answers, not this one
      const matching = here.filter((rr) => rr.record.typeCode === code && !isGenericRdata(rr.record));
      if (matching.length) return { status: 'ok', records: matching, ttl: matching[0].record.ttlSeconds ?? matching[0].record.defaultTtl };
      const cname = type === 'CNAME' ? undefined : here.find((rr) => rr.record.typeCode === CNAME);
      if (cname && cname.record.rdataCount > 0) {
        const r = cname.record;
        key = nameKey(absoluteIn(r.tokenText(r.rdataStart), r.origin, cname.file.base));
        continue;
      }
      // Without the whole zone, a missing type may live in the part we do not see.
      if (!complete) return undefined;
      if (here.length) return { status: 'nodata' };
      // An empty non-terminal (a name with data only below it) exists: NODATA, not NXDOMAIN.
      for (const z of zones) if (emptyNonTerminals(z).has(key)) return { status: 'nodata' };
      return { status: 'nxdomain' };
    }
    return { status: 'servfail', detail: 'CNAME chain too long' };
  }

  /** TXT records at a name, each as its character-strings. */
  txtSync(name: string): ZoneAnswer<string[]> {
    return mapAnswer(this.lookup(name, 'TXT'), (rr) => txtStrings(rr.record).map((t) => t.value));
  }

  addressesSync(name: string, family: 4 | 6): ZoneAnswer<string> {
    return mapAnswer(this.lookup(name, family === 4 ? 'A' : 'AAAA'), (rr) => rr.record.tokenText(rr.record.rdataStart));
  }

  mxSync(name: string): ZoneAnswer<MxAnswer> {
    return mapAnswer(this.lookup(name, 'MX'), (rr) => {
      const r = rr.record;
      const exchange = r.rdataCount > 1 ? withoutDot(absoluteIn(r.tokenText(r.rdataStart + 1), r.origin, rr.file.base)) : '';
      return { preference: Number(r.tokenText(r.rdataStart)), exchange };
    });
  }

  ptrSync(name: string): ZoneAnswer<string> {
    return mapAnswer(this.lookup(name, 'PTR'), (rr) => withoutDot(absoluteIn(rr.record.tokenText(rr.record.rdataStart), rr.record.origin, rr.file.base)));
  }

  /** Owners of CNAME records that point at `key`, over every zone of the workspace (built on first use). */
  aliasesOf(key: string): ZoneRR[] {
    if (!this.aliases) {
      this.aliases = new Map();
      for (const z of this.allZones()) {
        for (const group of z.byName.values()) {
          for (const rr of group) {
            const r = rr.record;
            if (r.typeCode !== CNAME || r.rdataCount === 0) continue;
            const target = nameKey(absoluteIn(r.tokenText(r.rdataStart), r.origin, rr.file.base));
            const list = this.aliases.get(target);
            if (list) list.push(rr); else this.aliases.set(target, [rr]);
          }
        }
      }
    }
    return this.aliases.get(key) ?? [];
  }

  /** The SPF helper's synchronous interface (undefined = not known offline). */
  syncResolver(): SyncResolver {
    return {
      txt: (name) => this.txtSync(name),
      addresses: (name, family) => this.addressesSync(name, family),
      mx: (name) => this.mxSync(name),
    };
  }

  /** The async Resolver interface: "not known offline" becomes SERVFAIL with a detail. */
  resolver(): Resolver {
    return {
      addresses: async (name, family) => orUnknown(this.addressesSync(name, family), name),
      mx: async (name) => orUnknown(this.mxSync(name), name),
      txt: async (name) => orUnknown(this.txtSync(name), name),
      ptr: async (name) => orUnknown(this.ptrSync(name), name),
    };
  }
}

/** A Resolver over the workspace's zone files. */
export function zoneResolver(workspace: Workspace): Resolver {
  return new WorkspaceZones(workspace).resolver();
}

/** A SyncResolver (for SPF lookup counts on the keystroke path) over the workspace's zone files. */
export function zoneSyncResolver(workspace: Workspace): SyncResolver {
  return new WorkspaceZones(workspace).syncResolver();
}

function absolute(name: string): string {
  return name.endsWith('.') ? name : name + '.';
}

/** Records of the closest wildcard (`*.parent`) for a name that has none of its own (in a complete zone). */
function wildcardGroup(z: ZoneData, key: string): ZoneRR[] | undefined {
  if (!z.complete) return undefined;
  let k = key;
  while (k.length > z.apexKey.length) {
    const dot = k.indexOf('.');
    if (dot < 0) return undefined;
    k = k.slice(dot + 1);
    // A name that exists between the query and the wildcard blocks it (RFC 4592).
    const wild = z.byName.get('*.' + k);
    if (wild) return wild;
    if (z.byName.has(k)) return undefined;
  }
  return undefined;
}

const nonTerminalCache = new WeakMap<ZoneData, Set<string>>();

/** Names that own no records but have names below them (`_domainkey.example.org.`). */
function emptyNonTerminals(z: ZoneData): Set<string> {
  let set = nonTerminalCache.get(z);
  if (set) return set;
  set = new Set();
  for (const k of z.byName.keys()) {
    let p = k;
    for (;;) {
      const dot = p.indexOf('.');
      if (dot < 0 || dot === p.length - 1) break;
      p = p.slice(dot + 1);
      if (p.length <= z.apexKey.length || set.has(p)) break;
      if (!z.byName.has(p)) set.add(p);
    }
  }
  nonTerminalCache.set(z, set);
  return set;
}

function mapAnswer<T>(a: ZoneAnswer<ZoneRR>, f: (rr: ZoneRR) => T): ZoneAnswer<T> {
  if (!a) return undefined;
  if (a.status !== 'ok') return a;
  return { status: 'ok', records: a.records.map(f), ttl: a.ttl };
}

function orUnknown<T>(a: ZoneAnswer<T>, name: string): DnsAnswer<T> {
  return a ?? { status: 'servfail', detail: `${withoutDot(name)} is not in the workspace's zone files` };
}
