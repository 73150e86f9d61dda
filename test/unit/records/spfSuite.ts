// Loads an OpenSPF test suite (the YAML format of rfc7208-tests.yml) and serves each
// scenario's zone data through the in-memory resolver, with the conventions of the suite's
// own driver (pyspf's testspf.py):
//  - a TXT or SPF value is one character-string, or a list of them ("SPF: []" has none);
//  - SPF-type records are also served as TXT unless the name lists a TXT entry itself
//    ("TXT: NONE" only suppresses that copy);
//  - a bare TIMEOUT makes the queries not answered by an entry above it time out;
//  - a name with a label longer than 63 characters, or an unknown name under "error.",
//    times out (what the driver's DNS layer did); empty labels are dropped.

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import type { DnsAnswer, MxAnswer, Resolver } from '../../../server/src/core/dns/resolver';
import type { SyncSpfResolver } from '../../../server/src/core/records/spf/evaluate';

export interface SuiteCase {
  id: string;
  scenario: string;
  host: string;
  mailfrom: string;
  helo: string;
  /** Acceptable results (the suite's list of alternatives). */
  results: string[];
  explanation?: string;
  spec?: string;
  resolver: Resolver;
  /** The same answers without waiting, for checkHostSync(). */
  syncResolver: SyncSpfResolver;
}

type YamlEntry = string | Record<string, unknown>;

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

function toRecords(entries: YamlEntry[]): MemoryRecord[] {
  const out: MemoryRecord[] = [];
  const generated: MemoryRecord[] = [];
  let generate = true;
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (entry === 'TIMEOUT') out.push({ type: 'TIMEOUT' });
      continue;
    }
    for (const [type, value] of Object.entries(entry)) {
      if (type === 'TXT' || type === 'SPF') {
        const s = strings(value);
        if (type === 'TXT') generate = false;
        else if (generate) generated.push({ type: 'TXT', strings: s });
        if (!(s.length === 1 && s[0] === 'NONE')) out.push({ type, strings: s });
      } else if (type === 'MX') {
        const [preference, exchange] = value as [number, string];
        out.push({ type: 'MX', preference: Number(preference), exchange: String(exchange) });
      } else if (type === 'A' || type === 'AAAA' || type === 'PTR' || type === 'CNAME') {
        out.push({ type, value: String(value) });
      } else {
        throw new Error(`suite zone data: unknown type ${type}`);
      }
    }
  }
  if (generate) out.push(...generated);
  return out;
}

/** The driver's name handling in front of the resolver. */
class SuiteResolver implements Resolver {
  constructor(private readonly inner: MemoryResolver, private readonly known: Set<string>) {}

  private fails(name: string): boolean {
    const labels = name.split('.').filter((l) => l !== '');
    if (labels.some((l) => l.length > 63)) return true;
    const key = labels.join('.').toLowerCase();
    return key.startsWith('error.') && !this.known.has(key);
  }

  private clean(name: string): string {
    return name.split('.').filter((l) => l !== '').join('.');
  }

  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.fails(name) ? Promise.resolve({ status: 'timeout' }) : this.inner.addresses(this.clean(name), family);
  }

  mx(name: string): Promise<DnsAnswer<MxAnswer>> {
    return this.fails(name) ? Promise.resolve({ status: 'timeout' }) : this.inner.mx(this.clean(name));
  }

  txt(name: string): Promise<DnsAnswer<string[]>> {
    return this.fails(name) ? Promise.resolve({ status: 'timeout' }) : this.inner.txt(this.clean(name));
  }

  ptr(name: string): Promise<DnsAnswer<string>> {
    return this.fails(name) ? Promise.resolve({ status: 'timeout' }) : this.inner.ptr(this.clean(name));
  }

  /** The same answers, synchronously (the memory resolver's sync face behind the same name handling). */
  readonly sync: SyncSpfResolver = {
    addresses: (name, family) => (this.fails(name) ? { status: 'timeout' } : this.inner.sync.addresses(this.clean(name), family)),
    mx: (name) => (this.fails(name) ? { status: 'timeout' } : this.inner.sync.mx(this.clean(name))),
    txt: (name) => (this.fails(name) ? { status: 'timeout' } : this.inner.sync.txt(this.clean(name))),
    ptr: (name) => (this.fails(name) ? { status: 'timeout' } : this.inner.sync.ptr(this.clean(name))),
  };
}

export function readSuiteText(file: string): string {
  const raw = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}

export function loadSuite(text: string): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('toJS' in doc)) throw new Error('suite: YAML error');
    if (doc.errors.length > 0) throw new Error(`suite: YAML error ${doc.errors[0].message}`);
    const data = doc.toJS() as { description: string; tests: Record<string, Record<string, unknown>>; zonedata?: Record<string, YamlEntry[]> } | null;
    if (!data) continue;
    const memory = new MemoryResolver();
    const known = new Set<string>();
    for (const [name, entries] of Object.entries(data.zonedata ?? {})) {
      known.add(name.toLowerCase());
      for (const r of toRecords(entries ?? [])) memory.add(name, r);
    }
    const resolver = new SuiteResolver(memory, known);
    for (const [id, t] of Object.entries(data.tests)) {
      const result = t.result;
      cases.push({
        id,
        scenario: data.description,
        host: String(t.host),
        mailfrom: String(t.mailfrom ?? ''),
        helo: String(t.helo ?? ''),
        results: Array.isArray(result) ? result.map(String) : [String(result)],
        explanation: t.explanation === undefined ? undefined : String(t.explanation),
        spec: t.spec === undefined ? undefined : String(t.spec),
        resolver,
        syncResolver: resolver.sync,
      });
    }
  }
  return cases;
}
