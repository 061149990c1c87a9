import { compileIpRules, compileTrustedProxies, parseIp, parseIpEntry, resolveClientIp } from 'staffgate/net';
import { isStaffgateError } from 'staffgate';
import type { Printer } from './print.js';

// The seeds' IP passages: "only let in people connected to the company router" (not the cafe
// Wi-Fi), road users on a changing network, and "add the server address of that specific app
// to the API whitelist so no other server can send requests". Plus what sits under them: the
// admin's typing mistakes, lenient spellings of an address, and the load balancer in front of
// the app.
export default function netScenes(out: Printer): void {
  out.scene('IP lockdown: only the office router, not the cafe Wi-Fi');
  out.say('The office router has the public address 203.0.113.7 and the office has its own IPv6 block.');
  const office = compileIpRules(['203.0.113.7', '2001:db8:a1::/48']);
  for (const [where, ip] of [
    ['office, IPv4', '203.0.113.7'],
    ['office, IPv6 laptop', '2001:db8:a1:7::42'],
    ['cafe Wi-Fi', '198.51.100.23'],
    ['home broadband, IPv6', '2001:db8:ffff::9'],
  ] as const) {
    const match = office.explain(ip);
    out.show(`${where} (${ip})`, match.matched ? `allowed by entry #${match.index} ${match.entry}` : `denied: ${match.reason}`);
  }

  out.scene('The admin types the allowlist: mistakes are caught when settings are saved');
  for (const entry of ['10.0.0.1/8', '192.168.1.0/255.255.255.0', '192.0.2.10 - 192.0.2.20', '192.0.2.10-20', '10.0.*.*']) {
    const parsed = parseIpEntry(entry);
    out.show(JSON.stringify(entry), parsed.ok ? `accepted as ${parsed.normalized}` : `${parsed.reason}: ${parsed.message}`);
  }
  try {
    compileIpRules(['203.0.113.7', '10.0.0.1/8']);
  } catch (err) {
    if (isStaffgateError(err)) out.show('settings parser sees', err.withPathPrefix(['ipLockdown', 'allow']).message);
  }
  out.say('A linter can ask how wide an entry is, and warn about a list that lets in half the internet:');
  for (const entry of ['203.0.113.0/24', '0.0.0.0/1', '::/0', '192.0.2.10-192.0.2.20']) {
    const info = parseIpEntry(entry);
    if (info.ok) out.show(entry, `IPv${info.family} ${info.kind}, ${info.size.toLocaleString('en')} addresses, inside a /${info.prefixLength}`);
  }

  out.scene('Lenient spellings do not slip past the allowlist');
  out.say('Each of these means 127.0.0.1 or 203.0.113.7 to some parser. staffgate reads only strict text; the rest is denied.');
  const loopback = compileIpRules(['127.0.0.1', '203.0.113.7']);
  for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '::FFFF:7f00:1', '0177.0.0.1', '0x7f.0.0.1', '2130706433', '127.1', '203.0.113.7 ', '２０３.0.113.7', '[::1]', '64:ff9b::203.0.113.7']) {
    const parsed = parseIp(ip);
    const verdict = loopback.contains(ip) ? 'allowed' : 'denied';
    out.show(JSON.stringify(ip), parsed.ok ? `${verdict} (reads as IPv${parsed.family} ${parsed.address})` : `${verdict} (${parsed.reason})`);
  }

  out.scene('Road users: a carrier range instead of one address');
  out.say("A salesperson's mobile carrier hands out addresses from one block; an override can allow that range for her only.");
  const road = compileIpRules(['203.0.113.7', '198.51.100.64-198.51.100.127']);
  for (const ip of ['198.51.100.63', '198.51.100.64', '198.51.100.100', '198.51.100.127', '198.51.100.128']) out.show(ip, road.contains(ip) ? 'allowed' : 'denied');

  out.scene('Behind a load balancer: which address is the client?');
  out.say('The app sees the load balancer (10.0.3.5) as the socket peer; the client is in X-Forwarded-For.');
  const proxies = compileTrustedProxies(['loopback', '10.0.3.0/24']);
  const requests = [
    { label: 'staff member at the office, through the balancer', remoteAddress: '10.0.3.5', forwardedFor: '203.0.113.7' },
    { label: 'same, from the cafe', remoteAddress: '10.0.3.5', forwardedFor: '198.51.100.23' },
    { label: 'attacker in the cafe pre-fills the header with the office address', remoteAddress: '10.0.3.5', forwardedFor: '203.0.113.7, 198.51.100.23' },
    { label: 'attacker skips the balancer and sends the header directly', remoteAddress: '198.51.100.23', forwardedFor: '203.0.113.7' },
    { label: 'a hop in octal from the balancer: fail closed', remoteAddress: '10.0.3.5', forwardedFor: '0313.0.113.7' },
    { label: 'Node dual-stack socket address', remoteAddress: '::ffff:10.0.3.5', forwardedFor: '2001:db8:a1::7' },
  ];
  for (const r of requests) {
    const client = resolveClientIp({ remoteAddress: r.remoteAddress, forwardedFor: r.forwardedFor, trustedProxies: proxies });
    const decision = client.ok ? (office.contains(client.ip) ? 'allowed' : 'denied') : 'denied';
    out.show(r.label, client.ok ? `client ${client.ip} (from ${client.source}) → ${decision}` : `no client address (${client.reason}) → ${decision}`);
  }

  out.scene('Securing automations: the API whitelist holds one server');
  out.say('The order-sync app runs on 192.0.2.44; API calls from any other address are refused.');
  const api = compileIpRules(['192.0.2.44']);
  for (const ip of ['192.0.2.44', '::ffff:192.0.2.44', '192.0.2.45', '64:ff9b::192.0.2.44', '2002:c000:22c::1']) {
    out.show(ip, api.contains(ip) ? 'allowed' : 'refused');
  }
}
