import { stat } from "node:fs/promises";
import { parseCidr } from "../access/editor-acl.js";
import { validatePassword } from "../access/root-password.js";
import { type LoginKey, readUserPublicKey } from "../access/ssh-keys.js";
import { effectiveRegistries } from "../config/registries.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import { LABELS } from "../labels.js";
import type { UpOptions } from "../plan/options.js";
import { planUp } from "../plan/plan-up.js";
import { portsFromSpec } from "../plan/spec-hash.js";
import type { Plan } from "../plan/types.js";
import { validateName } from "../plan/validate.js";
import { formatRegistrySpec } from "../registry/registry-spec.js";
import { toolVersion } from "../tool-version.js";
import { isManaged } from "./find.js";
import { loadFacts } from "./load-facts.js";
import { assertBindReachable } from "./reach.js";

/** What `up` carries besides the plan: secrets and files read, never put in the plan. */
export interface UpSecrets {
  /** `--ssh-key`, read and checked. */
  userKey?: LoginKey;
  password?: string;
}

export interface PreparedUp {
  plan: Plan;
  facts: HostFacts;
  /** The environment of this name, when there is one (ours: a foreign one is refused). */
  existing?: ContainerDetails;
  secrets: UpSecrets;
}

/** `--password-stdin` for `up` needs the value; `plan` and `script` only mark the step. */
function assertPasswordGiven(options: UpOptions): void {
  if (options.passwordStdin && options.password === undefined) {
    throw new ModelboxDevError(
      "PASSWORD_REQUIRED",
      "A password is to be set, but none was given.",
      "Pass it as the password option (the CLI reads it from stdin with --password-stdin).",
    );
  }
}

/** The plan records --cpus/--memory and the renderers use them; creating the container does not yet. */
function assertResourcesNotAsked(options: UpOptions): void {
  if (options.cpus === undefined && options.memory === undefined) return;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    "up does not apply --cpus and --memory yet.",
    "Leave them out, or use 'script' (docker run --cpus/--memory, or --target kubernetes).",
  );
}

/**
 * What only the host's files or the secret itself can tell, read once the plan (which refuses
 * SSH options for images without sshd) stands: the user's key, the password's rules.
 */
function readSecrets(options: UpOptions): UpSecrets {
  return {
    ...(options.sshKey ? { userKey: readUserPublicKey(options.sshKey) } : {}),
    ...(options.password !== undefined ? { password: validatePassword(options.password) } : {}),
  };
}

/** The registries to pull from, as written, from `--registry` or else the config file. */
async function registryNames(registry: string[] | undefined): Promise<string[]> {
  // A bad --registry is refused now, even when the image turns out to be present.
  const fromFlags = effectiveRegistries(registry, {});
  if (registry?.some((r) => r.trim() !== "")) return fromFlags.map(formatRegistrySpec);
  const { registryContext } = await import("./registry-context.js");
  return (await registryContext()).registries.map(formatRegistrySpec);
}

/** The container of this name, when there is one: ours, or a refusal to touch it. */
async function existingEnvironment(
  engine: ContainerEngine,
  name: string | undefined,
): Promise<ContainerDetails | undefined> {
  if (name === undefined) return undefined;
  validateName(name);
  const existing = await engine.inspectContainer(name);
  if (!existing || existing.name !== name) return undefined;
  if (!isManaged(existing)) {
    throw new ModelboxDevError(
      "NAME_TAKEN",
      `A container named ${JSON.stringify(name)} exists and was not created by modelbox-dev.`,
      "Pick another name, or remove that container yourself if it is no longer needed.",
    );
  }
  return existing;
}

/**
 * Everything `up`, `plan` and `script` decide before acting: the input checked, the existing
 * environment found, the host's facts gathered (once), and the plan made. `show` (plan, script)
 * needs no secret values.
 */
export async function prepareUp(
  engine: ContainerEngine,
  given: UpOptions,
  purpose: "execute" | "show",
  signal?: AbortSignal,
): Promise<PreparedUp> {
  if (purpose === "execute") {
    assertPasswordGiven(given);
    assertResourcesNotAsked(given);
    assertBindReachable(engine.connection, given.bind);
  }
  const options = { ...given, editorAllow: (given.editorAllow ?? []).map(parseCidr) };
  const existing = await existingEnvironment(engine, options.name);
  const previousPorts = existing ? portsFromSpec(existing.labels[LABELS.spec]) : {};
  const [facts, registries] = await Promise.all([
    loadFacts(
      engine,
      options,
      Object.values(previousPorts).map((p) => p.hostPort),
      signal,
    ),
    registryNames(options.registry),
  ]);
  const plan = planUp(options, facts, { previousPorts, registries, toolVersion: toolVersion() });
  const secrets = readSecrets(options);
  await assertMountSources(plan, facts);
  return { plan, facts, ...(existing ? { existing } : {}), secrets };
}

/**
 * Mount sources are paths on the engine's host: the facts say whether each exists there. Without
 * that answer, a local engine's host is this one; a remote one's daemon will say.
 */
async function assertMountSources(plan: Plan, facts: HostFacts): Promise<void> {
  const where = facts.remote ? `the engine's host ${facts.remote.host}` : "this host";
  for (const m of plan.mounts.filter((x) => x.purpose === "user")) {
    const known = facts.paths?.[m.source];
    const found =
      known ??
      (facts.remote
        ? true
        : await stat(m.source).then(
            () => true,
            () => false,
          ));
    if (!found) {
      throw new ModelboxDevError(
        "INVALID_MOUNT",
        `Mount source ${m.source} does not exist on ${where}.`,
        facts.remote
          ? `Mount sources are paths on the machine the engine runs on: create it there first ('ssh ${facts.remote.host} mkdir -p ${m.source}') or fix the path.`
          : `Create it first ('mkdir -p ${m.source}') or fix the path.`,
      );
    }
  }
}
