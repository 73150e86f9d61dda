// postfix/domain-in-two-classes: one domain listed in two of the domain lists that decide its
// address class. trivial-rewrite(8) (resolve.c) tries the classes in a fixed order and the
// first list that matches wins:
//
//   mydestination             → local class, local_transport
//   virtual_alias_domains     → alias class: every address not rewritten by virtual_alias_maps
//                               is "User unknown in virtual alias table"
//   virtual_mailbox_domains   → virtual class, virtual_transport
//   relay_domains             → relay class, relay_transport
//
// For the winner it logs "warning: do not list domain D in BOTH A and B" for these pairs
// (and for no others): mydestination with virtual_alias_domains or virtual_mailbox_domains;
// virtual_alias_domains with virtual_mailbox_domains or relay_domains; virtual_mailbox_domains
// with relay_domains. mydestination with relay_domains is not among them (before Postfix 3.0
// relay_domains defaulted to $mydestination).
//
// Only domains written literally are judged — after `$name` expansion, so `$myhostname` with
// myhostname = example.com counts. Lookup tables, /file/name lists and values that cannot be
// expanded may hold any domain: they never make a finding. When a list decides which class
// wins only through a run-time value (an unset myhostname, a computed mydomain) it is taken
// not to match: the machine's own name is not expected to be a hosted domain.
//
// The lists are read as trivial-rewrite reads them: the rewrite service's `-o` first, then
// main.cf, then the default.

import type { AnalysisContext } from '../../context';
import type { Finding, Range } from '../../types';
import { makeFinding, quote } from '../findings';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../instance';
import { splitList } from '../expand';
import { hasTemplateExpression } from '../template';

const CODE = 'postfix/domain-in-two-classes';

const MYDEST = 'mydestination';
const ALIAS = 'virtual_alias_domains';
const MAILBOX = 'virtual_mailbox_domains';
const RELAY = 'relay_domains';
const LISTS = [MYDEST, ALIAS, MAILBOX, RELAY] as const;
type ListName = (typeof LISTS)[number];

export function checkMainCfAddressClasses(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  return findingsIn(postfixModel(ctx), ctx.doc.uri);
}

export function checkMasterCfAddressClasses(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  return findingsIn(model, ctx.doc.uri);
}

/** Where a list item was written: the word of the main.cf value or `-o` value. */
interface Place {
  uri: string;
  range: Range;
}

/** One element of a domain list after expansion. */
type Item =
  /** `written`: the word it came from (`$myhostname`, `example.com`); no `place` for a default. */
  | { kind: 'domain'; domain: string; negated: boolean; written: string; place?: Place }
  /** A table, /file/name or unexpandable word: it may match any domain. `runTime`: only a run-time value is missing. */
  | { kind: 'opaque'; negated: boolean; runTime: boolean };

interface DomainList {
  name: ListName;
  items: Item[];
  /** Indexes for membership(), so a list of thousands of domains is not scanned per domain. */
  index: ListIndex;
}

/** Where in a list each kind of item first appears (Infinity: nowhere). */
interface ListIndex {
  /** Domain → position of its first literal entry (negated or not). */
  firstLiteral: Map<string, number>;
  /** The first negated table or unexpandable word, which may exclude any domain. */
  firstNegatedOpaque: number;
  negatedOpaqueRunTime: boolean;
  /** The first table or unexpandable word, and the first that is not only a run-time value. */
  firstOpaque: number;
  firstOpaqueNotRunTime: number;
}

function indexOf(items: Item[]): ListIndex {
  const index: ListIndex = {
    firstLiteral: new Map(), firstNegatedOpaque: Infinity, negatedOpaqueRunTime: false, firstOpaque: Infinity, firstOpaqueNotRunTime: Infinity,
  };
  items.forEach((item, i) => {
    if (item.kind === 'domain') {
      if (!index.firstLiteral.has(item.domain)) index.firstLiteral.set(item.domain, i);
    } else if (item.negated) {
      if (index.firstNegatedOpaque === Infinity) {
        index.firstNegatedOpaque = i;
        index.negatedOpaqueRunTime = item.runTime;
      }
    } else {
      index.firstOpaque = Math.min(index.firstOpaque, i);
      if (!item.runTime) index.firstOpaqueNotRunTime = Math.min(index.firstOpaqueNotRunTime, i);
    }
  });
  return index;
}

/** A list's verdict on one domain. */
type Membership =
  | { is: 'yes'; item: Extract<Item, { kind: 'domain' }> }
  | { is: 'no' }
  /** A table or unexpandable word may match; `runTime` when only run-time values are unknown. */
  | { is: 'unknown'; runTime: boolean };

function findingsIn(model: PostfixModel, uri: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const service of rewriteServices(model)) {
    for (const { place, finding } of conflicts(model, service)) {
      if (place.uri !== uri) continue;
      const key = `${place.range.start.line}:${place.range.start.character}:${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding);
    }
  }
  return out;
}

/** trivial-rewrite's services (their `-o` settings apply); none in master.cf: main.cf alone. */
function rewriteServices(model: PostfixModel): Array<ServiceEntry | undefined> {
  const own = model.services.filter((s) => s.command === 'trivial-rewrite');
  return own.length > 0 ? own : [undefined];
}

function conflicts(model: PostfixModel, service: ServiceEntry | undefined): Array<{ place: Place; finding: Finding }> {
  const lists = new Map<ListName, DomainList>();
  for (const name of LISTS) {
    const list = readList(model, name, service);
    if (!list) return []; // a template value: nothing can be said
    lists.set(name, list);
  }
  const get = (n: ListName) => lists.get(n)!;
  const domains = new Set<string>();
  for (const l of lists.values()) for (const i of l.items) if (i.kind === 'domain' && !i.negated) domains.add(i.domain);

  const out: Array<{ place: Place; finding: Finding }> = [];
  for (const d of domains) {
    const m = new Map(LISTS.map((n) => [n, membership(get(n), d)] as const));
    const yes = (n: ListName) => m.get(n)!.is === 'yes';
    // Counts as not matching: a definite no, or a maybe that rests only on run-time values.
    const not = (n: ListName) => { const x = m.get(n)!; return x.is === 'no' || (x.is === 'unknown' && x.runTime); };
    const pairs: Array<[ListName, ListName]> = [];
    if (yes(MYDEST)) {
      for (const b of [ALIAS, MAILBOX] as const) if (yes(b)) pairs.push([MYDEST, b]);
    } else if (not(MYDEST) && yes(ALIAS)) {
      for (const b of [MAILBOX, RELAY] as const) if (yes(b)) pairs.push([ALIAS, b]);
    } else if (not(MYDEST) && not(ALIAS) && yes(MAILBOX)) {
      if (yes(RELAY)) pairs.push([MAILBOX, RELAY]);
    }
    for (const [a, b] of pairs) {
      const winner = m.get(a) as Extract<Membership, { is: 'yes' }>;
      const loser = m.get(b) as Extract<Membership, { is: 'yes' }>;
      const f = finding(d, get(a), winner.item, get(b), loser.item);
      if (f) out.push(f);
    }
  }
  return out;
}

/** The list in effect for trivial-rewrite, item by item; undefined for a template value. */
function readList(model: PostfixModel, name: ListName, service: ServiceEntry | undefined): DomainList | undefined {
  const found = model.lookup(name, service);
  const raw = found.text ?? '';
  // A template's placeholder (`{{ DOMAINS }}`) is not a value; relay_domains' own default has `{{` too.
  if (found.source.kind !== 'default' && hasTemplateExpression(raw)) return undefined;
  const items: Item[] = [];
  const value = found.source.kind === 'main' ? found.source.parameter.value : found.source.kind === 'override' ? found.source.option.value : undefined;
  const uri = found.source.kind === 'main' ? model.main?.doc.uri : found.source.kind === 'override' ? model.master?.doc.uri : undefined;
  if (value && uri) {
    for (const w of value.words) items.push(...itemsOf(model, w.text, service, { uri, range: w.range }));
  } else {
    for (const w of splitList(raw)) items.push(...itemsOf(model, w, service, undefined));
  }
  return { name, items, index: indexOf(items) };
}

/** The items one written word stands for: itself, or the words of its expansion. */
function itemsOf(model: PostfixModel, word: string, service: ServiceEntry | undefined, place: Place | undefined): Item[] {
  const negated = word.startsWith('!');
  const text = negated ? word.slice(1) : word;
  if (!text.includes('$')) return [classify(text, negated, word, place)];
  const e = model.expand(text, service, { limit: 100_000 });
  if (!e.exact) {
    const runTime = e.computedNames.length > 0 && e.undefinedNames.length === 0 && e.cyclic.length === 0 && !e.truncated;
    return [{ kind: 'opaque', negated, runTime }];
  }
  const words = splitList(e.text);
  // `!$list` negates only the first word of the expansion: too subtle to judge.
  if (negated) return words.length === 0 ? [] : [{ kind: 'opaque', negated: true, runTime: false }];
  return words.map((w) => classify(w, false, word, place));
}

function classify(text: string, negated: boolean, written: string, place: Place | undefined): Item {
  // type:table, /file/name (a list read from a file), {…} groups: any domain may be in them.
  if (text.includes(':') || text.startsWith('/') || text.includes('{') || text.includes('$') || text === '') {
    return { kind: 'opaque', negated, runTime: false };
  }
  return { kind: 'domain', domain: text.toLowerCase(), negated, written, place };
}

/**
 * match_list_match() on a literal domain: the first item that matches decides, a `!` item
 * excludes. A table before that item may match first: harmless before a positive entry (the
 * domain matches either way), undecidable before a negated one.
 */
function membership(list: DomainList, domain: string): Membership {
  const x = list.index;
  const at = x.firstLiteral.get(domain) ?? Infinity;
  // Only run-time values (an unset myhostname) stand between the domain and a verdict.
  const onlyRunTimeBefore = (i: number) => x.firstOpaqueNotRunTime >= i;
  if (x.firstNegatedOpaque < at) return { is: 'unknown', runTime: x.negatedOpaqueRunTime && onlyRunTimeBefore(x.firstNegatedOpaque) };
  if (at !== Infinity) {
    const item = list.items[at] as DomainItem;
    if (!item.negated) return { is: 'yes', item };
    return x.firstOpaque < at ? { is: 'unknown', runTime: onlyRunTimeBefore(at) } : { is: 'no' };
  }
  return x.firstOpaque !== Infinity ? { is: 'unknown', runTime: onlyRunTimeBefore(Infinity) } : { is: 'no' };
}

/** What happens to mail for a domain of both lists, from resolve.c and smtpd_check.c. */
const OUTCOMES: Record<string, { severity: 'error' | 'warning'; effect: string; advice: string }> = {
  [`${MYDEST} ${ALIAS}`]: {
    severity: 'warning',
    effect: 'Postfix treats it as a local domain: virtual_alias_maps still rewrites its aliases, but any other address ' +
      'is accepted when it names a local account (root@, a UNIX user) and delivered to that account by local_transport, ' +
      'instead of being rejected as unknown',
    advice: 'Remove it from `mydestination` (VIRTUAL_README: never list a virtual alias domain in mydestination).',
  },
  [`${MYDEST} ${MAILBOX}`]: {
    severity: 'error',
    effect: 'Postfix treats it as a local domain: its mail goes to local_transport instead of virtual_transport, and ' +
      'addresses that are not local accounts are rejected ("User unknown in local recipient table"), so the virtual ' +
      'mailboxes receive nothing',
    advice: 'Remove it from `mydestination` (VIRTUAL_README: never list a virtual mailbox domain in mydestination).',
  },
  [`${ALIAS} ${MAILBOX}`]: {
    severity: 'error',
    effect: 'Postfix treats it as a virtual alias domain: every address that virtual_alias_maps does not rewrite is ' +
      'rejected or bounced ("User unknown in virtual alias table"), so the mailboxes of virtual_mailbox_maps receive nothing',
    advice: 'Remove it from `virtual_alias_domains` (VIRTUAL_README: never list a virtual mailbox domain as a virtual ' +
      'alias domain); virtual_alias_maps applies to every domain anyway.',
  },
  [`${ALIAS} ${RELAY}`]: {
    severity: 'error',
    effect: 'Postfix treats it as a virtual alias domain: its mail is not relayed; every address that virtual_alias_maps ' +
      'does not rewrite is rejected or bounced ("User unknown in virtual alias table")',
    advice: 'Keep it in one list: `relay_domains` if another host receives its mail, `virtual_alias_domains` if all ' +
      'its addresses are aliases.',
  },
  [`${MAILBOX} ${RELAY}`]: {
    severity: 'error',
    effect: 'Postfix treats it as a virtual mailbox domain: its mail is delivered here by virtual_transport instead of ' +
      'being relayed by relay_transport, and addresses missing from virtual_mailbox_maps are rejected ("User unknown ' +
      'in virtual mailbox table")',
    advice: 'Keep it in one list: `relay_domains` if another host receives its mail, `virtual_mailbox_domains` if ' +
      'its mailboxes are on this server.',
  },
};

type DomainItem = Extract<Item, { kind: 'domain' }>;

function finding(domain: string, winner: DomainList, won: DomainItem, loser: DomainList, lost: DomainItem): { place: Place; finding: Finding } | undefined {
  const outcome = OUTCOMES[`${winner.name} ${loser.name}`];
  // On the entry in the list that wins, which is the one to remove; on the other list's
  // entry when the winner is a default nobody wrote down.
  const place = won.place ?? lost.place;
  if (!outcome || !place) return undefined;
  // Domains come from the user's text: quoted and cut so a huge word does not make a huge message.
  const shown = domain.length > 253 ? `${domain.slice(0, 252)}…` : domain;
  const message = `The domain \`${shown}\` is listed in both \`${winner.name}\`${source(won)} and ` +
    `\`${loser.name}\`${source(lost)}. Postfix checks ${winner.name} first and logs "warning: do not list domain ` +
    `${shown} in BOTH ${winner.name} and ${loser.name}". ${outcome.effect}. ${outcome.advice}`;
  const f = makeFinding(CODE, outcome.severity, place.range, message);
  const other = place === won.place ? lost : won;
  const otherList = place === won.place ? loser : winner;
  if (other.place) f.related = [{ uri: other.place.uri, range: other.place.range, message: `${quote(domain)} in \`${otherList.name}\`` }];
  return { place, finding: f };
}

/** " (through `$myhostname`)", " (by default, through `$myhostname`)" for a domain not written as such. */
function source(item: DomainItem): string {
  const through = item.written.toLowerCase() === item.domain ? '' : `through ${quote(item.written, 40)}`;
  if (!item.place) return ` (by default${through ? `, ${through}` : ''})`;
  return through ? ` (${through})` : '';
}
