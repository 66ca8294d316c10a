import type { ContainerEngine } from "../../engine/types.js";
import type { FirewallFacts } from "../facts.js";

/** Whether something listens on this TCP port inside the container (from /proc, no tools needed). */
async function listensInside(engine: ContainerEngine, id: string, port: number): Promise<boolean> {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const r = await engine
    .exec(id, ["cat", "/proc/net/tcp", "/proc/net/tcp6"])
    .catch(() => ({ exitCode: 1, stdout: "", stderr: "" }));
  // Columns: sl local_address rem_address st ...; LISTEN is state 0A.
  return r.stdout.split("\n").some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1]?.endsWith(`:${hex}`) === true && cols[3] === "0A";
  });
}

/**
 * R8: sshd listens inside but the published port does not answer from the host. That is the
 * host's firewall (or a proxy) far more often than anything else: say so, with what we know.
 */
export async function diagnoseUnreachablePort(
  engine: ContainerEngine,
  id: string,
  ssh: { hostPort: number; containerPort: number } | undefined,
  firewall: FirewallFacts | undefined,
): Promise<string[]> {
  if (!ssh || !(await listensInside(engine, id, ssh.containerPort))) return [];
  const lines = [
    `sshd listens inside the container, but host port ${ssh.hostPort} does not answer: probably a firewall rule drops it.`,
  ];
  if (firewall?.active) {
    lines.push(
      `  ${firewall.tool} is active${firewall.blockedPorts.length ? `; it would drop ports ${firewall.blockedPorts.join(", ")}` : ""}${firewall.detail ? ` (${firewall.detail})` : ""}.`,
    );
  }
  lines.push(
    "  Run 'modelbox-dev doctor' for the firewall check and the command that opens the port.",
  );
  return lines;
}
