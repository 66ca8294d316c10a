import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import { listEnvironments } from "./find.js";

export interface HostListing {
  /** The Docker context the engine belongs to. */
  context: string;
  /** The engine's machine: its address, or "localhost" for a local engine. */
  host: string;
  url?: string;
  environments: ContainerSummary[];
  /** Set when this engine did not answer (within the time limit): why. */
  error?: string;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ModelboxDevError(
            "ENGINE_UNAVAILABLE",
            `${what} did not answer within ${ms / 1000} s.`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Environments on several engines at once (every configured context): asked in parallel, each
 * with its own time limit, so one host that does not answer costs a line, not the listing.
 */
export async function listEnvironmentsOnHosts(
  engines: Array<{ context: string; engine: ContainerEngine } | { context: string; error: Error }>,
  all: boolean,
  timeoutMs = 15_000,
): Promise<HostListing[]> {
  return Promise.all(
    engines.map(async (entry): Promise<HostListing> => {
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
        const environments = await within(
          listEnvironments(engine, all),
          timeoutMs,
          `The engine at ${engine.connection.url}`,
        );
        return { ...base, environments };
      } catch (err) {
        return {
          ...base,
          environments: [],
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }),
  );
}
