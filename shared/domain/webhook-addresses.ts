import type { BlockList } from 'node:net';

/**
 * The addresses a webhook may never reach (SSRF): a firm's URL must not make Frist call into
 * its own network, the instance metadata service, or anything not on the public internet.
 * IANA's special-purpose registries (RFC 6890 and its updates) name these ranges.
 */
const FORBIDDEN_V4_SUBNETS = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, with the metadata service 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const;
const FORBIDDEN_V6_SUBNETS = [
  ['::', 8], // reserved by the IETF, nothing public: with IPv4-compatible ::a.b.c.d (::7f00:1 is 127.0.0.1)
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: would reach an IPv4 address past the list above
  ['64:ff9b::', 96], // NAT64, the same
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo and others)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local, with AWS's IPv6 metadata address fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const;

/**
 * The two lists, built on the first check: every function builds the webhook sender, but only
 * the webhooks function and the api's URL checks call it (dispatch's cold start need not).
 */
let forbidden: { v4: BlockList; v6: BlockList } | undefined;
function forbiddenLists(): { v4: BlockList; v6: BlockList } {
  if (forbidden) return forbidden;
  // node:net taken as CommonJS on first need, not as an ESM import at cold start (webhook-sender.adapter.ts says why).
  const net = process.getBuiltinModule('node:net');
  const v4 = new net.BlockList();
  const v6 = new net.BlockList();
  for (const [network, prefix] of FORBIDDEN_V4_SUBNETS) v4.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of FORBIDDEN_V6_SUBNETS) v6.addSubnet(network, prefix, 'ipv6');
  forbidden = { v4, v6 };
  return forbidden;
}

/** True when `address` (an IP literal) is one a webhook must not reach; anything that is not an IP address counts as forbidden. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = process.getBuiltinModule('node:net').isIP(bare);
  if (family === 0) return true;
  // Two lists: Node's BlockList matches an IPv4 address against IPv4-mapped IPv6 subnets too.
  const { v4, v6 } = forbiddenLists();
  return family === 4 ? v4.check(bare, 'ipv4') : v6.check(bare, 'ipv6');
}
