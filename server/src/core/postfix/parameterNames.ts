// What a parameter name may look like. Postfix itself stores any name (split_nameval()
// stops at a blank or `=`), but `$name` can reach only letters, digits and `_`, and
// per-service names (`policyd-spf_time_limit`, `relay.example_destination_...`) add the
// `-` and `.` of master.cf service names. Anything else is a typo no program will read.

import type { Finding } from '../types';
import type { Token } from './tree';
import { makeFinding, quote } from './findings';

export function isParameterNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/** Adds `postfix/invalid-parameter-name` when the name has a character outside that set. */
export function checkParameterName(name: Token, findings: Finding[]): void {
  for (let i = 0; i < name.text.length; i++) {
    if (!isParameterNameChar(name.text.charCodeAt(i))) {
      findings.push(makeFinding('postfix/invalid-parameter-name', 'warning', name.range,
        `${quote(name.text)} is not a valid parameter name: ${quote(name.text[i], 5)} is not allowed. Parameter names ` +
        'consist of letters, digits and `_` (per-service names such as `policyd-spf_time_limit` may also contain ' +
        '`-` and `.`). Postfix keeps the setting, but no program will ever read it.'));
      return;
    }
  }
}
