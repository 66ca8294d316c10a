import { readRootPasswordHash, setRootPasswordHash } from "../access/root-password.js";
import { resolveImageArgument, withReleaseTag } from "../catalog/image-argument.js";
import { normalizeImageReference, parseImageReference } from "../catalog/image-reference.js";
import type { ContainerDetails, PullPolicy } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";
import { HOME_TARGET } from "../plan/plan-home-volume.js";
import {
  type RecordedOptions,
  readRecordedOptions,
  upOptionsFromRecord,
} from "../plan/recorded-options.js";
import { getEnvironment } from "./find.js";
import { containerImageFacts, imageFacts } from "./image-facts.js";
import { obtainWithEvents } from "./obtain-with-events.js";
import { type OperationContext, type ResolvedContext, resolveContext } from "./operation.js";
import { registryContext } from "./registry-context.js";
import type { ImageFacts, UpgradeOptions, UpgradeResult, UpResult } from "./types.js";
import { up } from "./up.js";

/** The options the environment was made with, or why it cannot be upgraded. */
function recordedOptions(c: ContainerDetails): RecordedOptions {
  const record = readRecordedOptions(c.labels[LABELS.options], c.name);
  if (record) return record;
  throw new ModelboxDevError(
    "NOT_UPGRADABLE",
    `${c.name} was made by an older modelbox-dev, which did not record its options, so it cannot be made again from them.`,
    `Copy what you need out of /root first (it is in the container), then make it again with 'modelbox-dev up ${c.name} --recreate --image NEW_IMAGE' and its options.`,
  );
}

/** The image to upgrade to: `image` (a bare ModelBox name works), else the recorded one. */
function targetImage(options: UpgradeOptions, record: RecordedOptions): string {
  const given = options.image !== undefined;
  const image = given ? resolveImageArgument(options.image ?? "") : record.image;
  if (options.version === undefined) return normalizeImageReference(image);
  // A tag the user did not write gives way to --version.
  const untagged = !given || parseImageReference(options.image ?? "").tag === undefined;
  return normalizeImageReference(withReleaseTag(image, options.version, untagged));
}

/** /root survives only in a volume: without one, upgrading loses it, and says so first. */
function assertHomeKept(c: ContainerDetails, record: RecordedOptions, force: boolean): string[] {
  if (c.volumes.some((v) => v.target === HOME_TARGET)) return [];
  const why = record.homeVolume
    ? "it was made before modelbox-dev kept /root in a volume"
    : "it was made with --no-home-volume";
  const loss = `/root of ${c.name} is not in a volume (${why}): the upgrade does not keep it.`;
  if (force) return [loss];
  throw new ModelboxDevError(
    "HOME_NOT_KEPT",
    loss,
    `Copy what you need out of /root first, then run 'modelbox-dev upgrade ${c.name} --force' (the new environment keeps /root in a volume${record.homeVolume ? "" : " only if made without --no-home-volume"}).`,
  );
}

const POLICIES: readonly PullPolicy[] = ["always", "missing", "never"];

function pullPolicy(value: string | undefined): PullPolicy {
  if (value === undefined) return "always";
  if ((POLICIES as readonly string[]).includes(value)) return value as PullPolicy;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `--pull ${JSON.stringify(value)} is not one of ${POLICIES.join(", ")}.`,
    `Give one of: ${POLICIES.join(", ")}.`,
  );
}

/** The new image, pulled through the registries or mirrors in order (with progress events). */
async function obtainTarget(
  ctx: ResolvedContext,
  image: string,
  options: UpgradeOptions,
): Promise<ImageFacts> {
  const registries = await registryContext(options.registry);
  const obtained = await obtainWithEvents(ctx.engine, image, {
    policy: pullPolicy(options.pull),
    registries: registries.registries,
    credentials: registries.credentials,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    emit: ctx.emit,
  });
  return imageFacts(image, obtained);
}

/** The variables' values, as the container has them (the options label keeps only names). */
function userEnvValues(c: ContainerDetails, record: RecordedOptions): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of record.envNames) {
    const value = c.env[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** Root's password lives in /etc/shadow, outside /root: carried over as its hash. */
async function carryPassword(
  ctx: ResolvedContext,
  old: ContainerDetails,
  result: UpResult,
  hash: string | undefined,
): Promise<string[]> {
  if (hash) {
    await setRootPasswordHash(ctx.engine, result.id, hash);
    result.passwordSet = true;
    return [];
  }
  return old.status === "running"
    ? []
    : [
        `${old.name} was not running, so root's password (if it had one) could not be carried over: set it with 'modelbox-dev passwd ${old.name}'.`,
      ];
}

/**
 * `upgrade NAME`: pulls the new image (the same reference again, or `image`/`version`), then
 * makes the environment again with its recorded options and the new image, keeping the volume
 * that holds /root (the editor's graphs, history, ~/.local, ~/.ssh), the ports, the key login,
 * root's password and developer mode. Reports the image before and after.
 */
export async function upgrade(
  options: UpgradeOptions,
  context?: OperationContext,
): Promise<UpgradeResult> {
  const ctx = resolveContext(context);
  const old = await getEnvironment(ctx.engine, options.name);
  const record = recordedOptions(old);
  const image = targetImage(options, record);
  const warnings = assertHomeKept(old, record, options.force ?? false);
  const from = containerImageFacts(old);
  const to = await obtainTarget(ctx, image, options);
  const homeVolume = old.volumes.find((v) => v.target === HOME_TARGET)?.name;
  const base = { ok: true as const, name: old.name, from, ...(homeVolume ? { homeVolume } : {}) };
  if (to.id === from.id && image === from.reference) {
    return { ...base, upgraded: false, to, warnings };
  }
  const hash =
    old.status === "running" ? await readRootPasswordHash(ctx.engine, old.id) : undefined;
  const environment = await up(
    {
      ...upOptionsFromRecord(record, userEnvValues(old, record)),
      name: old.name,
      image,
      recreate: true,
      pull: "never",
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.keepOnFailure ? { keepOnFailure: true } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    },
    { engine: ctx.engine, onEvent: ctx.emit, ...(ctx.signal ? { signal: ctx.signal } : {}) },
  );
  warnings.push(...(await carryPassword(ctx, old, environment, hash)));
  const now = await ctx.engine.inspectContainer(environment.id);
  return {
    ...base,
    upgraded: true,
    to: now ? { ...containerImageFacts(now), reference: image } : to,
    ...(now?.volumes.some((v) => v.target === HOME_TARGET)
      ? { homeVolume: now.volumes.find((v) => v.target === HOME_TARGET)?.name }
      : {}),
    environment,
    warnings,
  };
}
