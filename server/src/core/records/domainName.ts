// Is a name a full domain name? The same length and label rules for a report address's
// mail domain or web host (host-name labels) and for an SPF target, whose DNS-name labels
// may hold `_` (`_spf.google.com`). Returns what is wrong in plain words.

export interface LabelRule {
  pattern: RegExp;
  /** Follows "`label` is not …" in the problem. */
  description: string;
}

/** Host-name labels: letters, digits and inner hyphens. */
export const HOST_NAME_LABEL: LabelRule = {
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
  description: 'a valid domain label (letters, digits and inner hyphens only)',
};

/** DNS-name labels as SPF targets use them: host-name labels that may also hold `_`. */
export const DNS_NAME_LABEL: LabelRule = {
  pattern: /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/,
  description: 'a valid DNS label (letters, digits, `_` and inner hyphens only)',
};

/** Why `name` (a trailing dot allowed) is not a full domain name with labels of `rule`, or undefined. */
export function domainNameProblem(name: string, rule: LabelRule): string | undefined {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n === '') return 'the domain is empty';
  if (n.length > 253) return 'the domain is longer than 253 characters';
  const labels = n.split('.');
  if (labels.length < 2) return `\`${n}\` is not a full domain name`;
  for (const l of labels) {
    if (l === '') return 'the domain has an empty label (two dots in a row)';
    if (!rule.pattern.test(l)) return `\`${l}\` is not ${rule.description}`;
  }
  return undefined;
}

/** Why `name` is not a usable host name, or undefined when it is. */
export function hostNameProblem(name: string): string | undefined {
  return domainNameProblem(name, HOST_NAME_LABEL);
}
