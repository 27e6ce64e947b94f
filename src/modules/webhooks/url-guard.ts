import { lookup } from 'node:dns/promises';
import { isIP, isIPv4 } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppError } from 'src/common/errors/app-error';
import { AppConfig } from 'src/config/app.config';

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'reserved';

type Rule<V> = [prefix: bigint, bits: number, verdict: V];

const DNS_TIMEOUT_MS = 3000;
const MAX_URL_LENGTH = 2048;

const v4 = (ip: string): bigint => ip.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);

function v6(ip: string): bigint {
  let text = ip.split('%')[0];
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const matches = (ip: bigint, size: number, [prefix, bits]: Rule<unknown>): boolean =>
  ip >> BigInt(size - bits) === prefix >> BigInt(size - bits);

const V4_RULES: Rule<AddressClass>[] = [
  [v4('169.254.169.254'), 32, 'metadata'], // AWS, GCP, Azure, OpenStack, Oracle
  [v4('100.100.100.200'), 32, 'metadata'], // Alibaba Cloud
  [v4('0.0.0.0'), 8, 'reserved'], // Linux connects 0.0.0.0 to the local host
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'private'], // carrier-grade NAT
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'reserved'], // multicast
  [v4('240.0.0.0'), 4, 'reserved'], // includes 255.255.255.255
];

const classifyV4 = (ip: bigint): AddressClass => {
  const rule = V4_RULES.find((candidate) => matches(ip, 32, candidate));
  return rule ? rule[2] : 'public';
};
const low32 = (ip: bigint): AddressClass => classifyV4(ip & 0xffffffffn);

const V6_RULES: Rule<AddressClass | ((ip: bigint) => AddressClass)>[] = [
  [0n, 128, 'reserved'], // ::
  [1n, 128, 'loopback'], // ::1
  [v6('fd00:ec2::254'), 128, 'metadata'], // AWS over IPv6
  [v6('::ffff:0:0'), 96, low32], // IPv4-mapped
  [v6('::ffff:0:0:0'), 96, low32], // IPv4-translated (RFC 2765)
  [v6('64:ff9b::'), 96, low32], // NAT64 well-known prefix
  [v6('64:ff9b:1::'), 48, 'private'], // NAT64 local use
  // Deprecated IPv4-compatible form: never public, but say what it hides.
  [0n, 96, (ip) => (low32(ip) === 'public' ? 'reserved' : low32(ip))],
  [v6('2002::'), 16, (ip) => classifyV4((ip >> 80n) & 0xffffffffn)], // 6to4 embeds the IPv4 in bits 16-47
  [v6('2001::'), 32, 'reserved'], // Teredo
  [v6('2001:2::'), 48, 'reserved'],
  [v6('2001:db8::'), 32, 'reserved'],
  [v6('3fff::'), 20, 'reserved'],
  [v6('100::'), 64, 'reserved'],
  [v6('fc00::'), 7, 'private'],
  [v6('fe80::'), 10, 'link-local'],
  [v6('fec0::'), 10, 'private'], // deprecated site-local
  [v6('ff00::'), 8, 'reserved'], // multicast
  [v6('2000::'), 3, 'public'], // global unicast; everything else is unassigned
];

/** What kind of network an IP address belongs to. Anything that is not a valid IP is 'reserved' (fail closed). */
export function classifyAddress(ip: string): AddressClass {
  if (isIPv4(ip)) {
    return classifyV4(v4(ip));
  }
  if (isIP(ip) !== 6) {
    return 'reserved';
  }
  const value = v6(ip);
  const rule = V6_RULES.find((candidate) => matches(value, 128, candidate));
  if (!rule) {
    return 'reserved';
  }
  return typeof rule[2] === 'function' ? rule[2](value) : rule[2];
}

export type CallbackUrlVerdict =
  | { allowed: true; url: URL; addresses: string[] }
  /** `permanent` is false only when resolution failed, which a later attempt may get past. */
  | { allowed: false; reason: string; permanent: boolean };

export interface AllowedCallbackUrl {
  url: URL;
  addresses: string[];
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** The checks that need no network: shape, scheme and credentials. */
export function parseCallbackUrl(raw: string): { url: URL } | { reason: string } {
  if (raw.length > MAX_URL_LENGTH) {
    return { reason: `must be at most ${MAX_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'must be a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { reason: 'must use http or https' };
  }
  if (url.username || url.password) {
    return { reason: 'must not contain credentials' };
  }
  return { url };
}

/**
 * SSRF guard for task callback URLs: the host must resolve only to public addresses, unless
 * WEBHOOK_ALLOW_PRIVATE is set. Used when a task is created and again before every send, since
 * DNS answers may change in between.
 */
@Injectable()
export class CallbackUrlGuard {
  constructor(private readonly config: AppConfig) {}

  async check(raw: string): Promise<CallbackUrlVerdict> {
    const parsed = parseCallbackUrl(raw);
    if ('reason' in parsed) {
      return { allowed: false, reason: parsed.reason, permanent: true };
    }
    let addresses: string[];
    try {
      addresses = await this.lookupHost(hostOf(parsed.url));
    } catch {
      return { allowed: false, reason: 'host could not be resolved', permanent: false };
    }
    if (addresses.length === 0) {
      return { allowed: false, reason: 'host could not be resolved', permanent: false };
    }
    // One bad record is enough: the connection could go to any of them.
    if (!this.config.webhooks.allowPrivate && addresses.some((address) => classifyAddress(address) !== 'public')) {
      return {
        allowed: false,
        reason: 'must not point to a private, loopback or link-local address',
        permanent: true,
      };
    }
    return { allowed: true, url: parsed.url, addresses };
  }

  /** The parsed URL and its vetted addresses; throws VALIDATION_FAILED on `callbackUrl` otherwise. */
  async resolveAllowed(raw: string): Promise<AllowedCallbackUrl> {
    const verdict = await this.check(raw);
    if (!verdict.allowed) {
      throw AppError.validation([{ field: 'callbackUrl', message: verdict.reason }], `callbackUrl ${verdict.reason}`);
    }
    return { url: verdict.url, addresses: verdict.addresses };
  }

  async assertAllowed(raw: string): Promise<void> {
    await this.resolveAllowed(raw);
  }

  /** Every address the host resolves to; an IP literal resolves to itself. */
  async lookupHost(hostname: string): Promise<string[]> {
    if (isIP(hostname)) {
      return [hostname];
    }
    let timer: NodeJS.Timeout | undefined;
    // getaddrinfo cannot be cancelled; the timer only stops us waiting for it.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`DNS lookup timed out after ${DNS_TIMEOUT_MS} ms`)), DNS_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const records = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
      return records.map((record) => record.address);
    } finally {
      clearTimeout(timer);
    }
  }
}
