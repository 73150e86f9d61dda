// The services of Debian's default master.cf (/usr/share/postfix/master.cf.dist of Debian 12's
// postfix 3.7, which the package installs as /etc/postfix/master.cf), without its comments.
// When a main.cf has no master.cf beside it in the workspace, the checks assume these
// services: that is what a Debian or Ubuntu server runs unless the admin changed it.
// test/unit/postfix/checks*.test.ts compares this text with the installed file.

import { parseMasterCf } from './masterCfParser';
import type { MasterCfTree } from './tree';

export const DEBIAN_DEFAULT_MASTER_CF = `smtp      inet  n       -       y       -       -       smtpd
pickup    unix  n       -       y       60      1       pickup
cleanup   unix  n       -       y       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       y       1000?   1       tlsmgr
rewrite   unix  -       -       y       -       -       trivial-rewrite
bounce    unix  -       -       y       -       0       bounce
defer     unix  -       -       y       -       0       bounce
trace     unix  -       -       y       -       0       bounce
verify    unix  -       -       y       -       1       verify
flush     unix  n       -       y       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       y       -       -       smtp
relay     unix  -       -       y       -       -       smtp
        -o syslog_name=postfix/$service_name
showq     unix  n       -       y       -       -       showq
error     unix  -       -       y       -       -       error
retry     unix  -       -       y       -       -       error
discard   unix  -       -       y       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       y       -       -       lmtp
anvil     unix  -       -       y       -       1       anvil
scache    unix  -       -       y       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
maildrop  unix  -       n       n       -       -       pipe
  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d \${recipient}
uucp      unix  -       n       n       -       -       pipe
  flags=Fqhu user=uucp argv=uux -r -n -z -a$sender - $nexthop!rmail ($recipient)
ifmail    unix  -       n       n       -       -       pipe
  flags=F user=ftn argv=/usr/lib/ifmail/ifmail -r $nexthop ($recipient)
bsmtp     unix  -       n       n       -       -       pipe
  flags=Fq. user=bsmtp argv=/usr/lib/bsmtp/bsmtp -t$nexthop -f$sender $recipient
scalemail-backend unix -       n       n       -       2       pipe
  flags=R user=scalemail argv=/usr/lib/scalemail/bin/scalemail-store \${nexthop} \${user} \${extension}
mailman   unix  -       n       n       -       -       pipe
  flags=FRX user=list argv=/usr/lib/mailman/bin/postfix-to-mailman.py \${nexthop} \${user}
`;

let parsed: MasterCfTree | undefined;

/** The parsed default master.cf (parsed once). */
export function debianDefaultMasterTree(): MasterCfTree {
  parsed ??= parseMasterCf(DEBIAN_DEFAULT_MASTER_CF).tree;
  return parsed;
}

/**
 * The programs of Debian's daemon_directory (/usr/lib/postfix/sbin) that master(8) can run
 * as a service command. Scripts of that directory (postfix-script, post-install …) are not
 * daemons and are left out.
 */
export const POSTFIX_DAEMONS: readonly string[] = [
  'anvil', 'bounce', 'cleanup', 'discard', 'dnsblog', 'error', 'flush', 'lmtp', 'local', 'nqmgr',
  'oqmgr', 'pickup', 'pipe', 'postlogd', 'postscreen', 'proxymap', 'qmgr', 'qmqpd', 'scache', 'showq', 'smtp',
  'smtpd', 'spawn', 'tlsmgr', 'tlsproxy', 'trivial-rewrite', 'verify', 'virtual',
];
