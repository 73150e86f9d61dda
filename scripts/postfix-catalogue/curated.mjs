// Facts that the generator cannot derive mechanically, written down by hand from the
// upstream postconf(5) manual and the C sources. Every entry is checked by the generator
// against the sources it cites (an enumeration value must occur in the parameter's manual
// text, a name must exist), so a typo here stops the build instead of shipping.

/**
 * Parameters whose value is one word (or, with `multiple`, several words) out of a fixed
 * set. `docsOf` names the parameter whose manual entry lists the values (the LMTP,
 * postscreen and tlsproxy variants only say "see smtp_…"). `valueSince` records values
 * added after the parameter itself. `empty` means the empty value is also accepted.
 */
export const ENUMERATIONS = [
  { names: ['milter_default_action'], values: ['accept', 'reject', 'tempfail', 'quarantine', 'shutdown'], valueSince: { quarantine: '2.6', shutdown: '3.11' } },
  { names: ['milter_protocol'], values: ['2', '3', '4', '5', '6'] },
  {
    names: ['smtpd_tls_security_level', 'postscreen_tls_security_level', 'tlsproxy_tls_security_level'],
    docsOf: 'smtpd_tls_security_level',
    values: ['none', 'may', 'encrypt'],
    empty: true,
  },
  {
    names: ['smtp_tls_security_level', 'lmtp_tls_security_level', 'tlsproxy_client_security_level', 'tlsproxy_client_level'],
    docsOf: 'smtp_tls_security_level',
    values: ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'],
    empty: true,
  },
  { names: ['inet_protocols'], values: ['all', 'ipv4', 'ipv6'], multiple: true },
  { names: ['mynetworks_style'], values: ['host', 'subnet', 'class'] },
  { names: ['smtp_dns_support_level', 'lmtp_dns_support_level'], docsOf: 'smtp_dns_support_level', values: ['disabled', 'enabled', 'dnssec'], empty: true },
  { names: ['smtp_host_lookup', 'lmtp_host_lookup'], docsOf: 'smtp_host_lookup', values: ['dns', 'native'], multiple: true },
  {
    names: [
      'smtpd_tls_mandatory_ciphers', 'smtp_tls_mandatory_ciphers', 'lmtp_tls_mandatory_ciphers',
      'postscreen_tls_mandatory_ciphers', 'tlsproxy_tls_mandatory_ciphers',
      'smtpd_tls_ciphers', 'smtp_tls_ciphers', 'lmtp_tls_ciphers', 'postscreen_tls_ciphers',
      'tlsproxy_tls_ciphers',
    ],
    docsOf: 'smtpd_tls_mandatory_ciphers',
    values: ['high', 'medium', 'low', 'export', 'null'],
  },
  {
    names: ['smtpd_tls_eecdh_grade', 'postscreen_tls_eecdh_grade', 'tlsproxy_tls_eecdh_grade'],
    docsOf: 'smtpd_tls_eecdh_grade',
    values: ['auto', 'none', 'strong', 'ultra'],
  },
  { names: ['notify_classes'], values: ['bounce', '2bounce', 'data', 'delay', 'policy', 'protocol', 'resource', 'software'], multiple: true, empty: true },
  {
    names: [
      'postscreen_dnsbl_action', 'postscreen_greet_action', 'postscreen_denylist_action',
      'postscreen_blacklist_action', 'postscreen_pipelining_action',
      'postscreen_non_smtp_command_action', 'postscreen_bare_newline_action',
    ],
    docsOf: 'postscreen_greet_action',
    values: ['ignore', 'enforce', 'drop'],
  },
  { names: ['sendmail_fix_line_endings'], values: ['always', 'strict', 'never'] },
  { names: ['header_from_format'], values: ['standard', 'obsolete'] },
  { names: ['smtpd_forbid_bare_newline'], values: ['yes', 'no', 'normalize', 'reject', 'note'], valueSince: { normalize: '3.9', reject: '3.9', note: '3.9' } },
  { names: ['non_empty_end_of_header_action'], values: ['fix_quietly', 'add_header', 'reject'] },
  { names: ['smtp_tls_dane_insecure_mx_policy'], values: ['may', 'encrypt', 'dane'] },
  { names: ['internal_mail_filter_classes'], values: ['bounce', 'notify'], multiple: true, empty: true },
  { names: ['smtputf8_autodetect_classes'], values: ['sendmail', 'smtpd', 'qmqpd', 'forward', 'bounce', 'notify', 'verify', 'all'], multiple: true, empty: true },
  { names: ['smtp_pix_workarounds', 'lmtp_pix_workarounds'], docsOf: 'smtp_pix_workarounds', values: ['delay_dotcrlf', 'disable_esmtp'], multiple: true, empty: true },
  {
    names: [
      'smtp_sasl_security_options', 'smtp_sasl_tls_security_options', 'smtp_sasl_tls_verified_security_options',
      'lmtp_sasl_security_options', 'lmtp_sasl_tls_security_options', 'lmtp_sasl_tls_verified_security_options',
    ],
    docsOf: 'smtp_sasl_security_options',
    values: ['noplaintext', 'noactive', 'nodictionary', 'noanonymous', 'mutual_auth'],
    multiple: true,
    empty: true,
  },
  {
    names: ['smtpd_sasl_security_options', 'smtpd_sasl_tls_security_options'],
    docsOf: 'smtpd_sasl_security_options',
    values: ['noplaintext', 'noactive', 'nodictionary', 'noanonymous', 'forward_secrecy', 'mutual_auth'],
    multiple: true,
    empty: true,
  },
  { names: ['smtp_dns_resolver_options', 'lmtp_dns_resolver_options'], docsOf: 'smtp_dns_resolver_options', values: ['res_defnames', 'res_dnsrch'], multiple: true, empty: true },
  {
    names: ['masquerade_classes', 'canonical_classes'],
    values: ['envelope_sender', 'envelope_recipient', 'header_sender', 'header_recipient'],
    multiple: true,
  },
  { names: ['sender_canonical_classes'], values: ['envelope_sender', 'header_sender'], multiple: true },
  { names: ['recipient_canonical_classes'], values: ['envelope_recipient', 'header_recipient'], multiple: true },
  { names: ['propagate_unmatched_extensions'], values: ['canonical', 'virtual', 'alias', 'forward', 'include', 'generic'], multiple: true, empty: true },
  { names: ['smtp_address_preference', 'lmtp_address_preference'], docsOf: 'smtp_address_preference', values: ['ipv6', 'ipv4', 'any'] },
  { names: ['smtp_address_verify_target', 'lmtp_address_verify_target'], docsOf: 'smtp_address_verify_target', values: ['rcpt', 'data'] },
  { names: ['info_log_address_format'], values: ['external', 'internal'] },
  {
    names: [
      'reject_tempfail_action', 'unknown_address_tempfail_action', 'unknown_helo_hostname_tempfail_action',
      'unverified_recipient_tempfail_action', 'unverified_sender_tempfail_action',
    ],
    docsOf: 'reject_tempfail_action',
    values: ['defer', 'defer_if_permit'],
  },
  { names: ['smtpd_upstream_proxy_protocol', 'postscreen_upstream_proxy_protocol'], docsOf: 'smtpd_upstream_proxy_protocol', values: ['haproxy'], empty: true },
  { names: ['non_bdb_migration_level'], values: ['disable', 'enable-redirect', 'enable-reindex'] },
  { names: ['allow_mail_to_commands', 'allow_mail_to_files'], docsOf: 'allow_mail_to_commands', values: ['alias', 'forward', 'include'], multiple: true, empty: true },
  { names: ['prepend_delivered_header'], values: ['command', 'file', 'forward'], multiple: true, empty: true },
  { names: ['receive_override_options'], values: ['no_unknown_recipient_checks', 'no_address_mappings', 'no_header_body_checks', 'no_milters'], multiple: true, empty: true },
  { names: ['smtpd_proxy_options'], values: ['speed_adjust'], multiple: true, empty: true },
  // postscreen's access list is not an smtpd restriction list: only these words and type:table.
  { names: ['postscreen_access_list'], values: ['permit_mynetworks', 'permit', 'reject', 'dunno'], multiple: true, empty: true, tablesAllowed: true },
  { names: ['local_header_rewrite_clients'], values: ['permit_inet_interfaces', 'permit_mynetworks', 'permit_sasl_authenticated', 'permit_tls_clientcerts', 'permit_tls_all_clientcerts'], multiple: true, empty: true, tablesAllowed: true },
];

/** Integer parameters that count bytes. */
export const SIZE_PARAMETER = /(^|_)(size_limit|buffer_size|map_size|max_query_size|max_reply_size|line_length_limit|windowsize|minfree)$|^(message_size_limit|mailbox_size_limit|virtual_mailbox_limit|header_size_limit|bounce_size_limit|body_checks_size_limit|mime_boundary_length_limit)$/;

/**
 * Kinds that name rules cannot find (or would get wrong). The generator fails if one of
 * these names does not exist.
 */
export const KIND_OVERRIDES = {
  // Match lists of client addresses / networks / host names.
  mynetworks: { kind: 'hostList' },
  inet_interfaces: { kind: 'hostList' },
  proxy_interfaces: { kind: 'hostList' },
  debug_peer_list: { kind: 'hostList' },
  relayhost: { kind: 'hostList' },
  smtp_fallback_relay: { kind: 'hostList' },
  lmtp_fallback_relay: { kind: 'hostList' },
  fallback_relay: { kind: 'hostList' },
  address_verify_relayhost: { kind: 'hostList' },
  permit_mx_backup_networks: { kind: 'hostList' },
  smtpd_forbid_bare_newline_exclusions: { kind: 'hostList' },
  smtpd_client_event_limit_exceptions: { kind: 'hostList' },
  smtpd_client_connection_limit_exceptions: { kind: 'hostList' },
  relay_clientcerts: { kind: 'lookupTables' },
  // Domain match lists.
  mydestination: { kind: 'domainList' },
  // Lists whose value is a restriction-like list or other names.
  smtpd_restriction_classes: { kind: 'list', items: 'parameterName' },
  parent_domain_matches_subdomains: { kind: 'list', items: 'parameterName' },
  // The methods are system dependent; `postconf -l` lists them.
  mailbox_delivery_lock: { kind: 'list', items: 'lockMethod' },
  virtual_mailbox_lock: { kind: 'list', items: 'lockMethod' },
  smtpd_log_access_permit_actions: { kind: 'list', items: 'restriction' },
  defer_transports: { kind: 'list', items: 'service' },
  use_srv_lookup: { kind: 'list' },
  postscreen_dnsbl_sites: { kind: 'list', items: 'dnsList' },
  connection_cache_service: { kind: 'service' },
  smtpd_proxy_filter: { kind: 'string', items: 'endpoint' },
  smtp_sasl_auth_cache_name: { kind: 'lookupTables' },
  lmtp_sasl_auth_cache_name: { kind: 'lookupTables' },
  smtp_tls_per_site: { kind: 'lookupTables' },
  lmtp_tls_per_site: { kind: 'lookupTables' },
  tlsproxy_client_per_site: { kind: 'lookupTables' },
  tlsproxy_client_policy: { kind: 'lookupTables' },
  virtual_mailbox_base: { kind: 'path' },
  always_bcc: { kind: 'string', items: 'address' },
  luser_relay: { kind: 'string', items: 'address' },
  empty_address_recipient: { kind: 'string', items: 'address' },
  double_bounce_sender: { kind: 'string', items: 'address' },
  '2bounce_notice_recipient': { kind: 'string', items: 'address' },
  bounce_notice_recipient: { kind: 'string', items: 'address' },
  delay_notice_recipient: { kind: 'string', items: 'address' },
  error_notice_recipient: { kind: 'string', items: 'address' },
  // Strings that contain blanks or commas but are one text (a banner, a reply, a character set).
  smtpd_banner: { kind: 'string' },
  default_rbl_reply: { kind: 'string' },
  smtpd_policy_service_default_action: { kind: 'string' },
  milter_macro_v: { kind: 'string' },
  command_expansion_filter: { kind: 'string' },
  forward_expansion_filter: { kind: 'string' },
  execution_directory_expansion_filter: { kind: 'string' },
  smtpd_expansion_filter: { kind: 'string' },
  smtp_requiretls_policy: { kind: 'string' },
  lmtp_requiretls_policy: { kind: 'string' },
  // Single lookup tables that are not called *_maps.
  address_verify_map: { kind: 'lookupTables' },
  postscreen_cache_map: { kind: 'lookupTables' },
  alias_database: { kind: 'lookupTables' },
  smtpd_tls_session_cache_database: { kind: 'lookupTables' },
  smtp_tls_session_cache_database: { kind: 'lookupTables' },
  lmtp_tls_session_cache_database: { kind: 'lookupTables' },
  smtpd_command_filter: { kind: 'lookupTables' },
  postscreen_command_filter: { kind: 'lookupTables' },
  smtp_dns_reply_filter: { kind: 'lookupTables' },
  lmtp_dns_reply_filter: { kind: 'lookupTables' },
  smtpd_dns_reply_filter: { kind: 'lookupTables' },
  smtp_reply_filter: { kind: 'lookupTables' },
  lmtp_reply_filter: { kind: 'lookupTables' },
  default_delivery_status_filter: { kind: 'lookupTables' },
  smtp_delivery_status_filter: { kind: 'lookupTables' },
  lmtp_delivery_status_filter: { kind: 'lookupTables' },
  local_delivery_status_filter: { kind: 'lookupTables' },
  pipe_delivery_status_filter: { kind: 'lookupTables' },
  virtual_delivery_status_filter: { kind: 'lookupTables' },
  authorized_flush_users: { kind: 'list', items: 'user' },
  authorized_mailq_users: { kind: 'list', items: 'user' },
  authorized_submit_users: { kind: 'list', items: 'user' },
  // Mail delivery transports ("transport" or "transport:nexthop").
  content_filter: { kind: 'transport' },
  // Things that look like paths by name but are not file names.
  smtpd_sasl_path: { kind: 'string' },
  smtp_sasl_path: { kind: 'string' },
  lmtp_sasl_path: { kind: 'string' },
  home_mailbox: { kind: 'string' },
  tls_random_source: { kind: 'string' },
  tls_random_exchange_name: { kind: 'path' },
  openssl_path: { kind: 'path' },
  alternate_config_directories: { kind: 'list', items: 'path' },
  multi_instance_directories: { kind: 'list', items: 'path' },
  maillog_file_prefixes: { kind: 'list', items: 'path' },
  // Commands run by local(8)/virtual(8)/pipe(8).
  mailbox_command: { kind: 'string', items: 'command' },
  local_command_shell: { kind: 'path' },
  compatibility_level: { kind: 'string', items: 'compatibilityLevel' },
  default_database_type: { kind: 'string', items: 'tableType' },
  default_cache_db_type: { kind: 'string', items: 'tableType' },
  myhostname: { kind: 'string', items: 'hostname' },
  mydomain: { kind: 'string', items: 'hostname' },
  myorigin: { kind: 'string', items: 'hostname' },
  smtp_helo_name: { kind: 'string', items: 'hostname' },
  lmtp_lhlo_name: { kind: 'string', items: 'hostname' },
  smtpd_proxy_ehlo: { kind: 'string', items: 'hostname' },
  milter_macro_daemon_name: { kind: 'string' },
  forward_path: { kind: 'list', items: 'path' },
};

/**
 * Deprecations the manual states in prose that the regular phrasings in proto.mjs miss.
 * Each says what replaces the parameter and since which version it is superseded.
 */
export const EXTRA_DEPRECATIONS = {
  // "The LMTP-specific version of …": the manual points to the SMTP entry.
  lmtp_tls_enforce_peername: { status: 'deprecated', since: '2.3', replacement: 'lmtp_tls_security_level' },
  // "With Postfix version 2.0 and later, this is replaced by separate controls:
  // virtual_alias_domains and virtual_alias_maps" (the maps part is the direct successor).
  virtual_maps: { status: 'renamed', since: '2.0', replacement: 'virtual_alias_maps' },
  // "Postfix 3.7 and later use …_per_request_deadline" (the LMTP entry says "see smtp").
  smtpd_per_record_deadline: { status: 'renamed', since: '3.7', replacement: 'smtpd_per_request_deadline' },
  smtp_per_record_deadline: { status: 'renamed', since: '3.7', replacement: 'smtp_per_request_deadline' },
  lmtp_per_record_deadline: { status: 'renamed', since: '3.7', replacement: 'lmtp_per_request_deadline' },
  // postscreen_tls_security_level (2.8) "overrides the obsolete parameters postscreen_use_tls
  // and postscreen_enforce_tls".
  postscreen_use_tls: { status: 'deprecated', since: '2.8', replacement: 'postscreen_tls_security_level' },
  postscreen_enforce_tls: { status: 'deprecated', since: '2.8', replacement: 'postscreen_tls_security_level' },
  // smtpd_check.c: "Restriction reject_maps_rbl is deprecated as of Postfix 2.1"; this is its list.
  maps_rbl_domains: { status: 'obsolete', since: '2.1' },
  // "available in Postfix 3.4 through 3.11"; postconf 3.12 says "do not specify".
  tlsproxy_client_loglevel_parameter: { status: 'removed', since: '3.12' },
  // "available in Postfix version 2.2 and earlier"; 2.3 has three separate controls instead.
  lmtp_cache_connection: { status: 'removed', since: '2.3' },
};

/**
 * Restrictions that take the next word of the list as their argument, and its shape.
 * The generator finds which restrictions consume an argument from smtpd_check.c and
 * fails if one is missing here.
 */
export const RESTRICTION_ARGUMENTS = {
  check_policy_service: 'policyService', // inet:host:port or unix:private/name
  sleep: 'seconds',
  reject_rbl_client: 'dnsList', // rbl.example.org or rbl.example.org=127.0.0.[2..11]
  reject_rbl: 'dnsList',
  permit_dnswl_client: 'dnsList',
  reject_rhsbl_client: 'dnsList',
  reject_rhsbl_reverse_client: 'dnsList',
  reject_rhsbl_helo: 'dnsList',
  reject_rhsbl_sender: 'dnsList',
  reject_rhsbl_recipient: 'dnsList',
  permit_rhswl_client: 'dnsList',
};

/** Old restriction names that still work as another name for a newer one. */
export const RESTRICTION_ALIASES = {
  reject_unknown_client: 'reject_unknown_client_hostname',
  reject_invalid_hostname: 'reject_invalid_helo_hostname',
  reject_unknown_hostname: 'reject_unknown_helo_hostname',
  reject_non_fqdn_hostname: 'reject_non_fqdn_helo_hostname',
  reject_rbl: 'reject_rbl_client',
  check_recipient_maps: 'reject_unlisted_recipient',
};

/**
 * Restrictions the sources mark as deprecated or removed (smtpd_check.c warnings:
 * "will be removed" / "has been removed in Postfix 3.9"; the manual for the versions).
 */
export const RESTRICTION_DEPRECATIONS = {
  check_relay_domains: { since: '2.2', removedIn: '3.9', replacement: 'reject_unauth_destination' },
  reject_maps_rbl: { since: '2.1', removedIn: '3.9', replacement: 'reject_rbl_client' },
  permit_naked_ip_address: { since: '2.0', removedIn: '3.9', replacement: 'permit_mynetworks' },
  permit_mx_backup: { since: '3.9', replacement: 'relay_domains' },
};

/**
 * Lookup table types: how the table name is written and which Debian package provides
 * the map type (Debian splits the database clients out of the postfix package).
 */
export const TABLE_TYPES = {
  btree: { form: 'indexedFile', postmap: true },
  cdb: { form: 'indexedFile', postmap: true, debianPackage: 'postfix-cdb' },
  dbm: { form: 'indexedFile', postmap: true },
  hash: { form: 'indexedFile', postmap: true },
  lmdb: { form: 'indexedFile', postmap: true, debianPackage: 'postfix-lmdb' },
  sdbm: { form: 'indexedFile', postmap: true },
  cidr: { form: 'patternFile' },
  pcre: { form: 'patternFile', inlineAllowed: true, debianPackage: 'postfix-pcre' },
  regexp: { form: 'patternFile', inlineAllowed: true },
  texthash: { form: 'textFile' },
  ldap: { form: 'clientConfig', debianPackage: 'postfix-ldap' },
  mysql: { form: 'clientConfig', debianPackage: 'postfix-mysql' },
  pgsql: { form: 'clientConfig', debianPackage: 'postfix-pgsql' },
  sqlite: { form: 'clientConfig', debianPackage: 'postfix-sqlite' },
  memcache: { form: 'clientConfig' },
  mongodb: { form: 'clientConfig' },
  inline: { form: 'inline' },
  static: { form: 'literal' },
  fail: { form: 'literal' },
  randmap: { form: 'inline' },
  pipemap: { form: 'inline' },
  unionmap: { form: 'inline' },
  proxy: { form: 'wrapper' },
  debug: { form: 'wrapper' },
  tcp: { form: 'endpoint' },
  socketmap: { form: 'endpoint' },
  unix: { form: 'systemName' },
  nis: { form: 'systemName' },
  nisplus: { form: 'systemName' },
  netinfo: { form: 'systemName' },
  environ: { form: 'literal' },
  internal: { form: 'literal' },
};

/** Macro names of dictionary types that are internal to Postfix (tests, error stand-ins). */
export const INTERNAL_TABLE_TYPES = new Set(['non-existent', 'non-UTF-8', 'test']);
