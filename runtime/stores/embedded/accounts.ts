/** Store role: team accounts, over the embedded record collections (a few dozen: scanning beats an index). */
import type { AccountRecord, AccountStore } from "../ports/accounts.ts";
import { StoreError } from "../ports/store-error.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

export function embeddedAccounts(records: EmbeddedRecords): AccountStore {
  const collection = "accounts";
  const byEmail = (email: string) => readRecords<AccountRecord>(records, collection).find((account) => account.email === email);
  return {
    async create(record) {
      if (records.get(collection, record.id) !== undefined || byEmail(record.email)) {
        throw new StoreError("account-exists", `an account with the id or e-mail of ${record.id} exists already`);
      }
      await records.write([{ collection, key: record.id, value: recordValue(record) }]);
    },
    get: async (id) => readRecord<AccountRecord>(records.get(collection, id)),
    findByEmail: async (email) => byEmail(email),
    findBySso: async (issuer, subject) =>
      readRecords<AccountRecord>(records, collection).find((account) => account.sso?.issuer === issuer && account.sso.subject === subject),
    list: async () => readRecords<AccountRecord>(records, collection).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0)),
    async put(record) {
      if (records.get(collection, record.id) === undefined) return false;
      const owner = byEmail(record.email);
      if (owner && owner.id !== record.id) throw new StoreError("account-exists", `the e-mail of ${record.id} belongs to another account`);
      await records.write([{ collection, key: record.id, value: recordValue(record) }]);
      return true;
    },
  };
}
