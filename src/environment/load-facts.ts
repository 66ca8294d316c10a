import { readFile } from "node:fs/promises";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts, HostFactsInput } from "../host/facts.js";
import { probeEngineHost } from "../host/open-host-access.js";
import { candidatePorts } from "../host/probe-host.js";
import { DEFAULT_PORTS } from "../plan/options.js";
import { knownAcceleratorsInUse, listWithKnownPorts } from "./known-facts.js";

/** What decides where facts come from and which host ports are worth probing. */
export interface FactsRequest {
  facts?: string | HostFactsInput;
  sshPort?: string | number;
  editorPort?: string | number;
  httpPort?: string | number;
  /** `--mount SRC:DST[:ro]`: the sources are looked for on the engine's host. */
  mount?: string[];
  /** `--publish` mappings: their host ports are probed too. */
  publish?: string[];
}

/** The absolute host paths of --mount SRC:DST[:ro] (checked on the engine's host). */
function mountSources(request: FactsRequest): string[] {
  return (request.mount ?? [])
    .map((m) => m.split(":")[0] ?? "")
    .filter((source) => source.startsWith("/"));
}

/** The host port of a `--publish` text, when it can be read (the planner judges the rest). */
function publishedHostPort(text: string): number | undefined {
  const m = /(?:^|:)(\d+):\d+(?:\/\w+)?$/.exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** The host ports worth probing: the defaults and the next ones, the given ports, `extra`. */
function wantedPorts(request: FactsRequest, extra: number[]): number[] {
  const explicit = [request.sshPort, request.editorPort, request.httpPort].map((p) =>
    p === undefined ? undefined : Number(p),
  );
  return [
    ...candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http]),
    ...candidatePorts(extra, 1),
    ...candidatePorts(explicit, 1),
    ...candidatePorts((request.publish ?? []).map(publishedHostPort), 1),
  ];
}

/**
 * Host facts: from a file (`--facts FILE`), given as data, or probed live (in parallel, once) on
 * the engine's host: here for a local engine, through a short-lived probe container for a remote
 * one (removed afterwards, also when `signal` aborts). `extraPorts`: host ports the existing
 * environment used, probed beside the defaults (a promise while that environment is still being
 * looked up: the other probes do not wait for it).
 */
export async function loadFacts(
  engine: ContainerEngine,
  request: FactsRequest,
  extraPorts: number[] | Promise<number[]> = [],
  signal?: AbortSignal,
  probe: { firewall?: boolean } = {},
): Promise<HostFacts> {
  if (typeof request.facts === "string") return readFactsFile(request.facts);
  if (request.facts !== undefined) return parseFacts(request.facts, "the facts given");
  return probeEngineHost(
    engine,
    {
      ports: Promise.resolve(extraPorts).then((extra) => wantedPorts(request, extra)),
      paths: mountSources(request),
      listContainers: listWithKnownPorts,
      acceleratorsInUse: knownAcceleratorsInUse,
      ...(probe.firewall === false ? { firewall: false } : {}),
    },
    signal ? { signal } : {},
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
  return parseFacts(candidate, path);
}

async function parseFacts(candidate: unknown, where: string): Promise<HostFacts> {
  // The schema validator is only needed here: loading it lazily keeps `up` quick to start.
  const { hostFactsSchema } = await import("../host/facts.js");
  const parsed = hostFactsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`,
    );
    throw new ModelboxDevError(
      "INVALID_FACTS",
      `Host facts in ${where} do not have the expected shape.`,
      "See the README section 'Host facts file' for the fields.",
      { details: issues },
    );
  }
  return parsed.data;
}
