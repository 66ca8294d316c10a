import type { ContainerEngine } from "../../src/engine/types.js";
import type { UpSettings } from "../../src/environment/up.js";
import type { HostFacts } from "../../src/host/facts.js";
import { candidatePorts, probeHost } from "../../src/host/probe-host.js";

/**
 * `up` settings for engine tests: never pull (the fixtures are local), a bounded wait, and the
 * real host probes (or the given facts, for hosts this machine is not).
 */
export function testUpSettings(
  engine: ContainerEngine,
  overrides: Partial<UpSettings> & { facts?: HostFacts } = {},
): UpSettings {
  const { facts, ...rest } = overrides;
  return {
    pull: "never",
    timeoutSeconds: 60,
    keepOnFailure: false,
    recreate: false,
    probeFacts: facts
      ? () => Promise.resolve(facts)
      : (extra) => probeHost(engine, { ports: candidatePorts([50022, 1104, 8080, ...extra]) }),
    ...rest,
  };
}
