/** Store role: a few runtime settings (key → value). */

export interface SettingsStore {
  /** A runtime setting, such as the hash of the admin token. */
  get(key: string): Promise<string | undefined>;

  /** Stores a runtime setting, replacing its value. Durable when resolved. */
  put(key: string, value: string): Promise<void>;
}
