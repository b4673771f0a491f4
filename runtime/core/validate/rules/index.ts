/** The graph and content rules of docs/rules.md plus the messenger-limits warning, run in this order after the schema check passes. */
import { channelLimitsRule } from "./channel-limits.ts";
import { consentMissing } from "./consent-missing.ts";
import { durableDelivery } from "./durable-delivery.ts";
import { integrationSetup } from "./integration-setup.ts";
import { menuRequired } from "./menu-required.ts";
import { noticesMissing } from "./notices-missing.ts";
import { privacyUrls } from "./privacy-urls.ts";
import { processorMissing } from "./processor-missing.ts";
import { refUnknown } from "./ref-unknown.ts";
import { retention } from "./retention.ts";
import type { Rule } from "./rule.ts";
import { thirdCountry } from "./third-country.ts";
import { unreachable } from "./unreachable.ts";
import { handoverFallback } from "./handover-fallback.ts";
import { openingHours } from "./opening-hours.ts";
import { messengerRecipient } from "./messenger-recipient.ts";
import { unusedPersonal } from "./unused-personal.ts";
import { webhookAddress } from "./webhook-address.ts";

export const rules: readonly Rule[] = [
  refUnknown,
  consentMissing,
  menuRequired,
  retention,
  privacyUrls,
  processorMissing,
  noticesMissing,
  thirdCountry,
  webhookAddress,
  integrationSetup,
  unreachable,
  unusedPersonal,
  channelLimitsRule,
  handoverFallback,
  openingHours,
  messengerRecipient,
  durableDelivery,
];
