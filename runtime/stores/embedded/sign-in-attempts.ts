/** Store role: failed sign-ins per key, over the embedded record collections (one record of times per key). */
import type { SignInAttemptStore } from "../ports/sign-in-attempts.ts";
import { atOrAfter, type EmbeddedRecords, readRecord, recordValue } from "./embedded-records.ts";

interface Attempts {
  times: string[];
}

export function embeddedSignInAttempts(records: EmbeddedRecords): SignInAttemptStore {
  const collection = "sign-in-attempts";
  const timesOf = (key: string) => readRecord<Attempts>(records.get(collection, key))?.times ?? [];
  return {
    record: (keys, at) => records.write(keys.map((key) => ({ collection, key, value: recordValue({ times: [...timesOf(key), at] }) }))),
    async count(key, since) {
      const times = timesOf(key).filter((time) => atOrAfter(time, since));
      if (times.length === 0) return { count: 0 };
      return { count: times.length, earliest: times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) };
    },
    clear: (key) => records.write(records.get(collection, key) === undefined ? [] : [{ collection, key, delete: true }]),
    async deleteBefore(before) {
      let removed = 0;
      const writes = [];
      for (const key of records.all(collection).keys()) {
        const times = timesOf(key);
        const kept = times.filter((time) => atOrAfter(time, before));
        if (kept.length === times.length) continue;
        removed += times.length - kept.length;
        writes.push(kept.length === 0 ? { collection, key, delete: true as const } : { collection, key, value: recordValue({ times: kept }) });
      }
      await records.write(writes);
      return removed;
    },
  };
}
