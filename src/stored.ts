/**
 * Reading records that come back from the host's storage (API-key records, one-time-code
 * challenges). Shared by the capabilities that verify them; never exported from the package.
 */

/**
 * The fields `keys` of a stored record, read once each into a plain snapshot that later checks
 * read instead of the record. A field defined only on `Object.prototype` reads as missing: when
 * some dependency has polluted the prototype (`Object.prototype.revokedAt = null`), a column the
 * host forgot to store must still be refused as missing, not read as "never revoked". Fields
 * from any other prototype (an ORM's entity class, a getter) are read as usual.
 *
 * May throw when the record is a proxy or has a getter that throws: callers catch that and
 * refuse the record.
 */
export function readStoredFields<K extends string>(record: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const snapshot: Partial<Record<K, unknown>> = Object.create(null) as Partial<Record<K, unknown>>;
  for (const key of keys) snapshot[key] = definedBelowObjectPrototype(record, key) ? (record as Record<K, unknown>)[key] : undefined;
  return snapshot;
}

function definedBelowObjectPrototype(record: object, key: string): boolean {
  for (let o: object | null = record; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.hasOwn(o, key)) return true;
  }
  return false;
}
