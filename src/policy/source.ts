// Which layer a setting came from, for reasons and traces. Kept apart from resolve.ts so that
// the login decision, which needs these words, does not load the settings parser (and zod).
import type { PolicyField } from './effect.js';
import type { EffectivePolicy, FieldSource } from './resolve.js';

const ACCOUNT: FieldSource = Object.freeze({ layer: 'account' });

/**
 * @internal Whether `a` was applied after `b` (so it wins a field both set): overrides after
 * layers after the account, and within each, later in the list.
 */
export function appliedLater(a: FieldSource, b: FieldSource): boolean {
  if (a.layer === 'override') return b.layer !== 'override' || a.overrideIndex > b.overrideIndex;
  if (a.layer === 'layer') return b.layer === 'account' || (b.layer === 'layer' && a.layerIndex > b.layerIndex);
  return false;
}

/**
 * @internal The source of the value that decides among `fields`: the last applied (an
 * override, else a layer), else the account.
 */
export function decidingSource(policy: EffectivePolicy, fields: readonly PolicyField[]): FieldSource {
  let best: FieldSource = ACCOUNT;
  for (const f of fields) {
    const s = policy.sources[f];
    if (appliedLater(s, best)) best = s;
  }
  return best;
}

/**
 * @internal Words for the deciding source among `fields`, for reasons and traces:
 * `account default`, `layer admins-totp: "why"`, `override o-7 of u_42: "why"`.
 */
export function describeDecidingSource(policy: EffectivePolicy, fields: readonly PolicyField[]): string {
  const s = decidingSource(policy, fields);
  if (s.layer === 'account') return 'account default';
  if (s.layer === 'layer') {
    const l = policy.applied.find((a) => a.kind === 'layer' && a.index === s.layerIndex);
    return `layer ${s.layerId}${l ? `: "${l.reason}"` : ''}`;
  }
  const o = policy.applied.find((a) => a.kind === 'override' && a.index === s.overrideIndex);
  return `override ${s.overrideId ?? `#${String(s.overrideIndex)}`} of ${s.staffId}${o ? `: "${o.reason}"` : ''}`;
}

/**
 * @internal Roles and teams as words, roles first: `role admin`, `team sales`. The one
 * spelling of a layer's target or a person's membership in messages, diffs and the CLI.
 */
export function targetWords(roles: readonly string[] = [], teams: readonly string[] = []): string[] {
  return [...roles.map((r) => `role ${r}`), ...teams.map((t) => `team ${t}`)];
}
