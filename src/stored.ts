/**
 * Reading objects the host hands over (API-key records, one-time-code challenges, parsed
 * settings and overrides, member records, items) so that a polluted `Object.prototype` cannot
 * fill in a field they lack. Shared by the capabilities; never exported from the package.
 */

/**
 * `record[key]`, except that a field only `Object.prototype` supplies reads as missing: when
 * some dependency has polluted the prototype (`Object.prototype.revokedAt = null`), a column the
 * host forgot to store must still be refused as missing, not read as "never revoked". Fields
 * from any other prototype (an ORM's entity class, a getter) are read as usual. Callers read
 * each field once, into a snapshot that later checks use.
 *
 * May throw when the record is a proxy or has a getter that throws: callers catch that and
 * refuse the record.
 */
export function storedField(record: object, key: string): unknown {
  const value = (record as Record<string, unknown>)[key];
  return value === undefined || !onlyObjectPrototypeHas(record, key) ? value : undefined;
}

/**
 * Whether reading `record[key]` finds the property on `Object.prototype` only (neither the
 * record nor any other prototype of its chain has it): a value read so is a polluter's. For
 * hot paths that read a field by name and check it only where it would grant something.
 */
export function onlyObjectPrototypeHas(record: object, key: string): boolean {
  // The common case: nothing of that name on Object.prototype. (Hot paths check that first
  // with a load by name, which costs less: see PROTO in access/check.ts. That shortcut assumes
  // data properties, which is what pollution through parsed JSON makes; a getter planted on
  // Object.prototype by code running in the process is beyond what any check here can stop.)
  if (!Object.hasOwn(Object.prototype, key)) return false;
  for (let o: object | null = record; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.hasOwn(o, key)) return false;
  }
  return true;
}
