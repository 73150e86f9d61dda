// Client addresses for SPF: parsing (an IPv4-mapped IPv6 address is the IPv4 address,
// RFC 7208 §5), prefix matching, and the text forms the macros need.

import { formatIPv6 } from '../../opendkim/ipAddress';
import { ip4Bytes, ip6Bytes } from './parser';

export interface ClientIp {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: number[];
  /** The address was written with upper-case hex digits (%{i} keeps that case). */
  upperHex?: boolean;
}

/** The client address, or undefined when the text is not an address. */
export function parseClientIp(text: string): ClientIp | undefined {
  const t = text.trim();
  const v4 = ip4Bytes(t);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = ip6Bytes(t);
  if (!v6) return undefined;
  // ::ffff:a.b.c.d is an IPv4 client seen through an IPv6 socket.
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return { family: 4, bytes: v6.slice(12) };
  return { family: 6, bytes: v6, upperHex: /[A-F]/.test(t) && !/[a-f]/.test(t) };
}

/** True when the first `prefix` bits of a and b agree (same length arrays). */
export function prefixMatch(a: readonly number[], b: readonly number[], prefix: number): boolean {
  if (a.length !== b.length) return false;
  let bits = prefix;
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

/** True when an address has bits set after the prefix (`ip4:192.0.2.1/24`). */
export function hostBitsSet(bytes: readonly number[], prefix: number): boolean {
  let bits = prefix;
  for (let i = 0; i < bytes.length; i++, bits -= 8) {
    const keep = bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & ~keep & 0xff) !== 0) return true;
  }
  return false;
}

/** The network address: the bytes with the host bits cleared. */
export function networkOf(bytes: readonly number[], prefix: number): number[] {
  let bits = prefix;
  return bytes.map((b) => {
    const keep = bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    bits -= 8;
    return b & keep;
  });
}

export function formatIp(ip: ClientIp): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  return formatIPv6(words);
}

export function formatBytes(bytes: readonly number[]): string {
  return formatIp({ family: bytes.length === 4 ? 4 : 6, bytes: [...bytes] });
}

/** %{i}: dotted quad, or 32 dot-separated lower-case nibbles for IPv6 (RFC 7208 §7.3). */
export function dottedIp(ip: ClientIp): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const nibbles: string[] = [];
  for (const b of ip.bytes) nibbles.push((b >> 4).toString(16), (b & 15).toString(16));
  const dotted = nibbles.join('.');
  return ip.upperHex ? dotted.toUpperCase() : dotted;
}

/** The reverse-lookup name: 4.3.2.1.in-addr.arpa or the nibbles under ip6.arpa. */
export function reverseName(ip: ClientIp): string {
  return dottedIp(ip).split('.').reverse().join('.') + (ip.family === 4 ? '.in-addr.arpa' : '.ip6.arpa');
}

/** An address answer of the resolver as bytes of the wanted family (undefined when not). */
export function answerBytes(text: string, family: 4 | 6): number[] | undefined {
  if (family === 4) return ip4Bytes(text) ?? looseIp4(text);
  return ip6Bytes(text);
}

/** Resolver answers may write 010.1.1.1; compare them anyway. */
function looseIp4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = parts.map((p) => (/^[0-9]{1,3}$/.test(p) ? Number(p) : NaN));
  return out.every((n) => n <= 255) ? out : undefined;
}
