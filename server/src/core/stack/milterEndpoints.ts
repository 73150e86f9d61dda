// Where a milter connection goes, on both ends: Postfix's `inet:host:port` / `unix:path`
// (with the path seen from inside the chroot jail of the Postfix daemon that connects)
// and OpenDKIM's `inet:port@host` / `local:path`. `connects` says whether the two meet.

import type { SocketSpec } from '../opendkim/tree';
import { trimEndWhile } from '../text/trim';

export type Endpoint =
  | { kind: 'inet'; family: 'inet' | 'inet6' | 'either'; host?: string; port: string }
  | { kind: 'unix'; path: string; relative?: boolean }
  | { kind: 'unknown'; text: string };

/** How a Postfix daemon sees the file system: chrooted into queue_directory or not. */
export interface PostfixView {
  chrooted: boolean;
  queueDirectory: string;
}

function joinPath(dir: string, rel: string): string {
  return normalizePath(`${trimEndWhile(dir, (c) => c === '/')}/${rel.replace(/^\/+/, '')}`);
}

/** Collapses `//`, `/./` and `dir/..` so that equal paths compare equal. */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * A Postfix milter address (`inet:host:port`, `unix:pathname`, `local:pathname`, or a bare
 * pathname) as the host sees it. Postfix daemons run with queue_directory as working
 * directory, so a relative path is below it; an absolute path is below it too when the
 * daemon is chrooted (the jail is queue_directory).
 */
export function postfixMilterEndpoint(address: string, view: PostfixView): Endpoint {
  const colon = address.indexOf(':');
  const transport = colon >= 0 ? address.slice(0, colon).toLowerCase() : 'unix';
  const rest = colon >= 0 ? address.slice(colon + 1) : address;
  if (transport === 'inet') {
    const last = rest.lastIndexOf(':');
    if (last < 0) return { kind: 'unknown', text: address };
    let host = rest.slice(0, last);
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    return { kind: 'inet', family: 'either', host: host.toLowerCase(), port: rest.slice(last + 1) };
  }
  if (transport === 'unix' || transport === 'local') {
    if (!rest) return { kind: 'unknown', text: address };
    const path = rest.startsWith('/') && !view.chrooted ? normalizePath(rest) : joinPath(view.queueDirectory, rest);
    return { kind: 'unix', path };
  }
  return { kind: 'unknown', text: address };
}

/** OpenDKIM's listening socket as the host sees it. */
export function opendkimEndpoint(spec: SocketSpec): Endpoint {
  if (spec.family === 'unix') {
    const path = spec.path?.text ?? '';
    if (!path) return { kind: 'unknown', text: spec.path?.text ?? '' };
    return path.startsWith('/') ? { kind: 'unix', path: normalizePath(path) } : { kind: 'unix', path, relative: true };
  }
  if (spec.family === 'inet' || spec.family === 'inet6') {
    return { kind: 'inet', family: spec.family, host: spec.address?.toLowerCase(), port: spec.port?.text ?? '' };
  }
  return { kind: 'unknown', text: '' };
}

export type Verdict = 'yes' | 'no' | 'maybe';

const LOOPBACK_V4 = /^127(\.\d{1,3}){3}$/;
const isLoopback4 = (h: string) => h === 'localhost' || LOOPBACK_V4.test(h);
const isLoopback6 = (h: string) => h === '::1' || h === 'localhost' || h === 'ip6-localhost';
const isIpLiteral = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

/** Whether a Postfix client connecting to `client` reaches a server listening on `server`. */
export function connects(client: Endpoint, server: Endpoint): { verdict: Verdict; reason: string } {
  if (client.kind === 'unknown' || server.kind === 'unknown') return { verdict: 'maybe', reason: 'an address mailconf cannot read' };
  if (client.kind !== server.kind) {
    return { verdict: 'no', reason: `Postfix connects to a ${client.kind === 'inet' ? 'TCP port' : 'UNIX socket'}, OpenDKIM listens on a ${server.kind === 'inet' ? 'TCP port' : 'UNIX socket'}` };
  }
  if (client.kind === 'unix' && server.kind === 'unix') {
    if (server.relative) return { verdict: 'maybe', reason: `OpenDKIM's socket path "${server.path}" is relative to its working directory` };
    return client.path === server.path
      ? { verdict: 'yes', reason: `both use ${client.path}` }
      : { verdict: 'no', reason: `Postfix connects to ${client.path}, OpenDKIM listens on ${server.path}` };
  }
  if (client.kind !== 'inet' || server.kind !== 'inet') return { verdict: 'maybe', reason: '' };
  if (client.port !== server.port) {
    const numeric = /^\d+$/.test(client.port) && /^\d+$/.test(server.port);
    return numeric
      ? { verdict: 'no', reason: `Postfix connects to port ${client.port}, OpenDKIM listens on port ${server.port}` }
      : { verdict: 'maybe', reason: `port "${client.port}" vs "${server.port}" (a service name)` };
  }
  const c = client.host ?? '';
  const s = server.host;
  const v6 = server.family === 'inet6';
  // OpenDKIM without a host listens on every address of its family.
  if (s === undefined || s === '' || s === '0.0.0.0' || s === '::' || s === '*') {
    if (v6 ? isLoopback6(c) || c.includes(':') : isLoopback4(c) || /^[\d.]+$/.test(c)) return { verdict: 'yes', reason: `OpenDKIM listens on port ${server.port} on all ${v6 ? 'IPv6' : 'IPv4'} addresses` };
    if (!isIpLiteral(c)) return { verdict: 'maybe', reason: `OpenDKIM listens on all addresses; whether "${c}" is this host depends on DNS` };
    return { verdict: 'no', reason: `Postfix connects over ${v6 ? 'IPv4' : 'IPv6'} (${c}), OpenDKIM listens on ${v6 ? 'IPv6' : 'IPv4'} only` };
  }
  if (c === s) return { verdict: 'yes', reason: `both use ${c} port ${client.port}` };
  const sLoop4 = !v6 && isLoopback4(s);
  const sLoop6 = v6 && isLoopback6(s);
  if (sLoop4 && isLoopback4(c) && (c === 'localhost' || s === 'localhost' || c === '127.0.0.1' && s === '127.0.0.1')) {
    return { verdict: 'yes', reason: `both use the loopback address (127.0.0.1) port ${client.port}` };
  }
  if (sLoop6 && isLoopback6(c)) return { verdict: 'yes', reason: `both use the IPv6 loopback address port ${client.port}` };
  if (sLoop4 && (isLoopback6(c) && c !== 'localhost')) return { verdict: 'no', reason: `Postfix connects to ${c} (IPv6), OpenDKIM listens on ${s} (IPv4 loopback)` };
  if ((sLoop4 || sLoop6) && isIpLiteral(c)) return { verdict: 'no', reason: `OpenDKIM listens only on the loopback address ${s}; Postfix connects to ${c}, which does not reach it` };
  if (isIpLiteral(c) && isIpLiteral(s)) return { verdict: 'no', reason: `Postfix connects to ${c}, OpenDKIM listens on ${s}` };
  return { verdict: 'maybe', reason: `"${c}" and "${s}" may or may not be the same address` };
}
