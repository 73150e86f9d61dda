// Go to definition and find references across the main.cf and master.cf of one instance.
//
// Definition: `$name` → the line that sets name (the service's own `-o name=` wins over
// main.cf inside that service); `-o name=` → main.cf's setting; a restriction class named
// in a list → its main.cf line; a per-service name (`policyd-spf_time_limit`) → its
// master.cf service; a word that names a service (`check_policy_service
// unix:private/NAME`, `content_filter = NAME:…`, `*_transport = NAME`, `*_service_name`)
// → that master.cf entry. A main.cf name set twice leads from the ignored line to the one
// in effect.
//
// References: every place a parameter is set (main.cf lines, `-o` overrides) or used
// (`$name`, `${name…}`, restriction-class words); for a service, every word naming it.

import type { Position, Range } from '../../types';
import type { FeatureContext, Location } from '../types';
import { getParameter } from '../../postfix/catalogue';
import { postfixModel, type PostfixModel, type ServiceEntry } from '../../postfix/instance';
import {
  allValues, isParameterTarget, isRestrictionContext, serviceLinkOf, servicesForLink, targetAt, type LocatedValue,
  type ParameterTarget,
} from './locate';

/** One place a parameter name occurs. */
export interface ParameterSite {
  uri: string;
  range: Range;
  /** `definition`: main.cf `name = …`; `override`: master.cf `-o name=…`; `use`: `$name` or a restriction-class word. */
  role: 'definition' | 'override' | 'use';
}

/** Every occurrence of parameter `name` in the instance, in file order (main.cf first). */
export function parameterSites(model: PostfixModel, name: string): ParameterSite[] {
  const sites: ParameterSite[] = [];
  const main = model.main;
  const master = model.master;
  const isClass = model.restrictionClasses.has(name);
  const usesIn = (owner: LocatedValue) => {
    for (const ref of owner.value.references) {
      if (ref.name === name && ref.use !== 'function') sites.push({ uri: owner.uri, range: ref.nameRange, role: 'use' });
    }
    if (isClass && (owner.name === 'smtpd_restriction_classes' || isRestrictionContext(owner.name, model, owner.service))) {
      for (const w of owner.value.words) if (!w.braced && w.text === name) sites.push({ uri: owner.uri, range: w.range, role: 'use' });
    }
  };
  if (main) {
    for (const p of main.tree.parameters) {
      if (p.name.text === name) sites.push({ uri: main.doc.uri, range: p.name.range, role: 'definition' });
      usesIn({ name: p.name.text, value: p.value, uri: main.doc.uri });
    }
  }
  if (master) {
    for (const service of model.masterServices) {
      for (const o of service.node.options) {
        if (o.name.text === name) sites.push({ uri: master.doc.uri, range: o.name.range, role: 'override' });
        usesIn({ name: o.name.text, value: o.value, service, uri: master.doc.uri });
      }
    }
  }
  return sites;
}

function location(uri: string, range: Range): Location {
  return { uri, range };
}

export function postfixDefinition(ctx: FeatureContext, position: Position): Location[] {
  const model = postfixModel(ctx);
  const t = targetAt(ctx, model, position);
  if (!t) return [];
  if (isParameterTarget(t)) return parameterDefinition(model, t);
  if (t.kind === 'serviceLink') {
    const master = model.master;
    if (!master) return [];
    return servicesForLink(model, t.link).map((s) => location(master.doc.uri, s.node.name.range));
  }
  return [];
}

function parameterDefinition(model: PostfixModel, t: ParameterTarget): Location[] {
  const main = model.main;
  const master = model.master;
  const service: ServiceEntry | undefined = t.kind === 'reference' || t.kind === 'restrictionClass' ? t.owner.service : undefined;
  if (service && master) {
    const o = model.effectiveOverride(service, t.name);
    if (o) return [location(master.doc.uri, o.name.range)];
  }
  const effective = model.effectiveDefinition(t.name);
  if (t.kind === 'parameterName') {
    if (effective && effective !== t.parameter && main) return [location(main.doc.uri, effective.name.range)];
    const sp = model.serviceParameter(t.name);
    if (sp && master && !getParameter(t.name)) return [location(master.doc.uri, sp.service.node.name.range)];
    return [];
  }
  if (effective && main) return [location(main.doc.uri, effective.name.range)];
  if (t.kind === 'optionName' || t.kind === 'reference') {
    const sp = model.serviceParameter(t.name);
    if (sp && master && !getParameter(t.name)) return [location(master.doc.uri, sp.service.node.name.range)];
  }
  return [];
}

export function postfixReferences(ctx: FeatureContext, position: Position, includeDeclaration: boolean): Location[] {
  const model = postfixModel(ctx);
  const t = targetAt(ctx, model, position);
  if (!t) return [];
  if (isParameterTarget(t)) {
    return parameterSites(model, t.name)
      .filter((s) => includeDeclaration || s.role === 'use')
      .map((s) => location(s.uri, s.range));
  }
  let services: ServiceEntry[] = [];
  if (t.kind === 'serviceLink') services = servicesForLink(model, t.link);
  else if (t.kind === 'column' && t.column === 'name') services = [t.service];
  if (services.length === 0) return [];
  const out: Location[] = [];
  const master = model.master;
  if (includeDeclaration && master) for (const s of services) out.push(location(master.doc.uri, s.node.name.range));
  for (const owner of allValues(model)) {
    const words = owner.value.words;
    for (let i = 0; i < words.length; i++) {
      const link = serviceLinkOf(owner.name, words, i);
      if (link && servicesForLink(model, link).some((s) => services.includes(s))) out.push(location(owner.uri, link.range));
    }
  }
  return out;
}
