import { readFile } from "node:fs/promises";
import { PUBLISHED_IMAGES } from "../catalog/published-images.js";
import { CPU_ONLY_WARNING } from "../plan/image/assess-image.js";
import { chooseImage } from "../plan/image/choose-image.js";
import { withReleaseTag } from "../registry/image-source.js";
import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";
import type { HostFacts } from "../host/facts.js";
import { probeEngineHost } from "../host/open-host-access.js";
import { candidatePorts } from "../host/probe-host.js";
import { DEFAULT_PORTS, type EnvironmentOptions } from "../plan/options.js";
import { parsePort } from "../plan/validate.js";
import { withInterrupt } from "./registry-hooks.js";
import { toolVersion } from "./tool-version.js";

/** Raw option values as commander hands them over. */
export interface UpFlags {
  image?: string;
  engine?: string;
  accel?: string;
  os?: string;
  kind?: string;
  gpus?: string;
  npu?: string;
  debug?: string;
  mount: string[];
  defaultMounts: boolean;
  sshPort?: string;
  editorPort?: string;
  httpPort?: string;
  bind?: string;
  facts?: string;
  json?: boolean;
  /** `up --version TAG` (registry area): the release tag of the image. */
  version?: string;
}

/** The host ports worth probing for these flags. */
function wantedPorts(flags: UpFlags, extra: number[]): number[] {
  const explicit = [flags.sshPort, flags.editorPort, flags.httpPort].map((p) =>
    p === undefined ? undefined : Number(p),
  );
  return [
    ...candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http]),
    ...candidatePorts(extra, 1),
    ...candidatePorts(explicit, 1),
  ];
}

/** The absolute host paths of --mount SRC:DST[:ro] (checked on the engine's host). */
function mountSources(flags: UpFlags): string[] {
  return (flags.mount ?? [])
    .map((m) => m.split(":")[0] ?? "")
    .filter((source) => source.startsWith("/"));
}

/** Host facts from --facts FILE, or probed live. */
export async function loadFacts(
  engine: ContainerEngine,
  flags: UpFlags,
  extraPorts: number[] = [],
): Promise<HostFacts> {
  if (flags.facts) return readFactsFile(flags.facts);
  return withInterrupt((signal) =>
    probeEngineHost(
      engine,
      { ports: wantedPorts(flags, extraPorts), paths: mountSources(flags) },
      { signal },
    ),
  );
}

export async function readFactsFile(path: string): Promise<HostFacts> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new ModelboxDevError(
      "INVALID_FACTS",
      `Cannot read host facts from ${path}: ${err instanceof Error ? err.message : String(err)}.`,
      "Give a JSON file in the shape 'modelbox-dev doctor --json' prints under \"facts\" (see README).",
    );
  }
  // Accept a whole `doctor --json` document as well as the bare facts object.
  const candidate = raw && typeof raw === "object" && "facts" in raw ? raw.facts : raw;
  // The schema validator is only needed here: loading it lazily keeps `up` quick to start.
  const { hostFactsSchema } = await import("../host/facts.js");
  const parsed = hostFactsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`,
    );
    throw new ModelboxDevError(
      "INVALID_FACTS",
      `Host facts in ${path} do not have the expected shape.`,
      "See the README section 'Host facts file' for the fields.",
      { details: issues },
    );
  }
  return parsed.data;
}

/** Resolves the image (explicit, or chosen for the host) and builds EnvironmentOptions. */
export function toEnvironmentOptions(
  name: string | undefined,
  flags: UpFlags,
  facts: HostFacts,
): { options: EnvironmentOptions; imageReason?: string; imageWarnings: string[] } {
  for (const [flag, value] of [
    ["--ssh-port", flags.sshPort],
    ["--editor-port", flags.editorPort],
    ["--http-port", flags.httpPort],
  ] as const) {
    if (value !== undefined) parsePort(value, flag);
  }
  let image = flags.image;
  let imageReason: string | undefined;
  let imageWarnings: string[] = [];
  if (!image) {
    const choice = chooseImage(PUBLISHED_IMAGES, facts, {
      ...(flags.engine ? { engine: flags.engine } : {}),
      ...(flags.accel ? { accel: flags.accel as "auto" } : {}),
      ...(flags.os ? { os: flags.os } : {}),
      ...(flags.kind ? { kind: flags.kind } : {}),
    });
    image = `${choice.entry.repository}:${choice.entry.defaultTag}`;
    imageReason = choice.reason;
    // The plan itself warns when no accelerator will be used; say it once.
    imageWarnings = choice.warnings.filter((w) => w !== CPU_ONLY_WARNING);
  }
  // --version picks the release tag of the chosen image (or of an --image given without a tag).
  if (flags.version !== undefined) image = withReleaseTag(image, flags.version, !flags.image);
  const gpus = flags.accel === "cpu" && flags.gpus === "auto" ? "none" : flags.gpus;
  return {
    options: {
      ...(name ? { name } : {}),
      image,
      ...(gpus ? { gpus } : {}),
      ...(flags.npu ? { npu: flags.npu } : {}),
      ...(flags.debug ? { debug: flags.debug as EnvironmentOptions["debug"] } : {}),
      mounts: flags.mount,
      defaultMounts: flags.defaultMounts,
      ...(flags.sshPort !== undefined ? { sshPort: flags.sshPort } : {}),
      ...(flags.editorPort !== undefined ? { editorPort: flags.editorPort } : {}),
      ...(flags.httpPort !== undefined ? { httpPort: flags.httpPort } : {}),
      ...(flags.bind !== undefined ? { bind: flags.bind } : {}),
      ...(flags.kind ? { kind: flags.kind as "develop" | "runtime" } : {}),
      toolVersion: toolVersion(),
    },
    ...(imageReason ? { imageReason } : {}),
    imageWarnings,
  };
}
