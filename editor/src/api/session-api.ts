/** Signing in and out, and who is signed in: `/api/v1/session`. */
import { Http } from "./http.ts";

import type { Permission, TeamRole } from "../../../runtime/core/index.ts";

export type { Permission, TeamRole };

export interface SignedIn {
  email?: string;
  name: string;
  roles: TeamRole[];
  permissions: Permission[];
  csrfToken?: string;
  approvalRequired: boolean;
  singleSignOn: boolean;
}

const anonymous = new Http(undefined);

/** Who is signed in, or undefined when nobody is (401). */
export async function currentSession(): Promise<SignedIn | undefined> {
  try {
    return await anonymous.call<SignedIn>("GET", "/session");
  } catch (error) {
    if (error instanceof Error && "status" in error && error.status === 401) return undefined;
    throw error;
  }
}

export async function signInOptions(): Promise<{ singleSignOn: boolean }> {
  return anonymous.call("GET", "/session/options");
}

export function signIn(email: string, password: string): Promise<void> {
  return anonymous.json("POST", "/session", { email, password });
}

export function signOut(session: SignedIn): Promise<void> {
  return new Http(session.csrfToken).call("DELETE", "/session");
}

/** Whether the signed-in person's roles grant a permission (the server decides the same way). */
export function can(session: SignedIn, permission: Permission): boolean {
  return session.permissions.includes(permission);
}
