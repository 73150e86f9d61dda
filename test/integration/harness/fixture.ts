// Fixtures are folders laid out like /etc (postfix/main.cf, postfix/master.cf,
// opendkim.conf, opendkim/KeyTable …) whose files hold placeholders for what only exists
// at run time: the temporary directories and the free ports. `renderFixture` copies one
// into a run's directory with the placeholders filled in.
//
// Placeholders (all upper case in double braces):
//   {{ETC}}          the rendered copy of the fixture (plays /etc; Postfix's config_directory is {{ETC}}/postfix)
//   {{QUEUE}}        Postfix's queue_directory (plays /var/spool/postfix, the chroot jail)
//   {{DATA}}         Postfix's data_directory (plays /var/lib/postfix)
//   {{LOG}}          where Postfix's maillog_file goes
//   {{SMTPD_PORT}}   the port Postfix's smtpd listens on (127.0.0.1)
//   {{SINK_PORT}}    the port of the SMTP sink that plays the outside world (relayhost)
//   {{MILTER_PORT}}  a free port for OpenDKIM's inet socket
//   {{OTHER_PORT}}   another free port, on which nothing listens (for mismatches)

import * as fs from 'node:fs';
import * as path from 'node:path';

export type Placeholders = Record<string, string>;

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;

/** Copies the fixture folder into `target`, replacing every placeholder; returns the files written. */
export function renderFixture(fixtureDir: string, target: string, values: Placeholders): string[] {
  const written: string[] = [];
  const walk = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true, mode: 0o755 });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, entry.name);
      const dst = path.join(to, entry.name);
      if (entry.isDirectory()) { walk(src, dst); continue; }
      if (!entry.isFile()) continue;
      const text = fs.readFileSync(src, 'utf8').replace(PLACEHOLDER, (whole, name: string) => {
        const v = values[name];
        if (v === undefined) throw new Error(`${src}: unknown placeholder ${whole} (known: ${Object.keys(values).join(', ')})`);
        return v;
      });
      fs.writeFileSync(dst, text, { mode: 0o644 });
      written.push(dst);
    }
  };
  walk(fixtureDir, target);
  return written;
}

/** The value of the first `Name value` line of an opendkim.conf (names are case-insensitive). */
export function opendkimOption(confText: string, name: string): string | undefined {
  for (const raw of confText.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (m && m[1].toLowerCase() === name.toLowerCase()) return m[2].trim();
  }
  return undefined;
}

/** Where an OpenDKIM `Socket` value listens: a TCP port on an address, or a UNIX socket path. */
export type OpendkimSocket = { kind: 'inet'; port: number; host?: string } | { kind: 'unix'; path: string };

export function parseOpendkimSocket(value: string): OpendkimSocket {
  const colon = value.indexOf(':');
  const proto = colon < 0 ? 'local' : value.slice(0, colon).toLowerCase();
  const rest = colon < 0 ? value : value.slice(colon + 1);
  if (proto === 'inet') {
    const [port, host] = rest.split('@');
    if (!/^\d+$/.test(port)) throw new Error(`the harness only understands numeric ports in Socket ${value}`);
    return { kind: 'inet', port: Number(port), host };
  }
  if (proto === 'local' || proto === 'unix') return { kind: 'unix', path: rest };
  throw new Error(`the harness does not understand Socket ${value}`);
}
