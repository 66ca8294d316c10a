import { randomBytes } from "node:crypto";
import type { ContainerEngine } from "../../engine/types.js";
import type { HostAccess } from "../host-access.js";
import type { CommandResult } from "../runner.js";
import { chooseProbeImage } from "./choose-probe-image.js";
import { type Listener, parseProcNetTcp, portFree } from "./proc-net-tcp.js";

/** The probe outlives a killed client by this much at most: then it exits and is removed. */
const PROBE_LIFETIME_SECONDS = 300;
const HOST_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
export const PROBE_LABEL = "io.modelbox-dev.probe";

export interface EngineHostOptions {
  /** Preferred probe image (the one `up` is about to run, when the host has it). */
  image?: string;
  /** Aborting removes the probe container at once. */
  signal?: AbortSignal;
}

const FIREWALL_UNKNOWN = "the firewall of a remote host cannot be read through its engine";

function blind(host: string, why: string): HostAccess {
  const notFound: CommandResult = { found: false, exitCode: null, stdout: "", stderr: "" };
  return {
    where: `the engine's host ${host}`,
    remoteHost: host,
    run: () => Promise.resolve(notFound),
    listDevices: () => Promise.resolve([]),
    // Unknown is not "taken": the engine still refuses a port in use when it publishes it.
    canListen: () => Promise.resolve(true),
    freeBytes: () => Promise.resolve(undefined),
    pathExists: () => Promise.resolve(true),
    firewallUnknown: FIREWALL_UNKNOWN,
    unknown: [why, "GPUs and NPUs", "listening ports", "free disk", "mount sources"],
    close: () => Promise.resolve(),
  };
}

/**
 * Reads the engine's host through the engine: a short-lived container from an image the host
 * already has, with the host's root read-only at /host and the host's network, in which host
 * programs run under `chroot /host`. `close()` removes it; so does aborting `signal`, and the
 * engine itself once its `sleep` ends, should this process die first.
 */
export async function openEngineHost(
  engine: ContainerEngine,
  host: string,
  options: EngineHostOptions = {},
): Promise<HostAccess> {
  const image = chooseProbeImage(await engine.listImages(), options.image);
  if (!image) return blind(host, `no image on ${host} to run a probe in (pull any image there)`);
  const id = await engine.createContainer({
    name: `modelbox-dev-probe-${randomBytes(4).toString("hex")}`,
    image,
    labels: { [PROBE_LABEL]: "true" },
    env: {},
    tty: false,
    openStdin: false,
    ports: [],
    binds: [{ source: "/", target: "/host", readOnly: true }],
    volumes: [],
    tmpfs: {},
    devices: [],
    gpuRequests: [],
    privileged: false,
    capAdd: [],
    // SELinux hosts would hide the host's files from the probe otherwise.
    securityOpt: ["label=disable"],
    entrypoint: ["sleep"],
    cmd: [String(PROBE_LIFETIME_SECONDS)],
    networkMode: "host",
    // nvidia-smi and npu-smi open the host's device nodes.
    deviceCgroupRules: ["c *:* rmw"],
    autoRemove: true,
    ulimits: [],
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    options.signal?.removeEventListener("abort", onAbort);
    await engine.removeContainer(id, { force: true }).catch(() => undefined);
  };
  const onAbort = () => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await engine.startContainer(id);
    const sanity = await engine.exec(id, ["chroot", "/host", "true"], { env: {} });
    if (sanity.exitCode !== 0) {
      await close();
      return blind(host, `the probe image ${image} cannot chroot (${sanity.stderr.trim()})`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return probeAccess(engine, id, host, image, close);
}

function probeAccess(
  engine: ContainerEngine,
  id: string,
  host: string,
  image: string,
  close: () => Promise<void>,
): HostAccess {
  const env = { PATH: HOST_PATH.slice("PATH=".length) };
  const onHost = (cmd: string[]) => engine.exec(id, ["chroot", "/host", ...cmd], { env });
  let listeners: Promise<Listener[]> | undefined;
  return {
    where: `the engine's host ${host}`,
    remoteHost: host,
    probeImage: image,
    run: async (program, args) => {
      const r = await onHost([program, ...args]);
      // chroot's own statuses: 127 the program is not there, 126 it cannot be run.
      if (r.exitCode === 127) return { found: false, exitCode: null, stdout: "", stderr: "" };
      return { found: true, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    },
    listDevices: async () => {
      const r = await engine.exec(id, ["ls", "-1", "/host/dev"], { env });
      return r.exitCode === 0 ? r.stdout.split("\n").filter((l) => l !== "") : [];
    },
    canListen: async (port, address) => {
      listeners ??= engine
        .exec(id, ["sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null"], { env })
        .then((r) => parseProcNetTcp(r.stdout));
      return portFree(await listeners, port, address);
    },
    freeBytes: async (path) => {
      const r = await onHost(["stat", "-f", "-c", "%a %S", path]);
      const [avail, size] = r.stdout.trim().split(/\s+/).map(Number);
      return r.exitCode === 0 &&
        avail !== undefined &&
        size !== undefined &&
        !Number.isNaN(avail * size)
        ? avail * size
        : undefined;
    },
    pathExists: async (path) => (await onHost(["test", "-e", path])).exitCode === 0,
    firewallUnknown: FIREWALL_UNKNOWN,
    unknown: ["the firewall"],
    close,
  };
}
