// The million-instant agreement check, shared by luxon-agreement-{1..4}.property.test.ts: each
// file checks 250,000 instants in four zones (16 zones in all), split so each file stays within
// the test-time budget. Each instant's local weekday, hour and minute are read through
// isWithinLoginHours and compared with DateTime.fromMillis(ms, { zone }) from luxon.
import { describe, expect, test } from 'vitest';
import { luxonAgreementReport } from '../../src/testing/hours.js';

export function checkLuxonAgreement(zones: readonly string[], part: number): void {
  describe('offset tables agree with luxon', () => {
    test('the wall clock seen by isWithinLoginHours matches luxon on 250,000 seeded random instants', { timeout: 120_000 }, () => {
      const report = luxonAgreementReport({ zones, instants: 250_000, seed: 0x5eed + part });
      expect(report.mismatches).toEqual([]);
      expect(report.mismatchCount).toBe(0);
      // The sample crossed offset changes in every zone, and the fallback beyond the tables.
      for (const zone of zones) expect(report.offsetsSeen[zone], zone).toBeGreaterThan(1);
      expect(report.outsideTable).toBeGreaterThan(1000);
    });
  });
}
