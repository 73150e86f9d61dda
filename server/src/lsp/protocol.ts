// What the VS Code client and the server agree on beyond LSP: the command names, the
// status notification and the plain shapes they exchange. Imports nothing, so the client
// bundle can use it without pulling in the server.

export const SERVER_COMMANDS = {
  status: 'mailconf.server.status',
  checkHost: 'mailconf.server.checkHost',
  spfLookupTree: 'mailconf.server.spfLookupTree',
  checkMailDomain: 'mailconf.server.checkMailDomain',
  dkimSuggestions: 'mailconf.server.dkimSuggestions',
  generateDkimKey: 'mailconf.server.generateDkimKey',
  generateSpfRecord: 'mailconf.server.generateSpfRecord',
  generateDmarcRecord: 'mailconf.server.generateDmarcRecord',
} as const;

/** Sent by the server whenever what the status bar shows changes. */
export const STATUS_NOTIFICATION = 'mailconf/status';

export interface DnsStatus {
  enabled: boolean;
  trusted: boolean;
  servers: string[];
  lastError?: string;
}

/** A report for the editor to show as a read-only document. */
export interface Report {
  title: string;
  markdown: string;
}

/** mailconf.server.dkimSuggestions: what the DKIM prompts offer. */
export interface Suggestions {
  domains: string[];
  selector: string;
  /** Key directories per domain, best first. */
  keyDirectories: Record<string, string[]>;
  algorithms: Array<{ algorithm: string; label: string; notes: string[]; isDefault: boolean }>;
  /** Zone files that can take a domain's DKIM record, per domain. */
  zones: Array<{ uri: string; origin: string; domains: string[] }>;
}

/** mailconf.server.generateDkimKey's answer (never any key material). */
export interface GenerateDkimResult {
  privateKeyPath: string;
  txtPath: string;
  recordName: string;
  relativeOwner: string;
  webFormValue: string;
  keyTableLine: string;
  signingTableLine: string;
  /** What was changed besides the key files, one phrase each. */
  applied: string[];
  notes: string[];
}

/** mailconf.server.generateSpfRecord / generateDmarcRecord's answer. */
export interface GeneratedRecordResult {
  owner: string;
  value: string;
  /** The record as a zone-file line (absolute owner). */
  zoneText: string;
  notes: string[];
  /** Zone files that can take the record. */
  zones: Array<{ uri: string; owner: string; origin: string }>;
  /** What was inserted where, when asked to insert. */
  inserted?: string;
  /** The zone files already publish a record of this kind there (insertion then replaces it, when asked). */
  existing: boolean;
  lookups?: number;
}
