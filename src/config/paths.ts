import { join } from "node:path";
import { modelboxDevHome } from "../state-dir.js";

/** $MODELBOX_DEV_CONFIG, else ~/.modelbox-dev/config.json. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MODELBOX_DEV_CONFIG ?? join(modelboxDevHome(), "config.json");
}

/** Cached registry answers (tag lists); safe to delete at any time. */
export function cacheDir(): string {
  return join(modelboxDevHome(), "cache");
}
