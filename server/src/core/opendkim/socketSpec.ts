// The milter socket specification of OpenDKIM's `Socket` option (and of SOCKET in Debian's
// /etc/default/opendkim), read the way libmilter reads it: an optional protocol before the
// first `:` (`unix`/`local`, `inet`, `inet6`, case-insensitive; an empty one means unix);
// no colon at all means a UNIX socket path. For inet the rest is `port[@host]`, where port
// is a number or a service name and host a name or an address, optionally in brackets.

import type { SocketSpec } from './tree';
import type { FindingList, SpanMapper } from './scan';
import { replaceFix, tokenOf } from './scan';

/**
 * Parses a socket spec. `map` turns spans of `text` into document ranges; problems are
 * reported into `out` when given (pass undefined to only build the tree).
 */
export function parseSocketSpec(text: string, map: SpanMapper, out?: FindingList): SocketSpec {
  const whole = map(0, text.length);
  const colon = text.indexOf(':');
  if (colon < 0) {
    const spec: SocketSpec = { family: 'unix', path: tokenOf(text, 0, text.length, map), range: whole };
    if (out && /^[0-9]{1,5}$/.test(text)) {
      out.add({
        range: whole,
        severity: 'warning',
        code: 'opendkim/socket-bare-port',
        message: `Without a protocol, "${text}" is the name of a UNIX socket file in OpenDKIM's working directory, not a TCP port. To listen on a port write inet:${text}@localhost (or inet:${text} for all interfaces).`,
        fixes: [replaceFix(`Write inet:${text}@localhost`, whole, `inet:${text}@localhost`)],
      });
    }
    return spec;
  }

  const protocol = tokenOf(text, 0, colon, map);
  const proto = protocol.text.toLowerCase();
  const restStart = colon + 1;
  const rest = text.slice(restStart);

  if (proto === '' || proto === 'unix' || proto === 'local') {
    const spec: SocketSpec = { family: 'unix', path: tokenOf(text, restStart, text.length, map), range: whole };
    if (proto !== '') spec.protocol = protocol;
    if (out && rest === '') {
      out.error(map(0, text.length), 'opendkim/socket-missing-path',
        `"${text}" names no socket file after the colon. Give the path, for example ${protocol.text}:/run/opendkim/opendkim.sock.`);
    }
    return spec;
  }

  if (proto !== 'inet' && proto !== 'inet6') {
    out?.error(protocol.range, 'opendkim/socket-unknown-type',
      `"${protocol.text}" is not a socket type libmilter knows, so OpenDKIM cannot open its socket and will not start. Use inet:port@host, inet6:port@host or local:/path/to/socket.`);
    return { family: 'unknown', protocol, range: whole };
  }

  const spec: SocketSpec = { family: proto, protocol, range: whole };
  const at = rest.indexOf('@');
  const portEnd = at >= 0 ? restStart + at : text.length;
  const port = tokenOf(text, restStart, portEnd, map);
  spec.port = port;
  if (/^[0-9]+$/.test(port.text)) spec.portNumber = Number(port.text);

  if (at >= 0) {
    const hostStart = portEnd + 1;
    spec.host = tokenOf(text, hostStart, text.length, map);
    spec.address = spec.host.text;
    if (spec.host.text.startsWith('[')) {
      const close = spec.host.text.indexOf(']');
      if (close >= 0) spec.address = spec.host.text.slice(1, close);
      else out?.error(spec.host.range, 'opendkim/socket-bad-host',
        `The address "${spec.host.text}" opens a bracket but never closes it; libmilter rejects the socket. Write [address] or leave the brackets out.`);
    } else if (spec.host.text === '') {
      out?.error(map(portEnd, text.length), 'opendkim/socket-bad-host',
        `Nothing follows "@". Name the interface to listen on (inet:${port.text}@localhost) or drop the "@" to listen on all interfaces.`);
    }
  }

  if (!out) return spec;
  if (port.text === '') {
    out.error(map(restStart - 1, portEnd), 'opendkim/socket-bad-port',
      `"${text}" has no port. Write the TCP port before the host, for example ${protocol.text}:8891@localhost.`);
  } else if (at < 0 && port.text.includes(':')) {
    // Postfix writes milters as inet:host:port; OpenDKIM wants port@host.
    const lastColon = port.text.lastIndexOf(':');
    const host = port.text.slice(0, lastColon);
    const portNo = port.text.slice(lastColon + 1);
    out.error(port.range, 'opendkim/socket-bad-port',
      `"${port.text}" is Postfix's host:port order. OpenDKIM's Socket takes port@host, so libmilter looks for a service named "${port.text}" and OpenDKIM does not start. Write ${protocol.text}:${portNo}@${host}.`,
      [replaceFix(`Write ${protocol.text}:${portNo}@${host}`, whole, `${protocol.text}:${portNo}@${host}`)]);
  } else if (spec.portNumber !== undefined && (spec.portNumber < 1 || spec.portNumber > 65535)) {
    out.error(port.range, 'opendkim/socket-bad-port',
      `Port ${port.text} is outside 1-65535, so the socket cannot be opened. Use the port the MTA's milter setting points at (8891 is usual).`);
  }
  return spec;
}
