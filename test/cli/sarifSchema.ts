// The official SARIF 2.1.0 JSON schema (OASIS, errata 01; vendored in fixtures/, see the
// README there) as an ajv validator, with the three string formats it uses checked for real.
//
// The schema declares JSON Schema draft-04, which ajv 8 does not ship. Every keyword it uses
// means the same in draft-07 (no boolean exclusiveMinimum/Maximum, `id` only at the root and
// only local `#/definitions/…` references) — schemaKeywords() lets a test check that — so it
// is compiled as draft-07 with `id` renamed to `$id`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

export const SARIF_SCHEMA_FILE = path.join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function loadSarifSchema(): Record<string, Json> {
  return JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, Json>;
}

/** The schema keywords used anywhere in `schema` (names under properties/definitions are not keywords). */
export function schemaKeywords(schema: Json): Set<string> {
  const out = new Set<string>();
  const walk = (node: Json, namesHere: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (!namesHere) out.add(key);
      walk(value, !namesHere && (key === 'properties' || key === 'definitions'));
    }
  };
  walk(schema, false);
  return out;
}

/** RFC 3986 characters, with % only as a complete escape. */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

export interface SarifValidator {
  (log: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export function sarifValidator(): SarifValidator {
  const { $schema: _declared, id, ...rest } = loadSarifSchema();
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', (s: string) => URI_CHARS.test(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $schema: 'http://json-schema.org/draft-07/schema#', $id: id as string });
}

/** ajv's errors, one per line, for an assertion message. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}
