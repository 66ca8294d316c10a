import { cdiGpuNames } from "./plan-gpu.js";
import type { ExplainedOption } from "./explain-options.js";
import { formatPublish } from "./plan-publish.js";
import { dockerSize } from "./resources.js";
import type { WordPart } from "./shell-quote.js";
import type { Plan, PlannedPort } from "./types.js";
import { formatUlimit } from "./ulimits.js";

/** One option of `docker run`, its words, and which explanation belongs to it. */
export interface RunArg {
  explain: ExplainedOption;
  words: WordPart[][];
}

export const SCRIPT_VARIABLES = {
  ssh: "SSH_MAP_PORT",
  editor: "EDITOR_MAP_PORT",
  http: "HTTP_SERVER_PORT",
  name: "CONTAINER_NAME",
  image: "IMAGE_NAME",
  homeVolume: "HOME_VOLUME",
} as const;

const PORT_EXPLAIN: Record<PlannedPort["purpose"], ExplainedOption> = {
  ssh: "portSsh",
  editor: "portEditor",
  http: "portHttp",
};

function portWords(port: PlannedPort): WordPart[] {
  const host: WordPart = { variable: SCRIPT_VARIABLES[port.purpose] };
  const prefix = port.hostIp
    ? `${port.hostIp.includes(":") ? `[${port.hostIp}]` : port.hostIp}:`
    : "";
  // As in the seed, the HTTP port maps to the same number inside when they are equal.
  const inside: WordPart =
    port.purpose === "http" && port.containerPort === port.hostPort
      ? host
      : `${port.containerPort}`;
  return [prefix, host, ":", inside];
}

function labelValue(plan: Plan, key: string, value: string): WordPart[] {
  // The name label follows the script's variable, so an edited name stays consistent.
  if (key.endsWith(".name") && value === plan.name)
    return [`${key}=`, { variable: "CONTAINER_NAME" }];
  return [`${key}=${value}`];
}

/** `--cpus`, `--memory`, `--shm-size`, `--ulimit`. */
function limitArgs(plan: Plan): RunArg[] {
  const args: RunArg[] = [];
  if (plan.resources?.cpus !== undefined) {
    args.push({ explain: "cpus", words: [["--cpus"], [String(plan.resources.cpus)]] });
  }
  if (plan.resources?.memoryBytes !== undefined) {
    args.push({
      explain: "memory",
      words: [["--memory"], [dockerSize(plan.resources.memoryBytes)]],
    });
  }
  args.push({
    explain: plan.shm.source === "option" ? "shmSize" : "shmSizeDefault",
    words: [["--shm-size"], [dockerSize(plan.shm.sizeBytes)]],
  });
  for (const u of plan.ulimits) {
    args.push({ explain: "ulimit", words: [["--ulimit"], [formatUlimit(u)]] });
  }
  return args;
}

/** The `docker run` options for a plan, in the seed's order. The image is not included. */
export function dockerRunArgs(plan: Plan): RunArg[] {
  const args: RunArg[] = [];
  args.push({ explain: "itd", words: [["-itd"]] });
  args.push({ explain: "name", words: [["--name"], [{ variable: SCRIPT_VARIABLES.name }]] });

  if (plan.gpu.mode === "device-request") {
    const d = plan.gpu.devices;
    args.push(
      d === "all"
        ? { explain: "gpusAll", words: [["--gpus"], ["all"]] }
        : { explain: "gpusList", words: [["--gpus"], [`"device=${d.join(",")}"`]] },
    );
  }
  if (plan.gpu.mode === "cdi") {
    for (const name of cdiGpuNames(plan.gpu.devices)) {
      args.push({ explain: "gpusCdi", words: [["--device"], [name]] });
    }
  }
  if (plan.runtime) {
    args.push({
      explain: plan.runtime === "nvidia" ? "runtimeNvidia" : "runtimeAscend",
      words: [[`--runtime=${plan.runtime}`]],
    });
  }
  for (const [key, value] of Object.entries(plan.env)) {
    const explain: ExplainedOption =
      key === "NVIDIA_DRIVER_CAPABILITIES"
        ? "envCapabilities"
        : key === "NVIDIA_VISIBLE_DEVICES"
          ? "envVisible"
          : key === "ASCEND_VISIBLE_DEVICES"
            ? "envAscendVisible"
            : "envOther";
    args.push({ explain, words: [["-e"], [`${key}=${value}`]] });
  }
  // The user's variables by name only: their values never appear in the script.
  for (const file of plan.userEnv?.files ?? []) {
    args.push({ explain: "envFile", words: [["--env-file"], [file]] });
  }
  for (const name of plan.userEnv?.flagNames ?? []) {
    args.push({ explain: "envUser", words: [["-e"], [name]] });
  }
  for (const path of plan.tmpfs) args.push({ explain: "tmpfs", words: [["--tmpfs"], [path]] });
  if (plan.cgroupnsMode) {
    args.push({ explain: "cgroupns", words: [[`--cgroupns=${plan.cgroupnsMode}`]] });
  }
  for (const m of plan.mounts) {
    if (m.readOnlyNonRecursive) {
      args.push({
        explain: "cgroupRoNonRecursive",
        words: [
          ["--mount"],
          [`type=bind,src=${m.source},dst=${m.target},readonly,bind-recursive=writable`],
        ],
      });
      continue;
    }
    const spec = `${m.source}:${m.target}${m.purpose === "cgroup" ? (m.readOnly ? ":ro" : ":rw") : m.readOnly ? ":ro" : ""}`;
    const explain: ExplainedOption =
      m.purpose === "cgroup"
        ? m.readOnly
          ? "cgroupRo"
          : "cgroupRw"
        : m.purpose === "modelbox"
          ? "mountModelbox"
          : m.purpose === "home"
            ? "mountHome"
            : "mountUser";
    args.push({ explain, words: [["-v"], [spec]] });
  }
  for (const v of plan.volumes) {
    args.push({
      explain: "homeVolume",
      words: [["-v"], [{ variable: SCRIPT_VARIABLES.homeVolume }, `:${v.target}`]],
    });
  }
  for (const d of plan.devices) {
    const explain: ExplainedOption = /^\/dev\/davinci\d+$/.test(d.hostPath)
      ? "deviceDavinci"
      : /^\/dev\/(davinci_manager|hisi_hdc|devmm_svm)$/.test(d.hostPath)
        ? "deviceAscendShared"
        : "device";
    const spec = d.containerPath === d.hostPath ? d.hostPath : `${d.hostPath}:${d.containerPath}`;
    args.push({ explain, words: [["--device"], [spec]] });
  }
  if (plan.privileged) args.push({ explain: "privileged", words: [["--privileged"]] });
  for (const cap of plan.capAdd) args.push({ explain: "capPtrace", words: [[`--cap-add=${cap}`]] });
  for (const opt of plan.securityOpt) {
    args.push({ explain: "seccomp", words: [["--security-opt"], [opt]] });
  }
  if (plan.restartPolicy.name !== "no") {
    const { name, maximumRetryCount: count } = plan.restartPolicy;
    args.push({ explain: "restart", words: [["--restart"], [count ? `${name}:${count}` : name]] });
  }
  args.push({
    explain: "stopTimeout",
    words: [["--stop-timeout"], [String(plan.stopTimeoutSeconds)]],
  });
  args.push(...limitArgs(plan));
  for (const port of plan.ports) {
    args.push({ explain: PORT_EXPLAIN[port.purpose], words: [["-p"], portWords(port)] });
  }
  for (const p of plan.publish) {
    args.push({ explain: "publish", words: [["-p"], [formatPublish(p)]] });
  }
  for (const [key, value] of Object.entries(plan.labels)) {
    args.push({ explain: "label", words: [["--label"], labelValue(plan, key, value)] });
  }
  return args;
}
