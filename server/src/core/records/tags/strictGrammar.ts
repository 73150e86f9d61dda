// MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3) records share a grammar stricter than
// RFC 6376's tag lists: the record starts with exactly `v=…` (no blank before it), there
// are no blanks around `=`, and extension values are non-empty without blanks or `=`.
// Senders treat a record that breaks the grammar as absent.

import type { Finding } from '../../types';
import type { RecordText } from '../recordText';
import type { TagList } from './tagList';
import { finding } from './tagFindings';

const EXTENSION_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

export interface StrictGrammar {
  code: string;
  /** "MTA-STS record" */
  label: string;
  /** "senders assume the domain has no MTA-STS policy" */
  consequence: string;
  /** Tags whose values the format checks itself. */
  definedTags: readonly string[];
}

export function strictGrammarFindings(rec: RecordText, list: TagList, g: StrictGrammar): Finding[] {
  const out: Finding[] = [];
  const first = list.tags[0];
  if (first && first.name === 'v' && first.start > 0) {
    out.push(finding(rec, 0, first.start, 'error', g.code,
      `Blanks before \`v=\`: a ${g.label} must start with \`v=\` itself, and ${g.consequence}. Remove them.`));
  }
  for (const t of list.tags) {
    if (!t.tight) {
      out.push(finding(rec, t.start, Math.max(t.valueStart, t.equals + 1), 'error', g.code,
        `Blanks around \`=\` in \`${t.name}=\`: the ${g.label} grammar allows none, and ${g.consequence}. Write \`${t.name}=${t.value}\`.`));
    }
    if (!g.definedTags.includes(t.name) && !EXTENSION_VALUE.test(t.value)) {
      out.push(finding(rec, t.value ? t.valueStart : t.start, t.value ? t.valueEnd : t.equals + 1, 'error', g.code,
        `The value of \`${t.name}=\` must be non-empty printable ASCII without blanks or \`=\`, and ${g.consequence}.`));
    }
  }
  return out;
}
