export const helpText = `Usage: botschaft <command> [options]

Commands:
  validate [options] <file|dir>...  Check flow files (YAML, JSON Schema, the privacy rules) and the
                                    knowledge bases beside them (*.faq.yaml).
  list [--lang de|en] [dir]         Check every flow in dir (default: flows) and list them.
  privacy-text [options] [file|dir]...
                                    Print the privacy-policy passage for the flows (default: flows),
                                    generated from what they do; --record prints the Art. 30 record
                                    instead; --region names where the runtime runs (default: EU).
  ask <knowledge-base> "<question>" Match a question against a knowledge base (*.faq.yaml); prints
                                    {"decision":"answer"|"suggest"|"fallback","candidates":[{"id","score"}]}.
  faq-eval <knowledge-base> <questions.csv>
                                    Score a knowledge base against a CSV of question,expected (empty
                                    expected: the fallback is right); prints accuracy, confident wrong
                                    answers and confusions, last line accuracy=… wrong_confident=….
  serve                             Run the runtime: publish flows/, serve the web chat API (npm start).
  purge                             Delete every conversation whose retention has run out, now.
  users add <email> --role <role>…  Invite a team member (roles admin, editor, agent, dpo); prints the
                                    one-time link (valid 72 hours) on the last line.
  users list | disable <email> | reset <email>
                                    List accounts, disable one (its sessions end), or print a
                                    password-reset link. Works whether or not the server runs.
  erasures export                   Print the erasure log: one digest per erased conversation, nothing
                                    personal. Keep it with your backups.
  erasures apply <file>             Erase again, in this store, what a log printed by \`erasures export\`
                                    names: run it after restoring a backup (docs/running.md).
  ledger verify                     Check the proof ledger's chain of consents, erasures and exports:
                                    exit 0 when intact, 1 naming the first broken entry. With the
                                    embedded store, stop the server first.
  channels setup <channel>          Register the webhook and menus of telegram, whatsapp or messenger.
  help                              Show this help.

Options of validate:
  --format text|json|github  text (default): file:line:column: severity rule: message
                             json: [{ file, ok, problems }] for tools
                             github: workflow commands that annotate pull requests
  --json                     Same as --format json.
  --lang de|en               Language of the messages (default: German if LANG starts with "de", else English).
  --channels list            Messengers the flows run on (telegram,whatsapp,messenger): warn about
                             options that will not fit them (rule channel-limits).
  --webhook-allow-hosts list Hosts (host or host:port) webhooks may reach although not public,
                             as in the runtime's BOTSCHAFT_WEBHOOK_ALLOW_HOSTS (rule webhook-address).

  -h, --help                 Show this help.
  --version                  Print the version.

Directories are searched recursively for *.yaml and *.yml files; node_modules and
names starting with "." are skipped.

Exit status: 0 when no file has an error (warnings allowed), 1 when one has, 2 on bad usage.
`;
