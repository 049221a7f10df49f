/**
 * IPv4 CIDR arithmetic on top of ipaddr.js (parsing) — just enough for overlap and containment rules.
 */
import ipaddr from 'ipaddr.js';

/** An IPv4 range as inclusive 32-bit integer bounds. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly prefix: number;
  readonly first: number;
  readonly last: number;
}

export function ipv4ToInt(address: string): number {
  const bytes = ipaddr.IPv4.parse(address).toByteArray();
  return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}

export function intToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function parseRange(cidr: string): Ipv4Range {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipv4ToInt(address.toString()) / size) * size;
  return { cidr, prefix, first, last: first + size - 1 };
}

/** The canonical form of a CIDR (host bits cleared), e.g. 10.243.4.7/28 → 10.243.4.0/28. */
export function canonicalCidr(cidr: string): string {
  const range = parseRange(cidr);
  return `${intToIpv4(range.first)}/${range.prefix}`;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/**
 * Addresses Azure reserves in every subnet: the network address, .1 (default gateway), .2 and .3 (Azure DNS)
 * and the broadcast address.
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets
 */
export function azureUsableRange(subnet: Ipv4Range): { first: number; last: number } {
  return { first: subnet.first + 4, last: subnet.last - 1 };
}
