/**
 * `botschaft channels setup <telegram|whatsapp|messenger>`: registers what the platform needs
 * to reach the bot, from the same configuration `serve` uses. Telegram: `setWebhook` with the
 * secret token and `allowed_updates`, the commands in German and English, the menu button.
 * Messenger: Get Started and the persistent menu (Messenger Profile API); the webhook itself is
 * subscribed in the Meta app dashboard. WhatsApp: Cloud API webhooks are configured only in the
 * Meta app dashboard, so the command prints the callback URL and verify token to enter there.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { checkFlowSource, isMessengerChannel, menuOf, messengerChannels, prepareFlow } from "../core/index.ts";
import { type Config, ConfigError, readConfig } from "../server/config.ts";
import { channelBindings } from "../channels/index.ts";

type Environment = Readonly<Record<string, string | undefined>>;

export interface SetupIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

async function loadFlow(config: Config, flowId: string) {
  const path = join(config.flowsDir, `${flowId}.yaml`);
  const text = await readFile(path, "utf8").catch(() => {
    throw new ConfigError(`The bot's flow '${flowId}' is not in ${path}.`);
  });
  const { flow } = checkFlowSource(text, { fileName: `${flowId}.yaml` });
  if (!flow) throw new ConfigError(`${path} does not load; run 'botschaft validate ${path}'.`);
  return flow;
}

/** 0 done, 1 a platform refused a call, 2 bad usage or configuration. */
export async function setupChannel(env: Environment, io: SetupIo, name: string): Promise<0 | 1 | 2> {
  if (!isMessengerChannel(name)) {
    io.stderr(`botschaft: channels setup needs one of ${messengerChannels.join(", ")}, not '${name}'.\n`);
    return 2;
  }
  const channelName = name;
  try {
    const config = readConfig(env);
    const binding = channelBindings(config.channels).get(channelName);
    if (!binding) throw new ConfigError(`${channelName} is not configured; see docs/channels.md for its variables.`);
    if (!config.publicUrl) throw new ConfigError("BOTSCHAFT_PUBLIC_URL must be set: the platform needs the public HTTPS address of this runtime.");
    const webhookUrl = `${config.publicUrl}/channels/${channelName}/webhook`;
    const flow = await loadFlow(config, binding.flow);
    const runnable = prepareFlow(flow, "setup");
    const customItems = menuOf(runnable).filter((item) => !["privacy", "imprint", "my-data", "unsubscribe"].includes(item.id));
    const calls = binding.channel.setup({ webhookUrl, policyUrl: flow.privacy.policyUrl ?? "", imprintUrl: flow.privacy.imprintUrl ?? "", customItems, language: flow.language });
    let failed = false;
    for (const call of calls) {
      const outcome = await binding.client.send(call);
      io.stdout(`${call.method}: ${outcome.ok ? "ok" : `failed (HTTP ${outcome.status})`}\n`);
      failed ||= !outcome.ok;
    }
    if (channelName === "telegram" && !config.channels.telegram?.botUsername) {
      io.stdout("Set TELEGRAM_BOT_USERNAME to the bot's username, so that the bot notices mentions in groups and links them to a private chat.\n");
    }
    if (channelName === "whatsapp") {
      const verifyToken = config.channels.whatsapp?.verifyToken ?? "";
      io.stdout(
        `In the Meta app dashboard, WhatsApp > Configuration > Webhook:\n  Callback URL: ${webhookUrl}\n  Verify token: ${verifyToken}\nthen subscribe the webhook field "messages". The runtime must be running to answer the check.\n`,
      );
    }
    if (channelName === "messenger") {
      io.stdout(`In the Meta app dashboard, Messenger > Settings > Webhooks:\n  Callback URL: ${webhookUrl}\n  Verify token: (MESSENGER_VERIFY_TOKEN)\nthen subscribe the page to "messages" and "messaging_postbacks".\n`);
    }
    return failed ? 1 : 0;
  } catch (error) {
    io.stderr(`botschaft: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}
