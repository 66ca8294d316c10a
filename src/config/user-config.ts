import { readFile } from "node:fs/promises";
import { ModelboxDevError } from "../errors.js";
import type { UserConfig } from "./user-config-schema.js";
import { userConfigPath } from "./paths.js";

export type { UserConfig };

const SHAPE_HINT =
  'It is a JSON object such as {"registries": ["swr.cn-north-4.myhuaweicloud.com/modelbox", "docker.io/modelbox"], "tagsCacheTtlSeconds": 3600} (README: "Config file").';

/** The user's config file; {} when there is none. */
export async function loadUserConfig(path: string = userConfigPath()): Promise<UserConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `Cannot read the config file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`,
      "Fix its permissions, or point MODELBOX_DEV_CONFIG at another file.",
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `The config file ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`,
      SHAPE_HINT,
    );
  }
  // zod only when there is a file to check: commands start faster without it.
  const { userConfigSchema } = await import("./user-config-schema.js");
  const parsed = userConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `The config file ${path} does not have the expected shape.`,
      SHAPE_HINT,
      {
        details: parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`),
      },
    );
  }
  return parsed.data;
}
