import { EngineCallError } from "../../engine/types.js";
import { ModelboxDevError, isModelboxDevError } from "../../errors.js";
import type { FirewallFacts } from "../../host/facts.js";
import { systemRunner } from "../../host/runner.js";
import { classifyDaemonError } from "../classify-daemon-error.js";
import { lastLogLines } from "../find.js";
import { type Execution, removeCreatedVolumes } from "./execution.js";
import { PortTakenError } from "./port-conflicts.js";

/**
 * What to do about a refusal no rule recognises: the daemon's own log and `doctor` say more, and
 * the same options can be tried by hand with the printed script.
 */
export function startFailedHint(message: string): string {
  const oci = /OCI runtime|runc|crun|container_linux\.go/i.test(message);
  return oci
    ? "The container runtime refused the container: check the options that reach it (--gpus, --npu, --mount, --ulimit, --debug), run 'modelbox-dev doctor', and see the daemon's log (journalctl -u docker)."
    : "Run 'modelbox-dev doctor' to check the host, see the daemon's log (journalctl -u docker), and try the same options by hand with 'modelbox-dev script NAME' (same flags).";
}

/** An engine refusal at create or start, in words the user can act on. */
export function translateStartError(err: unknown): unknown {
  if (!(err instanceof EngineCallError)) return err;
  const known = classifyDaemonError(err.message);
  if (known) return new ModelboxDevError(known.code, known.message, known.hint, { cause: err });
  return new ModelboxDevError(
    "START_FAILED",
    `The engine could not start the container: ${err.message}`,
    startFailedHint(err.message),
    { cause: err },
  );
}

/**
 * A timeout or exit often has a known cause in the container's own log (systemd that cannot
 * create its cgroup, a CUDA requirement): say that instead of the bare symptom.
 */
function explainFailure(failure: unknown, logs: string[]): unknown {
  if (!(failure instanceof ModelboxDevError)) return failure;
  if (failure.code !== "READINESS_TIMEOUT" && failure.code !== "START_FAILED") return failure;
  const known = classifyDaemonError(logs.join("\n"));
  if (!known) return failure;
  const explained = new ModelboxDevError(known.code, known.message, known.hint, { cause: failure });
  explained.details.push(`(seen as: ${failure.message})`);
  return explained;
}

/** The firewall's rules, read now: `up` does not read them before a port fails to answer. */
async function firewallOf(x: Execution): Promise<FirewallFacts | undefined> {
  if (x.facts.firewall || x.facts.remote) return x.facts.firewall;
  const published = x.plan.ports.map((p) => ({ host: p.hostPort, container: p.containerPort }));
  // Loaded only here: the firewall's parsers are a dozen modules that `up` needs on failure only.
  const { probeFirewall } = await import("../../host/firewall/probe-firewall.js");
  return probeFirewall(systemRunner(), published).catch(() => undefined);
}

/**
 * Runs `fn` for a container this `up` created; on failure removes it (unless --keep-on-failure)
 * and attaches its last log lines and what they explain. An interruption removes it at once.
 * (`up` puts its files back and the environment it replaced.)
 */
export async function withRollback<T>(x: Execution, id: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // Work begun early that no step awaited yet stops now (`up` settles it before it ends).
    x.early.stop?.abort();
    const { engine } = x.ctx;
    // A container whose port was taken never ran: nothing to look at, and `up` may try again.
    const keep = x.plan.execution.keepOnFailure && !(err instanceof PortTakenError);
    if (isModelboxDevError(err) && err.code === "INTERRUPTED") {
      x.ctx.log(`Interrupted: removing ${x.plan.name}, which this up created…`);
      await engine.removeContainer(id, { force: true }).catch(() => undefined);
      await removeCreatedVolumes(x);
      throw err;
    }
    const logs = await lastLogLines(engine, id);
    const failure = explainFailure(translateStartError(err), logs);
    if (failure instanceof ModelboxDevError && failure.code === "READINESS_TIMEOUT") {
      const ssh = x.plan.ports.find((p) => p.purpose === "ssh");
      const { diagnoseUnreachablePort } =
        await import("../../host/firewall/diagnose-unreachable.js");
      failure.details.push(
        ...(await diagnoseUnreachablePort(engine, id, ssh, await firewallOf(x))),
      );
    }
    if (keep) x.kept = true;
    else {
      await engine.removeContainer(id, { force: true }).catch(() => undefined);
      await removeCreatedVolumes(x);
    }
    if (failure instanceof ModelboxDevError) {
      failure.details.push(
        keep
          ? `The container ${id.slice(0, 12)} was kept (--keep-on-failure).`
          : "The container was removed.",
      );
      if (logs.length > 0)
        failure.details.push("Last container log lines:", ...logs.map((l) => `  ${l}`));
    }
    throw failure;
  }
}
