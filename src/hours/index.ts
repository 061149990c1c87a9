// Login hours: schedules of wall-clock windows in an IANA zone, compiled once and checked
// per request with arithmetic. See docs/login-hours.md.
export {
  WEEKDAYS,
  compileLoginHours,
  safeCompileLoginHours,
  isWithinLoginHours,
  nextLoginWindow,
  resolveLocalTime,
} from './schedule.js';
export type {
  Weekday,
  LoginHoursWindow,
  LoginHoursSchedule,
  CompiledLoginHours,
  LocalTime,
  NextLoginWindow,
} from './schedule.js';
export { parseTimeZone } from './zone.js';
export { parseTimeOfDay } from './time-of-day.js';
