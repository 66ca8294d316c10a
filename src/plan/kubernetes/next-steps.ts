import type { Plan } from "../types.js";
import { objectNames } from "./names.js";
import type { KubernetesOptions } from "./options.js";

/** A word for a shell command line, quoted only when it must be. */
function word(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,~-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The address kubectl port-forward listens on, and where this machine reaches it. */
function forwardAddress(plan: Plan): { listen?: string; connect: string } {
  const bind = plan.ports[0]?.hostIp ?? "";
  if (bind === "" || bind === "127.0.0.1") return { connect: "127.0.0.1" };
  const wildcard = bind === "0.0.0.0" || bind === "::";
  return { listen: bind, connect: wildcard ? "127.0.0.1" : bind };
}

/**
 * What to run after reading the manifests: apply, wait, forward the ports, log in. kubectl
 * port-forward listens on 127.0.0.1 unless --bind says otherwise; inside the pod its
 * connections come from 127.0.0.1, which the editor's ACL admits.
 */
export function nextSteps(plan: Plan, options: KubernetesOptions, file: string): string[] {
  const names = objectNames(plan);
  const kubectl = ["kubectl", ...(options.namespace ? ["-n", options.namespace] : [])];
  const line = (...words: string[]) => [...kubectl, ...words].map(word).join(" ");
  const address = forwardAddress(plan);
  const forwards = plan.ports.map((p) => `${p.hostPort}:${p.containerPort}`);
  const ssh = plan.ports.find((p) => p.purpose === "ssh");
  const steps = [
    `Apply, wait until the environment is ready, forward its ports${ssh ? ", log in" : ""}:`,
    `  ${line("apply", "-f", file)}`,
    `  ${line("rollout", "status", `deployment/${names.deployment}`, "--timeout=10m")}`,
    `  ${line("port-forward", ...(address.listen ? ["--address", address.listen] : []), `deployment/${names.deployment}`, ...forwards)}`,
  ];
  if (ssh) {
    steps.push(
      "In another terminal, while port-forward runs:",
      `  ${[
        "ssh",
        ...(options.identityFile ? ["-i", options.identityFile] : []),
        "-p",
        String(ssh.hostPort),
        "-o",
        `HostKeyAlias=${names.deployment}.k8s.modelbox`,
        `root@${address.connect}`,
      ]
        .map(word)
        .join(" ")}`,
    );
  } else {
    steps.push(
      "A runtime image has no sshd; a shell inside:",
      `  ${line("exec", "-it", `deployment/${names.deployment}`, "--", "bash")}`,
    );
  }
  const editor = plan.ports.find((p) => p.purpose === "editor");
  const host = address.connect.includes(":") ? `[${address.connect}]` : address.connect;
  if (editor) steps.push(`Editor: http://${host}:${editor.hostPort}/editor/`);
  if (options.serviceType !== "ClusterIP") {
    steps.push(
      `Without port-forward: ${line("get", "service", names.service)} shows the ${options.serviceType === "NodePort" ? "node ports" : "external address"}.`,
    );
  }
  steps.push(
    `Stop: ${line("scale", `deployment/${names.deployment}`, "--replicas=0")} (start: --replicas=1); the home volume stays.`,
    `Remove everything, the home too: ${line("delete", "-f", file)}`,
  );
  return steps;
}
