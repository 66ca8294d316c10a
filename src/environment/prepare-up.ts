import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { parseCidr } from "../access/editor-acl.js";
import { validatePassword } from "../access/root-password.js";
import { type LoginKey, readUserPublicKey } from "../access/ssh-keys.js";
import { effectiveRegistries } from "../config/registries.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts, PortUse } from "../host/facts.js";
import { candidatePorts } from "../host/probe-host.js";
import { probePorts } from "../host/probe-ports.js";
import type { UpOptions } from "../plan/options.js";
import { planUp } from "../plan/plan-up.js";
import type { PreviousPorts } from "../plan/plan-ports.js";
import { bindingsByPurpose } from "../published-ports.js";
import type { Plan } from "../plan/types.js";
import { type EnvFileText, resolveUserEnv, type UserEnvValues } from "../plan/user-env.js";
import { checkOptionTexts, validateName } from "../plan/validate.js";
import { formatRegistrySpec } from "../registry/registry-spec.js";
import { toolVersion } from "../tool-version.js";
import { isManaged } from "./find.js";
import { listWithKnownPorts } from "./known-facts.js";
import { loadFacts } from "./load-facts.js";
import { resolveImageName } from "./image-name.js";
import { withReleaseTag } from "../catalog/image-argument.js";
import { parseImageReference } from "../catalog/image-reference.js";
import { invokingUser, ownerOf } from "./owner.js";
import { assertBindOnHost, assertBindReachable } from "./reach.js";

/** What `up` carries besides the plan: secrets and files read, never put in the plan. */
export interface UpSecrets {
  /** `--ssh-key`, read and checked. */
  userKey?: LoginKey;
  password?: string;
  /** The user's variables (`--env`, `--env-file`): to the container only. */
  env?: UserEnvValues;
}

export interface PreparedUp {
  plan: Plan;
  facts: HostFacts;
  /**
   * The plan again, with the host ports probed afresh and `taken` counted as held: for a port
   * another start took between the check and this one's start.
   */
  replan: (taken: PortUse[]) => Promise<Plan>;
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

/** `--env-file` files, read (paths made absolute: the script names them as they are). */
async function readEnvFiles(paths: readonly string[]): Promise<EnvFileText[]> {
  return Promise.all(
    paths.map(async (given) => {
      const path = resolve(given);
      try {
        return { path, text: await readFile(path, "utf8") };
      } catch (err) {
        throw new ModelboxDevError(
          "INVALID_ENV",
          `Cannot read --env-file ${given}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
          "Give a file of NAME=value lines (docker's env-file format).",
        );
      }
    }),
  );
}

/**
 * The user's variables with their values: from the files, then `--env`; `NAME` alone takes
 * this process' value.
 */
async function readUserEnv(
  options: UpOptions,
): Promise<{ values: UserEnvValues; files: string[] } | undefined> {
  if (!options.env?.length && !options.envFile?.length) return undefined;
  const envFiles = await readEnvFiles(options.envFile ?? []);
  const values = resolveUserEnv({ env: options.env ?? [], envFiles }, (name) => process.env[name]);
  return { values, files: envFiles.map((f) => f.path) };
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
  checkOptionTexts(given);
  if (purpose === "execute") assertPasswordGiven(given);
  // `plan` and `script` show what `up` would do with this engine, so they refuse what it would;
  // with --facts they describe another host, whose addresses are not known here.
  if (purpose === "execute" || given.facts === undefined) {
    assertBindOnHost(engine.connection, given.bind);
    assertBindReachable(engine.connection, given.bind);
  }
  // A bad name is refused before anything is probed.
  if (given.name !== undefined) validateName(given.name);
  // The name and --image lookups go on beside the host probes: none needs another's answer.
  const image = given.image !== undefined ? imageNamed(engine, given) : undefined;
  const found = existingEnvironment(engine, given.name);
  const previous = found.then((existing) => (existing ? previousPortsOf(existing) : {}));
  const previousHostPorts = previous.then((p) => Object.values(p).map((x) => x.hostPort));
  const extraPorts = previousHostPorts.then(
    (extra) => extra,
    () => [], // a refused name is reported below, from `found`
  );
  const options = { ...given, editorAllow: (given.editorAllow ?? []).map(parseCidr) };
  const lookups = await Promise.allSettled([
    image,
    found,
    // `up` reads the firewall only if a port does not answer; `plan` shows it.
    loadFacts(engine, options, extraPorts, signal, { firewall: purpose === "show" }),
    registryNames(options.registry),
    readUserEnv(options),
  ]);
  // Every lookup has ended (a probe container is gone): the first failure, in this order, counts.
  const failed = lookups.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  const [imageName, existing, facts, registries, userEnv] = lookups.map((r) =>
    r.status === "fulfilled" ? r.value : undefined,
  ) as [
    string | undefined,
    ContainerDetails | undefined,
    HostFacts,
    string[],
    Awaited<ReturnType<typeof readUserEnv>>,
  ];
  if (imageName !== undefined) options.image = imageName;
  const previousPorts = await previous;
  const context = {
    previousPorts,
    registries,
    toolVersion: toolVersion(),
    // Made again (--recreate, upgrade): it stays whoever made it first.
    owner: (existing && ownerOf(existing)) ?? invokingUser(),
    ...(userEnv ? { userEnv } : {}),
  };
  const plan = planUp(options, facts, context);
  const secrets = readSecrets(options);
  await assertMountSources(plan, facts);
  const replan = async (taken: PortUse[]) => {
    const fresh = await probePorts(
      [
        ...candidatePorts(
          [...plan.ports, ...taken].map((p) => ("hostPort" in p ? p.hostPort : p.port)),
        ),
        ...facts.portsInUse.map((u) => u.port),
      ],
      await listWithKnownPorts(engine),
    );
    const held = new Map([...fresh, ...taken].map((u) => [u.port, u]));
    return planUp(options, { ...facts, portsInUse: [...held.values()] }, context);
  };
  return {
    plan,
    facts,
    replan,
    ...(existing ? { existing } : {}),
    secrets: { ...secrets, ...(userEnv ? { env: userEnv.values } : {}) },
  };
}

/** `--image` made whole (short forms, bare names), with `--version` as its tag when it had none. */
async function imageNamed(engine: ContainerEngine, given: UpOptions): Promise<string> {
  const text = given.image ?? "";
  const image = await resolveImageName(engine, text);
  if (given.version === undefined) return image;
  return withReleaseTag(image, given.version, parseImageReference(text).tag === undefined);
}

/** The mappings the environment has, as the engine publishes them (a script may have edited them). */
function previousPortsOf(existing: ContainerDetails): PreviousPorts {
  const out: PreviousPorts = {};
  for (const [purpose, binding] of Object.entries(bindingsByPurpose(existing))) {
    out[purpose as keyof PreviousPorts] = {
      hostPort: binding.hostPort,
      containerPort: binding.containerPort,
    };
  }
  return out;
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
