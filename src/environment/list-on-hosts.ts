import { enginesForAllContexts } from "../engine/create-engine.js";
import type { ContainerEngine } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { environmentSummary, listWithBoundPorts } from "./ls.js";
import type { HostListing, LsHostsResult, LsOptions } from "./types.js";

export type EngineEntry =
  { context: string; engine: ContainerEngine } | { context: string; error: Error };

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ModelboxDevError(
            "ENGINE_UNAVAILABLE",
            `${what} did not answer within ${ms / 1000} s.`,
            "Check that its host is up and its daemon answers ('docker --context NAME info'); the other engines are listed anyway.",
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function listOne(entry: EngineEntry, all: boolean, timeoutMs: number): Promise<HostListing> {
  if ("error" in entry) {
    return { context: entry.context, host: "?", environments: [], error: entry.error.message };
  }
  const { engine, context } = entry;
  const base = {
    context,
    host: engine.connection.remoteHost ?? "localhost",
    url: engine.connection.url,
  };
  try {
    const found = await within(
      listWithBoundPorts(engine, all),
      timeoutMs,
      `The engine at ${engine.connection.url}`,
    );
    return { ...base, environments: found.map(environmentSummary) };
  } catch (err) {
    return { ...base, environments: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * `ls --all-contexts`: environments on every configured Docker context's engine at once, asked
 * in parallel, each with its own time limit, so a host that does not answer costs a line, not
 * the listing. `engines` (tests): the engines to ask instead of the configured contexts'.
 */
export async function lsAllContexts(
  options: LsOptions & { timeoutMs?: number } = {},
  engines: EngineEntry[] = enginesForAllContexts(),
): Promise<LsHostsResult> {
  const hosts = await Promise.all(
    engines.map((e) => listOne(e, options.all ?? false, options.timeoutMs ?? 15_000)),
  );
  return { ok: true, hosts };
}
