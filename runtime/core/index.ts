/**
 * Botschaft's pure core: the flow DSL's types, the node registry, the validator and the
 * conversation engine. Browser-safe (no Node, no I/O, no clock); shared by the editor, the
 * server and the CLI.
 */
export { channelTexts, textsFor } from "./channels/channel-texts.ts";
export { type ChannelId, isMessengerChannel, type MessengerChannel, messengerChannels, messengerPlatforms, platformLimits } from "./channels/channel-table.ts";
export {
  choicePayload,
  type DeliveryInput,
  getStartedPayload,
  inputFromPayload,
  inputFromText,
  keywordList,
  menuPayload,
  numberPayload,
} from "./channels/delivery-input.ts";
export { botMenuLabels } from "./channels/menu-labels.ts";
export { deleteAfter } from "./dsl/duration.ts";
export { defaultFieldLabel, fieldLabel } from "./dsl/field-labels.ts";
export type * from "./dsl/flow.ts";
export { builtInMenuItems, isCustomMenuItem, menuItemId } from "./dsl/flow.ts";
export { isPersonalFieldName } from "./dsl/personal-fields.ts";
export type * from "./engine/conversation.ts";
export { type MenuEntry, prepareFlow, type RunnableFlow } from "./engine/runnable-flow.ts";
export { botTexts } from "./engine/bot-texts.ts";
export { correctField, exportData, liveConsents, menuOf, startConversation, step } from "./engine/step.ts";
export { type CallWebhookEffect, type DrivenTurn, driveTurn, maxWebhooksPerTurn, type TurnHandlers, type WebhookOutcome } from "./engine/drive-turn.ts";
export { type PrivacyTextOptions, privacyPolicyText, processingRecordText } from "./privacy/privacy-text.ts";
export { erasureNotices, type NoticeBody, type NoticeType, noteRecipients, type PlannedNotice, planNotices, type SentData, withTold } from "./privacy/recipient-notices.ts";
export { type DeploymentFacts, deletionConceptText, processingAgreementTexts, tomAnnexText } from "./privacy/paperwork.ts";
export { type CheckSourceOptions, type CheckSourceResult, checkFlowSource, flowIdFromFileName, maxFlowBytes } from "./load/check-flow-source.ts";
export type { DraftNode, EdgeKind, EdgeSlot, NodeDefinition, NodeEdge } from "./nodes/node-definition.ts";
export { edgesOf, nodeDefinitions, slotsOf } from "./nodes/index.ts";
export { type CheckValueOptions, type CheckValueResult, checkFlowValue } from "./validate/validate-flow.ts";
export {
  hasErrors,
  type Language,
  type Problem,
  type RuleId,
  ruleSeverities,
  type Severity,
  type UnlocatedProblem,
} from "./validate/problem.ts";
export { checkTarget, type TargetCheck, type WebhookTarget } from "./webhook/check-target.ts";
export { canonicalHost, isAllowListed, malformedAllowListEntry } from "./webhook/is-allow-listed.ts";
export { isPublicAddress } from "./webhook/is-public-address.ts";
export { integrationAddress, integrationCall, integrationFields, integrationKey, presetApiRoots, presetProcessors, type IntegrationCall, type IntegrationPreset, type PresetProcessor } from "./webhook/integrations.ts";
export { allows, isTeamRole, type Permission, permissionsOf, type TeamRole, teamRoles } from "./team/permissions.ts";
export type { FaqEntry, FaqThresholds, KnowledgeBase } from "./dsl/knowledge-base.generated.ts";
export {
  type CheckKnowledgeBaseResult,
  checkKnowledgeBaseSource,
  checkKnowledgeBaseValue,
  isKnowledgeBaseFileName,
  knowledgeBaseNameFromFileName,
  knowledgeBaseSuffix,
} from "./faq/check-knowledge-base.ts";
export {
  defaultThresholds,
  explainQuestion,
  type FaqCandidate,
  type FaqDecision,
  type FaqIndex,
  type FaqMatch,
  type FaqThresholdSettings,
  indexKnowledgeBase,
  matchQuestion,
} from "./faq/faq-index.ts";
export { type EvaluatedRow, type EvaluationReport, type EvaluationRow, evaluateFaq } from "./faq/evaluate-faq.ts";
export { maskPersonalData } from "./faq/mask-personal-data.ts";
export { checkFaqReferences, knowledgeBasesOf } from "./faq/check-faq-references.ts";
export { prepareKnowledgeBase, type RunnableKnowledgeBase } from "./faq/runnable-knowledge-base.ts";
