import { setDefaultEngineFlags } from "../engine/create-engine.js";
import type { EngineFlags } from "../engine/select/resolve-engine.js";

export { createEngine } from "../engine/create-engine.js";
export { detectHostAddress } from "../host/host-address.js";

/** The global --host / --context, set once before a command runs: every operation's engine. */
export function setEngineFlags(flags: EngineFlags): void {
  setDefaultEngineFlags(flags);
}
