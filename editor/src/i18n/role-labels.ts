/** The team roles as people read them, in the UI's language. */
import type { TeamRole } from "../api/session-api.ts";
import type { MessageKey } from "./messages.ts";

export const roleLabels: Record<TeamRole, MessageKey> = { admin: "roleAdmin", editor: "roleEditor", agent: "roleAgent", dpo: "roleDpo" };

export const roleHelp: Record<TeamRole, MessageKey> = { admin: "roleAdminHelp", editor: "roleEditorHelp", agent: "roleAgentHelp", dpo: "roleDpoHelp" };
