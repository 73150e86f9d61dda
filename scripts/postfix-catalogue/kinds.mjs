// Decide the value kind of a parameter. The C table a parameter lives in settles booleans,
// times and numbers; for string parameters the name (Postfix names them very regularly:
// *_maps, *_restrictions, *_directory …), the documented default and the manual's wording
// decide, with curated.mjs overriding where those rules would be wrong.
import { ENUMERATIONS, KIND_OVERRIDES, SIZE_PARAMETER } from './curated.mjs';

const ENUM_BY_NAME = new Map();
for (const e of ENUMERATIONS) for (const n of e.names) ENUM_BY_NAME.set(n, e);

/** The first letter of the (expanded) default is the unit of a bare number, as in Postfix. */
export function timeUnit(expandedDefault) {
  const m = /[a-z]/i.exec(expandedDefault ?? '');
  return m ? m[0] : undefined;
}

/**
 * @param {object} p
 * @param {string} p.name
 * @param {string} p.table            C table type (BOOL, TIME, INT, …)
 * @param {string|undefined} p.defaultValue
 * @param {string|undefined} p.expandedDefault  default with $names expanded (for the time unit)
 * @param {number|undefined} p.min
 * @param {number|undefined} p.max
 * @param {string} p.docText          manual text ('' when undocumented)
 * @returns {{ kind: string, unit?: string, min?: number, max?: number, values?: string[], multiple?: boolean, empty?: boolean, valueSince?: object, items?: string, rule: string }}
 */
export function classify(p) {
  const bounds = {};
  if (p.min) bounds.min = p.min;
  if (p.max) bounds.max = p.max;

  switch (p.table) {
    case 'BOOL':
    case 'NBOOL':
      return { kind: 'boolean', rule: 'C table' };
    case 'TIME': {
      const unit = timeUnit(p.expandedDefault);
      return { kind: 'time', ...(unit ? { unit } : {}), ...bounds, rule: 'C table' };
    }
    case 'INT':
    case 'NINT':
    case 'LONG':
      return { kind: SIZE_PARAMETER.test(p.name) ? 'size' : 'integer', ...bounds, rule: 'C table' };
    default:
      break;
  }

  const e = ENUM_BY_NAME.get(p.name);
  if (e) {
    const out = { kind: 'enumeration', values: e.values, rule: 'curated enumeration' };
    if (e.multiple) out.multiple = true;
    if (e.empty) out.empty = true;
    if (e.valueSince) out.valueSince = e.valueSince;
    if (e.tablesAllowed) out.tablesAllowed = true;
    return out;
  }
  const o = KIND_OVERRIDES[p.name];
  if (o) return { ...o, rule: 'curated' };

  const n = p.name;
  const def = p.defaultValue ?? '';
  if (/_restrictions$/.test(n)) return { kind: 'restrictions', rule: 'name *_restrictions' };
  if (/_maps$|_map$|_checks$/.test(n)) return { kind: 'lookupTables', rule: 'name *_maps/*_map/*_checks' };
  if (/_milters$/.test(n)) return { kind: 'list', items: 'milter', rule: 'name *_milters' };
  if (/_service_name$/.test(n)) return { kind: 'service', rule: 'name *_service_name' };
  if (/_transport$/.test(n)) return { kind: 'transport', rule: 'name *_transport' };
  if (/(^|_)(networks|interfaces|hosts|clients)$|_bind_address6?$|_relayhost$|_fallback_relay$/.test(n))
    return { kind: 'hostList', rule: 'name: networks/hosts/clients/bind address' };
  if (/_domains$|_destinations$/.test(n)) return { kind: 'domainList', rule: 'name *_domains' };
  if (/_files$/.test(n)) return { kind: 'list', items: 'path', rule: 'name *_files' };
  if (/_(directory|file|CAfile|CApath|path)$/.test(n)) return { kind: 'path', rule: 'name *_directory/*_file/*_path' };
  if (/^[a-z0-9]+:/.test(def) && !/\s/.test(def) && /lookup table/i.test(p.docText))
    return { kind: 'lookupTables', rule: 'type:table default' };
  if (/_(classes|keywords|commands|macros|headers|names|users|prefixes|digests|curves|groups|ports|exceptions|environment|cert_match|options|workarounds)$/.test(n))
    return { kind: 'list', rule: 'list-like name' };
  // A comma outside ${…} in the default: a list ("deferred, defer").
  if (/,/.test(def.replace(/\$\{[\s\S]*\}/g, ''))) return { kind: 'list', rule: 'comma in default' };
  return { kind: 'string', rule: 'fallback' };
}
