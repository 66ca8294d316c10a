import { z } from "zod";

/**
 * ~/.modelbox-dev/config.json. Keys this version does not know are ignored, so a newer config
 * still works with an older tool.
 */
export const userConfigSchema = z.object({
  /** Registries to pull ModelBox images from, tried in order: "host[:port][/namespace]". */
  registries: z.array(z.string().min(1)).min(1).optional(),
  /** How long a registry's tag list is reused before asking again (default 3600). */
  tagsCacheTtlSeconds: z.number().int().min(0).optional(),
});

export type UserConfig = z.infer<typeof userConfigSchema>;
