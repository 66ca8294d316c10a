/** Developer mode as `status` reports it, in the words the pages show. */
const DEVELOPER_MODE: Record<string, string> = {
  running: "on",
  stopped: "set up, server stopped",
  "not-set-up": "off",
  "no-modelbox-tool": "not available",
};

export const developerModeText = (state: string): string => DEVELOPER_MODE[state] ?? state;
