import {
  compileLoginHours,
  isWithinLoginHours,
  nextLoginWindow,
  resolveLocalTime,
  safeCompileLoginHours,
  type CompiledLoginHours,
  type LoginHoursSchedule,
} from 'staffgate/hours';
import type { Printer } from './print.js';

// The seeds' "Enforce timezone login hours" and "Different timezone working": staff may only
// sign in within the business's hours, read on the right clock.
export default function hoursScenes(out: Printer): void {
  const office = compileLoginHours({
    timezone: 'Europe/London',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
  });

  out.scene('Login hours: the London office, Monday to Friday 08:00–18:00');
  for (const at of ['2026-11-24T04:50:00Z', '2026-11-24T09:30:00Z', '2026-11-24T17:45:00Z', '2026-11-27T18:20:00Z']) {
    out.show(at, explain(office, at));
  }

  out.scene('Login hours: a staff member in another time zone');
  out.say('Kenji runs the Tokyo office. His override keeps the office windows but reads them on a Tokyo clock.');
  const kenji = compileLoginHours({ ...scheduleOf(office), timezone: 'Asia/Tokyo' });
  const at = '2026-11-24T01:30:00Z';
  out.show(`London staff at ${at}`, explain(office, at));
  out.show(`Kenji at ${at}`, explain(kenji, at));

  out.scene('Login hours: the night shift');
  out.say('A window from 22:00 to 06:00 belongs to the evening it starts: Friday night runs into Saturday morning.');
  const nights = compileLoginHours({ timezone: 'Europe/London', windows: [{ days: ['fri'], start: '22:00', end: '06:00' }] });
  for (const t of ['2026-11-27T23:30:00Z', '2026-11-28T05:59:00Z', '2026-11-28T06:00:00Z', '2026-11-28T23:30:00Z']) out.show(t, explain(nights, t));

  out.scene('Login hours: the night the clocks change');
  out.say('On 29 March 2026 London skips 01:00–02:00; on 25 October it lives through 01:00–02:00 twice.');
  const early = compileLoginHours({ timezone: 'Europe/London', windows: [{ days: ['sun'], start: '01:00', end: '02:00' }] });
  out.show('spring, 00:30 GMT', explain(early, '2026-03-29T00:30:00Z'));
  out.show('autumn, 01:30 BST (first time)', explain(early, '2026-10-25T00:30:00Z'));
  out.show('autumn, 01:30 GMT (second time)', explain(early, '2026-10-25T01:30:00Z'));
  out.say('Lord Howe Island moves its clocks by only 30 minutes: 02:00 becomes 02:30 on 4 October 2026.');
  const lordHowe = compileLoginHours({ timezone: 'Australia/Lord_Howe', windows: [{ days: ['sun'], start: '02:15', end: '03:00' }] });
  out.show('01:50 on the change night', explain(lordHowe, '2026-10-03T15:20:00Z'));

  out.scene('Login hours: a session outlives the working day');
  out.say('Middleware re-checks each request; the same answer tells the person how long is left.');
  for (const t of ['2026-11-24T17:35:00Z', '2026-11-24T18:01:00Z']) {
    const next = nextLoginWindow(office, t);
    const left = next?.status === 'open' && next.end !== null ? Math.floor((next.end - Date.parse(t)) / 60_000) : 0;
    out.show(t, next?.status === 'open' ? `continue: login hours end at ${next.endLocal?.time ?? '?'} ${next.timezone}, in ${duration(left)}` : 'end the session: login hours are over');
  }

  out.scene('Login hours: mistakes are caught when the settings are saved');
  const bad = safeCompileLoginHours({
    timezone: 'UTC+2',
    windows: [{ days: ['mon', 'Funday'], start: '8:00', end: '24:30' }],
  } as unknown as LoginHoursSchedule);
  if (!bad.ok) out.show('refused', bad.error.issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message}`));
  out.say('The server’s own zone is never a fallback: "local" and fixed offsets are refused, not guessed.');
}

function scheduleOf(hours: CompiledLoginHours): LoginHoursSchedule {
  return { timezone: hours.timezone, windows: hours.windows };
}

function duration(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : '', `${m} min`].filter(Boolean).join(' ');
}

function explain(hours: CompiledLoginHours, at: string): string {
  const local = resolveLocalTime(hours, at);
  const clock = local === null ? 'an invalid instant' : `${local.weekday} ${local.time} in ${local.timezone}`;
  if (isWithinLoginHours(hours, at)) return `allowed (${clock})`;
  const next = nextLoginWindow(hours, at);
  if (next === null) return `refused (${clock}); this schedule has no login hours`;
  return `refused (${clock}): you can sign in from ${next.startLocal.time} ${next.timezone} on ${next.startLocal.weekday} ${next.startLocal.date}, in ${duration(next.waitMinutes)}`;
}
