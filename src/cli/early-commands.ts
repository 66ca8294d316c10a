/**
 * The commands that ask the engine for something as the command line starts (early-requests.ts
 * says what): the entry point (main.ts) loads that code for these only.
 */
export const EARLY_COMMANDS = ["ls"] as const;

export type EarlyCommand = (typeof EARLY_COMMANDS)[number];

export function asksEarly(command: string | undefined): command is EarlyCommand {
  return EARLY_COMMANDS.some((c) => c === command);
}
