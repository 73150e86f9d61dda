// What the smtpd restrictions do, in our own words, for hover and completion. The facts
// (what each examines, its argument, aliases, deprecations) are in restrictions.json;
// restrictions without a sentence here get one built from those facts.

import { getRestriction, type RestrictionInfo } from '../../postfix/catalogue';

const TEXTS: Record<string, string> = {
  check_ccert_access: 'Looks up the client certificate fingerprint in the table (needs TLS with client certificates).',
  check_client_access: 'Looks up the client\'s hostname, IP address and parent domains/networks in the table and applies the action found.',
  check_client_a_access: 'Looks up the IP addresses of the client\'s hostname in the table.',
  check_client_mx_access: 'Looks up the MX hosts of the client\'s hostname in the table.',
  check_client_ns_access: 'Looks up the DNS servers of the client\'s hostname in the table.',
  check_etrn_access: 'Looks up the ETRN domain in the table.',
  check_helo_access: 'Looks up the HELO/EHLO name and its parent domains in the table.',
  check_helo_a_access: 'Looks up the IP addresses of the HELO name in the table.',
  check_helo_mx_access: 'Looks up the MX hosts of the HELO name in the table.',
  check_helo_ns_access: 'Looks up the DNS servers of the HELO name in the table.',
  check_policy_service: 'Asks an external policy server (SPF checks, greylisting, rate limits …) what to do. The next word ' +
    'is where it listens: `unix:private/NAME` for a master.cf service NAME, or `inet:host:port`.',
  check_recipient_access: 'Looks up the recipient address, its domain and parent domains in the table.',
  check_recipient_a_access: 'Looks up the IP addresses of the recipient domain in the table.',
  check_recipient_mx_access: 'Looks up the MX hosts of the recipient domain in the table.',
  check_recipient_ns_access: 'Looks up the DNS servers of the recipient domain in the table.',
  check_reverse_client_hostname_access: 'Looks up the client\'s reverse (PTR) hostname in the table, even if it does not resolve back.',
  check_sasl_access: 'Looks up the SASL login name in the table.',
  check_sender_access: 'Looks up the envelope sender address, its domain and parent domains in the table.',
  check_sender_a_access: 'Looks up the IP addresses of the sender domain in the table.',
  check_sender_mx_access: 'Looks up the MX hosts of the sender domain in the table.',
  check_sender_ns_access: 'Looks up the DNS servers of the sender domain in the table.',
  defer: 'Always answers with a temporary error: the client tries again later.',
  defer_if_permit: 'Turns a later `permit` of this list into a temporary error.',
  defer_if_reject: 'Turns a later `reject` of this list into a temporary error.',
  defer_unauth_destination: 'Like reject_unauth_destination, but answers with a temporary error. Either one is the relay ' +
    'control that stops Postfix from being an open relay.',
  permit: 'Accepts: the rest of this list is not evaluated. Usually the last word of a list.',
  permit_auth_destination: 'Accepts mail for domains this server handles (mydestination, relay_domains, virtual domains …).',
  permit_dnswl_client: 'Accepts clients listed on the given DNS allowlist.',
  permit_inet_interfaces: 'Accepts clients connecting from one of this server\'s own addresses.',
  permit_mx_backup: 'Accepts mail for domains that list this server as a backup MX. Deprecated: list the domains in relay_domains instead.',
  permit_mynetworks: 'Accepts clients whose address is in mynetworks (your own trusted networks).',
  permit_rhswl_client: 'Accepts clients whose hostname is on the given DNS allowlist.',
  permit_sasl_authenticated: 'Accepts clients that logged in with SMTP AUTH.',
  permit_tls_all_clientcerts: 'Accepts any client presenting a verified TLS client certificate.',
  permit_tls_clientcerts: 'Accepts clients whose TLS certificate fingerprint is listed in relay_clientcerts.',
  reject: 'Always rejects. Usually the last word of a list.',
  reject_authenticated_sender_login_mismatch: 'Rejects logged-in clients that use a sender address their login does not own (smtpd_sender_login_maps).',
  reject_invalid_helo_hostname: 'Rejects a HELO name that is not a valid hostname.',
  reject_known_sender_login_mismatch: 'Rejects a sender address that smtpd_sender_login_maps assigns to a login the client did not use.',
  reject_multi_recipient_bounce: 'Rejects bounce messages (null sender) with more than one recipient.',
  reject_non_fqdn_helo_hostname: 'Rejects a HELO name that is not a fully-qualified domain name.',
  reject_non_fqdn_recipient: 'Rejects a recipient address without a fully-qualified domain.',
  reject_non_fqdn_sender: 'Rejects a sender address without a fully-qualified domain.',
  reject_plaintext_session: 'Rejects clients that did not start TLS.',
  reject_rbl_client: 'Rejects clients whose IP address is on the given DNS blocklist (e.g. zen.spamhaus.org).',
  reject_rhsbl_client: 'Rejects clients whose hostname is on the given domain blocklist.',
  reject_rhsbl_helo: 'Rejects a HELO name on the given domain blocklist.',
  reject_rhsbl_recipient: 'Rejects a recipient domain on the given domain blocklist.',
  reject_rhsbl_reverse_client: 'Rejects clients whose reverse hostname is on the given domain blocklist.',
  reject_rhsbl_sender: 'Rejects a sender domain on the given domain blocklist.',
  reject_sender_login_mismatch: 'Both reject_authenticated_sender_login_mismatch and reject_unauthenticated_sender_login_mismatch.',
  reject_unauth_destination: 'Rejects mail for domains this server does not handle unless the client was permitted earlier ' +
    '(mynetworks, SASL login). This is the relay control: without it (or defer_unauth_destination) smtpd refuses mail or ' +
    'the server is an open relay.',
  reject_unauth_pipelining: 'Rejects clients that send commands ahead of time without PIPELINING (typical of spamware).',
  reject_unauthenticated_sender_login_mismatch: 'Rejects clients that did not log in but use a sender address owned by a login.',
  reject_unknown_client_hostname: 'Rejects clients without a reverse hostname that resolves back to their address.',
  reject_unknown_helo_hostname: 'Rejects a HELO name with no DNS A or MX record.',
  reject_unknown_recipient_domain: 'Rejects a recipient domain with no DNS A or MX record (unless this server handles it).',
  reject_unknown_reverse_client_hostname: 'Rejects clients whose address has no reverse (PTR) hostname at all.',
  reject_unknown_sender_domain: 'Rejects a sender domain with no DNS A or MX record: replies to it could never be delivered.',
  reject_unlisted_recipient: 'Rejects recipients that do not exist in the domains this server handles.',
  reject_unlisted_sender: 'Rejects sender addresses in this server\'s own domains that do not exist.',
  reject_unverified_recipient: 'Rejects recipients that address verification (a probe) finds undeliverable.',
  reject_unverified_sender: 'Rejects senders that address verification (a probe) finds undeliverable.',
  sleep: 'Waits the given number of seconds before going on (slows down pre-greeting spamware).',
  warn_if_reject: 'Turns the next restriction\'s reject into a warning in the log (for testing a restriction).',
};

const EXAMINES: Record<RestrictionInfo['examines'], string> = {
  generic: 'any stage',
  client: 'the client (its address or hostname)',
  helo: 'the HELO/EHLO name',
  sender: 'the envelope sender',
  recipient: 'the envelope recipient',
  etrn: 'the ETRN command',
};

const ARGUMENTS: Record<string, string> = {
  table: 'a lookup table (`type:name`)',
  policyService: 'a policy server address',
  seconds: 'a number of seconds',
  dnsList: 'a DNS list domain',
};

/** Markdown describing restriction `name`, or undefined when it is not one. */
export function describeRestriction(name: string): string | undefined {
  const info = getRestriction(name);
  if (!info) return undefined;
  const lines: string[] = [`**${info.name}** — smtpd restriction`, ''];
  const alias = info.aliasOf ? getRestriction(info.aliasOf) : undefined;
  const text = TEXTS[info.name] ?? (alias ? TEXTS[alias.name] : undefined);
  if (info.aliasOf) lines.push(`The older name of \`${info.aliasOf}\`.`, '');
  if (text) lines.push(text, '');
  const facts: string[] = [`Examines ${EXAMINES[info.examines]}.`];
  if (info.argument) facts.push(`Takes ${ARGUMENTS[info.argument] ?? info.argument} as the next word.`);
  if (info.expandsTo) facts.push(`Stands for ${info.expandsTo.map((r) => `\`${r}\``).join(' + ')}.`);
  if (info.since) facts.push(`Since Postfix ${info.since}.`);
  lines.push(facts.join(' '));
  if (info.deprecated) {
    const d = info.deprecated;
    const parts = [`Deprecated${d.since ? ` since Postfix ${d.since}` : ''}`];
    if (d.removedIn) parts.push(`removed in ${d.removedIn}`);
    lines.push('', `⚠ ${parts.join(', ')}${d.replacement ? `: use \`${d.replacement}\`` : ''}.`);
  }
  const docs = info.docs ?? alias?.docs;
  if (docs) lines.push('', `[postconf(5)](${docs})`);
  return lines.join('\n');
}

/** One line for completion details. */
export function restrictionSummary(name: string): string | undefined {
  const info = getRestriction(name);
  if (!info) return undefined;
  return TEXTS[info.name] ?? (info.aliasOf ? TEXTS[info.aliasOf] : undefined);
}
