import { MemoryStore } from "./memory-store.ts";
import { storeContract } from "../contracts/store-contract.ts";

storeContract("memory", { open: async () => new MemoryStore() });
