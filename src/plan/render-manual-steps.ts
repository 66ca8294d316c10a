import { SCRIPT_VARIABLES } from "./docker-run-args.js";
import { shellQuote } from "./shell-quote.js";
import type { Plan, PlanStep, StepId } from "./types.js";

/**
 * The plan's steps after start as the commands a user would type by hand (the seed's manual
 * steps: `docker exec … passwd`, `ssh … -p`, `modelbox-tool develop -s`), for `script --explain`.
 * Every line is a comment, so the script runs the same with or without them.
 */
export function renderManualSteps(plan: Plan): string[] {
  // A script starts one container: --recreate's setting aside has no counterpart in it.
  const after = plan.steps.filter((s) => s.phase === "after-start" && s.id !== "remove-replaced");
  const lines = ["", "# After start, modelbox-dev up also does the following; by hand it is:"];
  if (after.length === 0) {
    lines.push("#   nothing: a runtime image has no sshd and no editor.");
    return lines;
  }
  const ctx = manualContext(plan);
  for (const step of after) {
    const when = step.when ? ` (only if ${step.when})` : "";
    lines.push(`# ${step.title}${when}:`);
    for (const command of MANUAL[step.id](ctx, step)) lines.push(`#   ${command}`);
  }
  return lines;
}

interface ManualContext {
  plan: Plan;
  /** Where this host reaches the published ports. */
  host: string;
  key: string;
  publicKey: string;
  container: string;
}

function manualContext(plan: Plan): ManualContext {
  const ssh = plan.ports.find((p) => p.purpose === "ssh");
  const bound = ssh?.hostIp ?? "";
  const host = bound === "" || bound === "0.0.0.0" ? "127.0.0.1" : bound;
  const generated = `~/.modelbox-dev/environments/${plan.name}/id_ed25519`;
  const publicKey = plan.access.sshKey ?? `${generated}.pub`;
  return {
    plan,
    host,
    publicKey,
    key: plan.access.sshKey ? publicKey.replace(/\.pub$/, "") : generated,
    container: `"\${${SCRIPT_VARIABLES.name}}"`,
  };
}

const sshPortVar = `"\${${SCRIPT_VARIABLES.ssh}}"`;
const editorPortVar = `\${${SCRIPT_VARIABLES.editor}}`;

type Manual = (ctx: ManualContext, step: PlanStep) => string[];

const MANUAL: Record<StepId, Manual> = {
  pull: () => [],
  replace: () => [],
  "remove-replaced": () => [],
  volume: () => [],
  create: () => [],
  start: () => [],
  "wait-running": () => [],
  "wait-sshd": (c) => [
    `until ssh-keyscan -p ${sshPortVar} ${c.host} >/dev/null 2>&1; do sleep 1; done`,
  ],
  "install-key": (c) => [
    ...(c.plan.access.sshKey ? [] : [`ssh-keygen -t ed25519 -N '' -f ${c.key}`]),
    `docker exec -i ${c.container} sh -c 'mkdir -p -m 700 /root/.ssh && cat >> /root/.ssh/authorized_keys' < ${c.publicKey}`,
  ],
  "verify-key-login": (c) => [
    `ssh -i ${c.key} -o IdentitiesOnly=yes -p ${sshPortVar} root@${c.host} true`,
  ],
  "ssh-config": (c) => [
    `printf 'Host %s\\n  HostName %s\\n  Port %s\\n  User root\\n  IdentityFile %s\\n' ${shellQuote(`${c.plan.name}.modelbox`)} ${c.host} ${sshPortVar} ${c.key} >> ~/.ssh/config`,
  ],
  "set-password": (c) => [`docker exec -it ${c.container} passwd`],
  "developer-mode": (c) => [
    `docker exec -e SSH_CLIENT="$(docker network inspect bridge -f '{{(index .IPAM.Config 0).Gateway}}') 0 0" ${c.container} modelbox-tool develop -s`,
    ...c.plan.access.editorAllow.map(
      (cidr) =>
        `(add ${cidr} to [acl] allow in /root/modelbox-service/conf/modelbox.conf, then: docker exec ${c.container} /root/modelbox-service/modelbox restart)`,
    ),
  ],
  "wait-editor": (c) => [
    `until curl -fsS -o /dev/null http://${c.host}:${editorPortVar}/editor/; do sleep 1; done`,
  ],
};
