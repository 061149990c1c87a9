// Part 1 of 4 of the million-instant agreement check (250,000 instants here, 16 zones over
// the four files; split so each file stays within the test-time budget). Each instant's local
// weekday, hour and minute are read through isWithinLoginHours and compared with
// DateTime.fromMillis(ms, { zone }) from luxon.
import { describe, expect, test } from 'vitest';
import { luxonAgreementReport } from '../../src/testing/hours.js';

const zones = ['Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];

describe('offset tables agree with luxon', () => {
  test('the wall clock seen by isWithinLoginHours matches luxon on 250,000 seeded random instants', { timeout: 120_000 }, () => {
    const report = luxonAgreementReport({ zones, instants: 250_000, seed: 0x5eed + 1 });
    expect(report.mismatches).toEqual([]);
    expect(report.mismatchCount).toBe(0);
    // The sample crossed offset changes in every zone, and the fallback beyond the tables.
    for (const zone of zones) expect(report.offsetsSeen[zone], zone).toBeGreaterThan(1);
    expect(report.outsideTable).toBeGreaterThan(1000);
  });
});
