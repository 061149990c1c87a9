/**
 * Reading records that come back from the host's storage (API-key records, one-time-code
 * challenges). Shared by the capabilities that verify them; never exported from the package.
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
  // The common case costs one lookup: nothing of that name on Object.prototype.
  if (value === undefined || !Object.hasOwn(Object.prototype, key)) return value;
  for (let o: object | null = record; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.hasOwn(o, key)) return value;
  }
  return undefined;
}
