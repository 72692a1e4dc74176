import { isIPv6 } from 'node:net';

/**
 * The unit a per-client limit counts: an IPv4 address as is (also IPv4-mapped IPv6), an IPv6
 * address by its /64, the block one subscriber holds (counting single IPv6 addresses would give
 * every client 2^64 identities). `address` is Koa's `ctx.ip`: the TCP peer, or the address the
 * outermost trusted proxy saw (TRUST_PROXY_HOPS).
 */
export function clientBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address || 'unknown';
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
