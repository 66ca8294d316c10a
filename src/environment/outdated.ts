import { effectiveRegistries } from "../config/registries.js";
import { LABELS } from "../labels.js";
import { type DigestCheck, checkImageDigest } from "../registry/check-digest.js";
import { getEnvironment, listEnvironments } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { registryContext } from "./registry-context.js";

export interface OutdatedOptions {
  /** One environment; default every one (stopped ones too: they run the image on start). */
  name?: string;
  /** Ask these registries instead of the one that served the image. */
  registry?: string[];
}

export type OutdatedEnvironment = { name: string; image: string } & DigestCheck;

export interface OutdatedResult {
  ok: true;
  /** How many run an image older than what their tag names now. */
  outdated: number;
  environments: OutdatedEnvironment[];
}

/** `outdated [NAME]`: whether each environment's tag now names another image (R9). */
export async function outdated(
  options: OutdatedOptions = {},
  context?: OperationContext,
): Promise<OutdatedResult> {
  const { engine, signal } = resolveContext(context);
  const registries = await registryContext();
  const override = options.registry?.length ? effectiveRegistries(options.registry, {}) : undefined;
  const environments = options.name
    ? [await getEnvironment(engine, options.name)]
    : await listEnvironments(engine, true);
  // Environments on the same image and digest need one question to the registry.
  const asked = new Map<string, Promise<DigestCheck>>();
  const rows = await Promise.all(
    environments.map(async (c) => {
      const image = c.labels[LABELS.image] ?? c.image;
      const recorded = c.labels[LABELS.imageDigest];
      const key = `${image} ${recorded ?? ""}`;
      let check = asked.get(key);
      if (!check) {
        check = checkImageDigest(image, recorded, {
          ...(override ? { registries: override } : {}),
          known: registries.registries,
          credentials: registries.credentials,
          ...(signal ? { signal } : {}),
        });
        asked.set(key, check);
      }
      return { name: c.name, image, ...(await check) };
    }),
  );
  return {
    ok: true,
    outdated: rows.filter((r) => r.status === "outdated").length,
    environments: rows,
  };
}
