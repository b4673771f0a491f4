import { MemoryStore } from "./memory-store.ts";
import { storeContract } from "../contracts/store-contract.ts";
import { signalsContract } from "../contracts/signals.contract.ts";

storeContract("memory", { open: async () => new MemoryStore() });

// The embedded stores run one instance, so its "instances" are one bus with several listeners.
const opened: MemoryStore[] = [];
signalsContract("in-process", {
  open: async (count) => {
    const store = new MemoryStore();
    opened.push(store);
    return Array.from({ length: count }, () => store.signals);
  },
  close: async () => {
    for (const store of opened.splice(0)) await store.close();
  },
});
