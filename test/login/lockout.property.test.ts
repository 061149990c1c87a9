import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, resolvePolicy } from 'staffgate';
import ipaddr from 'ipaddr.js';
import { parseIp } from 'staffgate/net';
import { MAX_FAMILIAR_NETWORKS, checkLockout, lockoutNetwork, recordLoginFailure, recordLoginSuccess, type LockoutRecord } from 'staffgate/login';

const MIN = 60_000;
const t0 = Date.parse('2026-11-23T09:00:00Z');

const ruleArb = fc.record({
  enabled: fc.boolean(),
  maxFailures: fc.integer({ min: 1, max: 12 }),
  windowMinutes: fc.integer({ min: 1, max: 30 }),
  lockoutMinutes: fc.integer({ min: 1, max: 30 }),
  networkMaxFailures: fc.integer({ min: 1, max: 12 }),
});
// A few /24s and /48s so networks repeat, plus the odd unparseable address.
const ipArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })).map(([n, h]) => `10.0.${String(n)}.${String(h)}`),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 0xffff })).map(([n, h]) => `2001:db8:${n.toString(16)}::${h.toString(16)}`),
  fc.constant('not-an-ip'),
);
const eventArb = fc.record({ kind: fc.constantFrom('fail', 'fail', 'fail', 'success'), ip: ipArb, dt: fc.integer({ min: 0, max: 5 * MIN }) });

interface Run {
  readonly record: LockoutRecord | null;
  readonly at: number;
}

function run(rule: typeof ruleArb extends fc.Arbitrary<infer R> ? R : never, events: readonly { kind: string; ip: string; dt: number }[], subject: 'person' | 'network', check?: (before: LockoutRecord | null, after: LockoutRecord, e: { kind: string; ip: string }, at: number) => void): Run {
  const policy = { lockout: rule };
  let record: LockoutRecord | null = null;
  let at = t0;
  for (const e of events) {
    at += e.dt;
    const update = { policy, at, ip: e.ip, subject };
    const next: LockoutRecord = e.kind === 'fail' ? recordLoginFailure(record, update) : recordLoginSuccess(record, update);
    check?.(record, next, e, at);
    record = next;
  }
  return { record, at };
}

function isIn(familiar: readonly string[], ip: string): boolean {
  const net = lockoutNetwork(ip);
  return net !== undefined && familiar.includes(net);
}

describe('lockout records: properties', () => {
  it('the record stays small and readable for any history', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(eventArb, { maxLength: 80 }), fc.constantFrom('person' as const, 'network' as const), (rule, events, subject) => {
        run(rule, events, subject, (_before, r, _e, at) => {
          const max = subject === 'network' ? rule.networkMaxFailures : rule.maxFailures;
          expect(r.familiar.length).toBeLessThanOrEqual(MAX_FAMILIAR_NETWORKS);
          expect(new Set(r.familiar).size).toBe(r.familiar.length);
          if (subject === 'network') expect(r.familiar).toEqual([]);
          for (const lane of [r.lanes.familiar, r.lanes.other]) {
            expect(lane.failures.length).toBeLessThan(max);
            for (const t of lane.failures) expect(t).toBeGreaterThan(at - rule.windowMinutes * MIN);
            if (!rule.enabled) expect(lane.lockedUntil).toBeNull();
          }
          expect(checkLockout(r, { at, ip: '10.0.0.1' }).state).not.toBe('invalid');
        });
      }),
    );
  });

  it('a JSON round trip gives an equal record and the same checkLockout answer', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(eventArb, { maxLength: 60 }), fc.constantFrom('person' as const, 'network' as const), ipArb, fc.integer({ min: 0, max: 40 * MIN }), (rule, events, subject, ip, later) => {
        const { record, at } = run(rule, events, subject);
        const copy: unknown = JSON.parse(JSON.stringify(record));
        expect(copy).toEqual(record);
        expect(checkLockout(copy, { at: at + later, ip })).toEqual(checkLockout(record, { at: at + later, ip }));
      }),
    );
  });

  it('failures from unfamiliar networks never lock a familiar network', () => {
    const unfamiliar = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((h) => `198.51.100.${String(h)}`),
      fc.integer({ min: 0, max: 255 }).map((n) => `172.16.${String(n)}.9`),
      fc.integer({ min: 0, max: 0xffff }).map((h) => `2001:db8:ff::${h.toString(16)}`),
      fc.constant('garbage'),
    );
    fc.assert(
      fc.property(ruleArb, fc.array(fc.tuple(unfamiliar, fc.integer({ min: 0, max: MIN })), { maxLength: 80 }), (rule, failures) => {
        const policy = { lockout: rule };
        let r = recordLoginSuccess(null, { policy, at: t0, ip: '10.0.0.1' });
        r = recordLoginSuccess(r, { policy, at: t0, ip: '2001:db8:1::1' });
        let at = t0;
        for (const [ip, dt] of failures) {
          at += dt;
          r = recordLoginFailure(r, { policy, at, ip });
          expect(r.lanes.familiar.lockedUntil).toBeNull();
          expect(checkLockout(r, { at, ip: '10.0.0.200' }).state).toBe('open');
          expect(checkLockout(r, { at, ip: '2001:db8:1:ffff::2' }).state).toBe('open');
        }
      }),
    );
  });

  it('after a success in a lane, that lane is open', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(eventArb, { maxLength: 60 }), ipArb, (rule, events, ip) => {
        fc.pre(ip !== 'not-an-ip');
        const { record, at } = run(rule, events, 'person');
        const wasFamiliar = record !== null && isIn(record.familiar, ip);
        const r = recordLoginSuccess(record, { policy: { lockout: rule }, at, ip });
        expect(r.failuresSinceSuccess).toBe(0);
        expect(r.familiar[0]).toBeDefined();
        const lane = wasFamiliar ? r.lanes.familiar : r.lanes.other;
        expect(lane).toEqual({ failures: [], lockedUntil: null });
        // The success's network is now familiar; only a familiar-lane lock (which refuses every
        // network and was not the success's lane) can still refuse it.
        const familiarLocked = r.lanes.familiar.lockedUntil !== null && r.lanes.familiar.lockedUntil > at;
        if (!familiarLocked) expect(checkLockout(r, { at, ip }).state).toBe('open');
        if (wasFamiliar) expect(checkLockout(r, { at, ip })).toEqual({ state: 'open', failures: 0 });
      }),
    );
  });

  it('a lock never lasts longer than lockoutMinutes from the failure that set it', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(eventArb, { maxLength: 80 }), fc.constantFrom('person' as const, 'network' as const), (rule, events, subject) => {
        run(rule, events, subject, (before, after, e, at) => {
          for (const name of ['familiar', 'other'] as const) {
            const until = after.lanes[name].lockedUntil;
            if (until === null) continue;
            expect(until).toBeLessThanOrEqual(at + rule.lockoutMinutes * MIN);
            const previous = before?.lanes[name].lockedUntil ?? null;
            // A lock is either carried over unchanged or set by this failure.
            if (until !== previous) {
              expect(e.kind).toBe('fail');
              expect(until).toBe(at + rule.lockoutMinutes * MIN);
            }
          }
        });
      }),
    );
  });
});

describe('hostile records', () => {
  const at = t0 + MIN;
  const policy = resolvePolicy(parseAccountPolicy({}), [], { at });
  const reportOnly = resolvePolicy(parseAccountPolicy({ lockout: { mode: 'report' } }), [], { at });
  const rule = { lockout: { enabled: true, maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15, networkMaxFailures: 100 } };
  const good = recordLoginFailure(null, { policy: rule, at: t0, ip: '10.0.0.1' });
  const lane = { failures: [], lockedUntil: null };

  const nullProto = Object.assign(Object.create(null) as object, JSON.parse(JSON.stringify(good)) as object);
  const protoKey = JSON.parse(`{"__proto__":{"version":1},"subject":"person","familiar":[],"lanes":{"familiar":{"failures":[],"lockedUntil":null},"other":{"failures":[],"lockedUntil":null}},"failuresSinceSuccess":0,"lastFailureAt":null,"lastSuccessAt":null}`) as unknown;
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      getOwnPropertyDescriptor() {
        throw new Error('boom');
      },
      has() {
        throw new Error('boom');
      },
      ownKeys() {
        throw new Error('boom');
      },
    },
  );
  const withGetter = { ...good };
  Object.defineProperty(withGetter, 'version', {
    get() {
      throw new Error('boom');
    },
    enumerable: true,
  });

  const hostile: [string, unknown][] = [
    ['a string', 'locked'],
    ['a number', 7],
    ['an array', [good]],
    ['an empty object', {}],
    ['an object with a __proto__ key', protoKey],
    ['a huge failures array', { ...good, lanes: { familiar: lane, other: { failures: new Array<number>(100_000).fill(t0), lockedUntil: null } } }],
    ['a huge familiar array', { ...good, familiar: new Array<string>(100_000).fill('10.0.0.0/24') }],
    ['NaN failure time', { ...good, lanes: { familiar: lane, other: { failures: [Number.NaN], lockedUntil: null } } }],
    ['negative lockedUntil', { ...good, lanes: { familiar: lane, other: { failures: [], lockedUntil: -5 } } }],
    ['NaN lastFailureAt', { ...good, lastFailureAt: Number.NaN }],
    ['a string time', { ...good, lastSuccessAt: '2026-11-23T09:00:00Z' }],
    ['wrong version', { ...good, version: 2 }],
    ['version as a string', { ...good, version: '1' }],
    ['unknown subject', { ...good, subject: 'team' }],
    ['negative count', { ...good, failuresSinceSuccess: -1 }],
    ['lanes missing', { ...good, lanes: undefined }],
    ['a network record with familiar networks', { ...good, subject: 'network', familiar: ['10.0.0.0/24'] }],
    ['a Proxy that throws', throwing],
    ['a getter that throws', withGetter],
  ];

  it('a null-prototype copy of a good record is still readable', () => {
    expect(checkLockout(nullProto, { at, ip: '10.0.0.1' })).toEqual(checkLockout(good, { at, ip: '10.0.0.1' }));
  });

  it.each(hostile)('%s: checkLockout is invalid, evaluateLogin denies, recordLoginFailure locks', (_name, value) => {
    expect(checkLockout(value, { at, ip: '10.0.0.1' })).toMatchObject({ state: 'invalid' });
    for (const p of [policy, reportOnly]) {
      const d = evaluateLogin(p, { method: 'google', ip: '10.0.0.1', at, lockout: value as LockoutRecord });
      expect(d.outcome).toBe('deny');
      expect(d.reasons.map((r) => r.code)).toEqual(['lockout_record_invalid']);
      const n = evaluateLogin(p, { method: 'google', ip: '10.0.0.1', at, networkLockout: value as LockoutRecord });
      expect(n.reasons.map((r) => r.code)).toEqual(['lockout_record_invalid']);
    }
    const next = recordLoginFailure(value as LockoutRecord, { policy: rule, at, ip: '10.0.0.1' });
    expect(next.lanes.familiar.lockedUntil).toBe(at + 15 * MIN);
    expect(next.lanes.other.lockedUntil).toBe(at + 15 * MIN);
    expect(checkLockout(next, { at, ip: '10.0.0.1' }).state).toBe('locked');
    expect(checkLockout(next, { at: at + 15 * MIN, ip: '10.0.0.1' }).state).toBe('open');
    // A success proves the person and starts over.
    const healed = recordLoginSuccess(value as LockoutRecord, { policy: rule, at, ip: '10.0.0.1' });
    expect(checkLockout(healed, { at, ip: '10.0.0.1' })).toEqual({ state: 'open', failures: 0 });
  });

  it('a polluted Object.prototype does not make an empty object a record', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.version = 1;
    try {
      expect(checkLockout({}, { at, ip: '10.0.0.1' }).state).toBe('invalid');
    } finally {
      delete proto.version;
    }
  });

  // A field the stored record lacks must not be filled in by a polluted prototype, on the
  // quick check of a record that locks nothing as much as on the full read.
  it.each([
    ['lockedUntil', null, (r: Record<string, unknown>) => ({ ...r, lanes: { familiar: { failures: [] }, other: { failures: [], lockedUntil: null } } })],
    ['failures', [], (r: Record<string, unknown>) => ({ ...r, lanes: { familiar: { lockedUntil: null }, other: { failures: [], lockedUntil: null } } })],
    ['lastSuccessAt', null, (r: Record<string, unknown>) => ({ ...r, lastSuccessAt: undefined })],
    ['subject', 'person', (r: Record<string, unknown>) => ({ ...r, subject: undefined })],
  ] as const)('a polluted Object.prototype.%s does not stand in for a missing field', (field, polluted, strip) => {
    const lacking = JSON.parse(JSON.stringify(strip(good as unknown as Record<string, unknown>))) as LockoutRecord;
    const proto = Object.prototype as Record<string, unknown>;
    proto[field] = polluted;
    try {
      expect(checkLockout(lacking, { at, ip: '10.0.0.1' }).state).toBe('invalid');
      const d = evaluateLogin(policy, { method: 'google', ip: '10.0.0.1', at, lockout: lacking });
      expect(d.reasons.map((r) => r.code)).toEqual(['lockout_record_invalid']);
    } finally {
      Reflect.deleteProperty(proto, field);
    }
    expect(checkLockout(good, { at, ip: '10.0.0.1' }).state).not.toBe('invalid');
  });

  it('checkLockout never throws for arbitrary JSON-ish input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.oneof(fc.string(), ipArb), (value, ip) => {
        const status = checkLockout(value, { at, ip });
        expect(['open', 'locked', 'invalid']).toContain(status.state);
        expect(() => evaluateLogin(policy, { method: 'google', ip: '10.0.0.1', at, lockout: value as LockoutRecord })).not.toThrow();
      }),
    );
  });

  it('checkLockout with an unreadable `at` is invalid, not a throw', () => {
    expect(checkLockout(good, { at: Number.NaN, ip: '10.0.0.1' }).state).toBe('invalid');
    expect(checkLockout(good, { at: 'yesterday', ip: '10.0.0.1' }).state).toBe('invalid');
    expect(checkLockout(good, throwing as never).state).toBe('invalid');
  });
});

// The network an address counts in, by an independent parser (ipaddr.js as the oracle).
function oracleNetwork(ip: string): string {
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  if (addr.kind() === 'ipv4') return `${(addr as ipaddr.IPv4).octets.slice(0, 3).join('.')}.0/24`;
  const parts = (addr as ipaddr.IPv6).parts.map((p, i) => (i < 3 ? p : 0));
  return `${new ipaddr.IPv6(parts).toRFC5952String()}/48`;
}

describe('lockoutNetwork: properties', () => {
  it('is the /24 or /48 an independent parser finds, for any IPv4 or IPv6 text', () => {
    fc.assert(
      // ipaddr.js reads an embedded IPv4 tail as IPv4-mapped whatever comes before it
      // ('::0.0.0.0' becomes '::ffff:0:0'), so only mapped ones of those go to the oracle.
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6().filter((s) => !s.includes('.') || /^(0*:)*:?ffff:[\d.]+$/i.test(s))), (ip) => {
        expect(lockoutNetwork(ip)).toBe(oracleNetwork(ip));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a network exactly for the text parseIp accepts, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4Extended(), fc.ipV6().map((s) => s.toUpperCase()), fc.ipV4().map((s) => ` ${s}`)), (text) => {
        const parsed = parseIp(text);
        const network = lockoutNetwork(text);
        expect(network === undefined).toBe(!parsed.ok);
        if (parsed.ok) expect(network).toBe(lockoutNetwork(parsed.address));
      }),
      { numRuns: 2000 },
    );
  });
});
