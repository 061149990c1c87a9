import { StaffgateError } from '../errors.js';
import { storedField } from '../stored.js';
import { toEpochMs, type Instant } from '../instant.js';
import { ensureAccount, ensureOverrides } from '../policy/parse.js';
import { accountLayers } from '../policy/resolve.js';
import type { AccountPolicy, LayerTarget, OverrideSet, StaffOverride } from '../policy/schema.js';

/**
 * One exception on the review list: whom it covers, why, what it changes and its dates, with
 * the date that put it on the list.
 *
 * @example
 * ```ts
 * const line = (o: OverrideReviewItem): string =>
 *   `${o.staffId} — ${o.reason}` + (o.date === undefined ? ' (no date)' : ` (${o.dateKind} ${o.date})`);
 * reviewOverrides(overrides, { at: now }).due.map(line);
 * ```
 */
export interface OverrideReviewItem {
  /** Position in the `overrides` array given to {@link reviewOverrides}. */
  readonly index: number;
  readonly staffId: string;
  readonly id?: string;
  /** Why the exception exists, as recorded. */
  readonly reason: string;
  /** What it changes for that person. */
  readonly set: OverrideSet;
  readonly createdAt?: string;
  readonly reviewBy?: string;
  readonly expiresAt?: string;
  /** The date that put it on this list: the review date or the expiry (ISO, as stored); absent for `unscheduled`. */
  readonly date?: string;
  /** Which of the two dates `date` is. */
  readonly dateKind?: 'review' | 'expiry';
  /**
   * Whole days from `at` to `date`: positive for `due` (days left, rounded up), negative for
   * `overdue` and `expired` (days past, rounded down, so `-0` is never used: same day is `0`).
   */
  readonly days?: number;
}

/**
 * The review list, most urgent first in each group: what an admin should look at now, soon,
 * delete, or give a date.
 *
 * @example
 * ```ts
 * const review: OverrideReview = reviewOverrides(overrides, { at: now });
 * const needsAttention = review.overdue.length + review.expired.length + review.unscheduled.length;
 * if (needsAttention > 0) notifyAdmins(`${needsAttention} security exceptions need a look`);
 * ```
 */
export interface OverrideReview {
  /** Past the review date and still in effect: look at these now. */
  readonly overdue: readonly OverrideReviewItem[];
  /** Review date or expiry within `dueWithinDays`: look at these soon (renew or let lapse). */
  readonly due: readonly OverrideReviewItem[];
  /** Expired: no longer in effect, but still stored. Delete them. */
  readonly expired: readonly OverrideReviewItem[];
  /** In effect with neither a review date nor an expiry: nobody is reminded of them. */
  readonly unscheduled: readonly OverrideReviewItem[];
}

/**
 * Options of {@link reviewOverrides}: the instant to review at and how far ahead a date
 * counts as due.
 *
 * @example
 * ```ts
 * const options: ReviewOptions = { at: '2026-11-23T09:00:00Z', dueWithinDays: 30 };
 * const review = reviewOverrides(overrides, options);
 * ```
 */
export interface ReviewOptions {
  /** The instant to review at. */
  readonly at: Instant;
  /** How far ahead a review date or expiry counts as due. Default 14 days. */
  readonly dueWithinDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Sorts staff exceptions into the lists an admin works through ("Review overrides
 * regularly"): `overdue` (review date passed, still in effect), `due` (review date or expiry
 * within `dueWithinDays`), `expired` (no effect any more, still stored) and `unscheduled` (no
 * date at all). Each override lands in at most one list; one neither due nor undated is in
 * none. A review date at exactly `at` is overdue; an expiry at exactly `at` is expired, as in
 * `resolvePolicy`.
 *
 * @throws {StaffgateError} `invalid_instant` for a bad `at`; `invalid_option` for a negative or
 *   non-finite `dueWithinDays`; parse errors for invalid raw overrides.
 * @example
 * ```ts
 * const review = reviewOverrides(overrides, { at: now, dueWithinDays: 30 });
 * for (const o of review.overdue) console.log(`${o.staffId}: "${o.reason}", review was due ${o.date}`);
 * ```
 */
export function reviewOverrides(overrides: readonly StaffOverride[], options: ReviewOptions): OverrideReview {
  const [at, horizon] = reviewWindow(options);
  const list = ensureOverrides(overrides);
  const overdue: Sortable[] = [];
  const due: Sortable[] = [];
  const expired: Sortable[] = [];
  const unscheduled: Sortable[] = [];

  const buckets = { overdue, due, expired, unscheduled };
  for (const [index, o] of list.entries()) {
    // Read as resolvePolicy reads them (own fields only), so "expired" here means "ignored" there.
    const placed = place(storedField(o, 'expiresAt') as string | undefined, storedField(o, 'reviewBy') as string | undefined, at, horizon);
    if (placed !== undefined) buckets[placed.bucket].push({ ms: placed.ms, value: { ...base(index, o), ...placed.dated } });
  }
  return { overdue: sorted(overdue), due: sorted(due), expired: sorted(expired), unscheduled: sorted(unscheduled) };
}

interface Sortable<T = OverrideReviewItem> {
  readonly ms: number;
  readonly value: T;
}

function base(index: number, o: StaffOverride): OverrideReviewItem {
  return {
    index,
    staffId: o.staffId,
    ...(o.id === undefined ? {} : { id: o.id }),
    reason: o.reason,
    set: o.set,
    ...(o.createdAt === undefined ? {} : { createdAt: o.createdAt }),
    ...(o.reviewBy === undefined ? {} : { reviewBy: o.reviewBy }),
    ...(o.expiresAt === undefined ? {} : { expiresAt: o.expiresAt }),
  };
}

/** `at` and the end of the due window, checked. */
function reviewWindow(options: ReviewOptions): [number, number] {
  const at = toEpochMs(options.at);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['at'] });
  const within = options.dueWithinDays ?? 14;
  if (typeof within !== 'number' || !Number.isFinite(within) || within < 0) {
    throw new StaffgateError('invalid_option', 'must be a number of days, 0 or more', { path: ['dueWithinDays'] });
  }
  return [at, at + within * DAY_MS];
}

/**
 * One layer on a review list, with the date that put it there.
 *
 * @example
 * ```ts
 * const item: LayerReviewItem = reviewLayers(account, { at: now }).overdue[0]!;
 * console.log(`layer ${item.id} for ${[...(item.appliesTo.roles ?? []), ...(item.appliesTo.teams ?? [])].join(', ')}: review was due ${item.date}`);
 * ```
 */
export interface LayerReviewItem extends Pick<OverrideReviewItem, 'date' | 'dateKind' | 'days'> {
  /** Position in the account's `layers`. */
  readonly index: number;
  readonly id: string;
  readonly reason: string;
  readonly appliesTo: LayerTarget;
  readonly set: OverrideSet;
  readonly reviewBy?: string;
  readonly expiresAt?: string;
}

/**
 * The account's layers sorted into the same four lists as {@link reviewOverrides} gives for
 * staff exceptions.
 *
 * @example
 * ```ts
 * const { overdue, due, expired, unscheduled }: LayerReview = reviewLayers(account, { at: now });
 * ```
 */
export interface LayerReview {
  readonly overdue: readonly LayerReviewItem[];
  readonly due: readonly LayerReviewItem[];
  readonly expired: readonly LayerReviewItem[];
  readonly unscheduled: readonly LayerReviewItem[];
}

/**
 * The sibling of {@link reviewOverrides} for an account's layers (rules for roles and teams):
 * `overdue`, `due` within `dueWithinDays`, `expired` (no effect, still stored) and
 * `unscheduled` (no date), by the same rules and in the same order.
 *
 * @throws {StaffgateError} `invalid_instant` for a bad `at`; `invalid_option` for a bad
 *   `dueWithinDays`; parse errors for invalid raw settings.
 * @example
 * ```ts
 * for (const l of reviewLayers(account, { at: now, dueWithinDays: 30 }).due) {
 *   console.log(`layer ${l.id}: "${l.reason}", ${l.dateKind} in ${l.days} days`);
 * }
 * ```
 */
export function reviewLayers(account: AccountPolicy, options: ReviewOptions): LayerReview {
  const [at, horizon] = reviewWindow(options);
  const buckets: Record<Bucket, Sortable<LayerReviewItem>[]> = { overdue: [], due: [], expired: [], unscheduled: [] };
  for (const l of accountLayers(ensureAccount(account))) {
    const index = l.index;
    const placed = place(l.expiresAt, l.reviewBy, at, horizon);
    if (placed === undefined) continue;
    const value: LayerReviewItem = {
      index,
      id: l.id,
      reason: l.reason,
      appliesTo: l.appliesTo,
      set: l.set,
      ...(l.reviewBy === undefined ? {} : { reviewBy: l.reviewBy }),
      ...(l.expiresAt === undefined ? {} : { expiresAt: l.expiresAt }),
      ...placed.dated,
    };
    buckets[placed.bucket].push({ ms: placed.ms, value });
  }
  return { overdue: sorted(buckets.overdue), due: sorted(buckets.due), expired: sorted(buckets.expired), unscheduled: sorted(buckets.unscheduled) };
}

type Bucket = 'overdue' | 'due' | 'expired' | 'unscheduled';
type Dated = Pick<OverrideReviewItem, 'date' | 'dateKind' | 'days'>;

/**
 * Which list a rule with these dates belongs on at `at` (none: nothing due before `horizon`),
 * the instant it is sorted by, and the date that put it there with the days to or since it.
 */
function place(expiresAt: string | undefined, reviewBy: string | undefined, at: number, horizon: number): { bucket: Bucket; ms: number; dated: Dated } | undefined {
  const expires = expiresAt === undefined ? undefined : toEpochMs(expiresAt);
  const review = reviewBy === undefined ? undefined : toEpochMs(reviewBy);
  const dated = (kind: 'review' | 'expiry', ms: number): Dated => {
    const date = kind === 'review' ? reviewBy : expiresAt;
    const delta = (ms - at) / DAY_MS;
    // Days left round up (due in 0.2 days is "1 day left"); days past round down toward zero.
    const days = delta > 0 ? Math.ceil(delta) : Math.trunc(delta) === 0 ? 0 : Math.trunc(delta);
    return { ...(date === undefined ? {} : { date }), dateKind: kind, days };
  };
  if (expires !== undefined && expires <= at) return { bucket: 'expired', ms: expires, dated: dated('expiry', expires) };
  if (review !== undefined && review <= at) return { bucket: 'overdue', ms: review, dated: dated('review', review) };
  if (review !== undefined && review <= horizon && (expires === undefined || review <= expires)) return { bucket: 'due', ms: review, dated: dated('review', review) };
  if (expires !== undefined && expires <= horizon) return { bucket: 'due', ms: expires, dated: dated('expiry', expires) };
  if (review === undefined && expires === undefined) return { bucket: 'unscheduled', ms: Number.POSITIVE_INFINITY, dated: {} };
  return undefined;
}

function sorted<T extends { readonly index: number }>(items: Sortable<T>[]): T[] {
  return items.sort((a, b) => a.ms - b.ms || a.value.index - b.value.index).map((s) => s.value);
}
