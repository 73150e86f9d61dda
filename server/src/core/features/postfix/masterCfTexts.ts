// What master.cf's columns, service types and daemon commands mean, in our own words, for
// hover and completion. Facts from master(5) and the daemons' manual pages.

import type { MasterColumn } from './locate';

export interface ColumnText {
  title: string;
  /** What the column controls. */
  about: string;
  /** What its default `-` means. */
  dash?: string;
}

export const COLUMN_TEXTS: Record<MasterColumn, ColumnText> = {
  name: {
    title: 'service name (column 1)',
    about: 'For an `inet` service, where it listens: a port name from /etc/services (`smtp`, `submission`) or number, ' +
      'optionally `host:port`. For a `unix` service, the socket name under `$queue_directory/private` or `public` — and the ' +
      'name main.cf uses for it as a transport (`*_transport`, `content_filter`, transport maps) or policy service.',
  },
  type: {
    title: 'service type (column 2)',
    about: 'How clients reach the service: `inet` (TCP socket), `unix` (UNIX-domain stream socket), `unix-dgram` (UNIX-domain ' +
      'datagram socket), `fifo` (named pipe) or `pass` (a socket over which other processes hand over connections).',
  },
  private: {
    title: 'private (column 3)',
    about: '`y`: the socket lives in `$queue_directory/private`, reachable only by Postfix itself. `n`: in `public`, reachable ' +
      'by local users (pickup, showq, flush). An `inet` service must say `n`.',
    dash: 'the default: `y` (private).',
  },
  unprivileged: {
    title: 'unpriv (column 4)',
    about: '`y`: the daemon runs as the unprivileged `$mail_owner` (postfix). `n`: it keeps root privileges — needed by ' +
      '`local`, `virtual` and `pipe`/`spawn` services that switch to another user themselves.',
    dash: 'the default: `y` (unprivileged).',
  },
  chroot: {
    title: 'chroot (column 5)',
    about: '`y`: the daemon runs chrooted in `$queue_directory` (usually /var/spool/postfix). Everything it opens must then ' +
      'exist inside that jail: a milter or policy socket such as `/run/opendkim/opendkim.sock` must be reachable as ' +
      '`/var/spool/postfix/run/opendkim/opendkim.sock` (or be a TCP socket), and so must files like /etc/resolv.conf. ' +
      '`n`: no jail, paths are what they say.',
    dash: 'the default: `n` since Postfix 3.0 (`y` before). Debian\'s stock master.cf writes `y` for most services.',
  },
  wakeup: {
    title: 'wakeup (column 6)',
    about: 'Every this many seconds master(8) wakes the service up (pickup, qmgr, flush need it). A trailing `?` wakes it only ' +
      'when it is in use. `0` means never.',
    dash: 'the default: `0` (no wake-up).',
  },
  maxproc: {
    title: 'maxproc (column 7)',
    about: 'The most processes of this service that may run at the same time; `0` means no limit.',
    dash: 'the default: `$default_process_limit` (100).',
  },
  command: {
    title: 'command (column 8)',
    about: 'The program to run, from `$daemon_directory`, followed by its arguments: `-o name=value` overrides main.cf for ' +
      'this service only; `-v` logs verbosely. pipe(8) and spawn(8) services add `user=…` and `argv=…` for the external command.',
  },
};

export const SERVICE_TYPE_TEXTS: Record<string, string> = {
  inet: 'A TCP service: master(8) listens on the port (and address) named in column 1.',
  unix: 'A UNIX-domain stream socket in `$queue_directory/private` or `public`; internal services and transports are of this type.',
  'unix-dgram': 'A UNIX-domain datagram socket (used by postlogd for logging without syslog).',
  fifo: 'A named pipe in `$queue_directory/public` (the traditional way to trigger pickup and qmgr).',
  pass: 'A UNIX-domain socket over which another process passes open connections (postscreen hands clients to smtpd this way).',
};

export const YES_NO_TEXTS: Record<string, string> = {
  y: 'yes',
  n: 'no',
  '-': 'the default',
};

/** Postfix daemons that can stand in column 8, with what each does. */
export const COMMAND_TEXTS: Record<string, string> = {
  anvil: 'Keeps connection and rate counters for smtpd\'s client limits (smtpd_client_*_rate_limit).',
  bounce: 'Writes delivery status notifications (bounces, delay warnings); also runs as the defer and trace services.',
  cleanup: 'Canonicalizes incoming mail, applies header/body checks, non-SMTP milters and address rewriting, and writes it to the queue.',
  discard: 'A delivery agent that throws mail away, reporting it as delivered.',
  dnsblog: 'Does DNS blocklist lookups for postscreen.',
  error: 'A delivery agent that always fails (or defers), with the reason given as next-hop.',
  flush: 'Maintains per-destination logs of deferred mail for fast ETRN/`sendmail -qR` flushing.',
  lmtp: 'The LMTP client: delivers over LMTP, typically to Dovecot or Cyrus (`lmtp:unix:private/dovecot-lmtp`).',
  local: 'Local delivery: aliases, .forward files, mailbox or maildir of local users (runs with root privileges).',
  master: 'The Postfix resident process manager (not a service command).',
  nqmgr: 'The queue manager under its old name (same program as qmgr).',
  oqmgr: 'The old queue manager with the simpler scheduler.',
  pickup: 'Picks up mail that local programs dropped into the maildrop directory and hands it to cleanup.',
  pipe: 'Delivers by running an external command (`argv=…`) once per message or recipient group; used for filters and LDAs.',
  postlogd: 'Writes Postfix logs to a file or stdout instead of syslog (maillog_file).',
  postscreen: 'Screens SMTP clients on port 25 before they reach smtpd (pregreet, DNSBL and protocol tests).',
  proxymap: 'Serves lookup tables to other processes (proxy: tables), so chrooted daemons can read them.',
  qmgr: 'The queue manager: schedules delivery of queued mail to the transports.',
  qmqpd: 'Receives mail over QMQP.',
  scache: 'Caches SMTP/LMTP connections for reuse.',
  showq: 'Lists the mail queue for mailq/postqueue -p.',
  smtp: 'The SMTP client: delivers mail to other servers (also used for relay and LMTP-less content filters).',
  smtpd: 'The SMTP server: receives mail from the network and applies the smtpd_*_restrictions.',
  spawn: 'Runs an external program per connection, e.g. a policy service such as policyd-spf (`argv=…`).',
  tlsmgr: 'Manages the TLS session caches and the random number pool.',
  tlsproxy: 'Does TLS for postscreen (STARTTLS) and for the SMTP client\'s connection reuse.',
  'trivial-rewrite': 'Rewrites addresses to standard form and decides the transport for each recipient (the rewrite service).',
  verify: 'Does address verification (reject_unverified_*) and caches the results.',
  virtual: 'Delivers to virtual mailboxes (virtual_mailbox_maps) with fixed uid/gid.',
};

/** pipe(8)/spawn(8) attributes after the options. */
export const ATTRIBUTE_TEXTS: Record<string, string> = {
  user: 'The user (and optionally `:group`) the external command runs as; must not be root or $mail_owner.',
  argv: 'The external command and its arguments; everything after `argv=` belongs to it. pipe(8) expands `${sender}`, ' +
    '`${recipient}`, `${nexthop}` … in the arguments.',
  flags: 'pipe(8) delivery flags, one letter each: `D` adds Delivered-To, `R` Return-Path, `F` a From_ line, `O` X-Original-To, ' +
    '`q` quotes addresses, `h`/`u` fold host/user to lower case …',
  size: 'pipe(8): the largest message (bytes) the command accepts.',
  eol: 'pipe(8): the line terminator written to the command (default `\\n`).',
  directory: 'pipe(8): the working directory of the command.',
  umask: 'pipe(8): the umask for the command.',
  null_sender: 'pipe(8): what `${sender}` becomes for the null sender (default MAILER-DAEMON).',
};
