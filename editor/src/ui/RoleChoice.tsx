/** Checkboxes for the four team roles, each with what it allows. */
import type { TeamRole } from "../api/session-api.ts";
import { t } from "../i18n/messages.ts";
import { roleHelp, roleLabels } from "../i18n/role-labels.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

const allRoles: TeamRole[] = ["admin", "editor", "agent", "dpo"];

export function RoleChoice({ lang, roles, onChange, idPrefix }: { lang: UiLanguage; roles: TeamRole[]; onChange(roles: TeamRole[]): void; idPrefix: string }) {
  return (
    <fieldset className="roles">
      <legend>{t(lang, "colRoles")}</legend>
      {allRoles.map((role) => (
        <label key={role} title={t(lang, roleHelp[role])}>
          <input
            type="checkbox"
            data-testid={`${idPrefix}-role-${role}`}
            checked={roles.includes(role)}
            onChange={(event) => onChange(event.target.checked ? [...roles, role] : roles.filter((other) => other !== role))}
          />{" "}
          {t(lang, roleLabels[role])} <small>({t(lang, roleHelp[role])})</small>
        </label>
      ))}
    </fieldset>
  );
}
