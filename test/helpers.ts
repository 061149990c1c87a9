// Helpers shared by the test files (not a test file itself).
import { StaffgateError } from '../src/errors.js';

/** Runs `fn` and returns the StaffgateError it throws; fails if it returns or throws anything else. */
export function thrownStaffgateError(fn: () => unknown): StaffgateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StaffgateError) return err;
    throw err;
  }
  throw new Error('expected a StaffgateError');
}
