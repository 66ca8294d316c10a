/**
 * Turns a container engine's error text (or a container's last log lines) into a user-facing
 * error: a stable code, what went wrong, and what to do. Pure: the text is matched, never acted on.
 *
 * The patterns come from real daemon messages of several eras (Docker 17.09 to 28, nvidia-docker2
 * to the current toolkit, compose and `docker run`), so they key on the stable core of each
 * message ("could not select device driver", "unsatisfied condition:") and tolerate the prefixes,
 * escaping and trailing punctuation that differ between versions.
 */
import type { ErrorCode } from "../errors.js";

export interface DaemonErrorClassification {
  code: ErrorCode;
  message: string;
  hint: string;
}

type Rule = (text: string) => DaemonErrorClassification | undefined;

// `--gpus` asks the daemon for a device driver with the "gpu" capability; only the NVIDIA toolkit
// registers one. Driver "" is plain `--gpus`, "nvidia" is compose's `driver: nvidia`.
const gpuDriverMissing: Rule = (text) => {
  const m = /could not select device driver "([^"]*)" with capabilities: \[\[gpu\]\]/.exec(text);
  if (!m) return undefined;
  return {
    code: "GPU_UNAVAILABLE",
    message: `Docker has no GPU device driver${m[1] ? ` "${m[1]}"` : ""}: the NVIDIA Container Toolkit is not installed or Docker was not restarted after installing it.`,
    hint: "Install nvidia-container-toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker (sudo systemctl restart docker). Or start without GPUs: only CPU flowunits will then work.",
  };
};

// `--runtime=nvidia` (Docker < 19.03, nvidia-docker2) when no "nvidia" runtime is registered.
// Docker 17.x wording: "Unknown runtime specified nvidia"; later: "unknown or invalid runtime name: nvidia".
const nvidiaRuntimeMissing: Rule = (text) => {
  if (
    !/unknown runtime specified:?\s*nvidia|unknown or invalid runtime name:?\s*nvidia/i.test(text)
  ) {
    return undefined;
  }
  return {
    code: "GPU_UNAVAILABLE",
    message: 'Docker has no "nvidia" runtime registered (needed for --runtime=nvidia).',
    hint: "Install nvidia-docker2 (which registers the runtime in /etc/docker/daemon.json) and restart Docker. On Docker 19.03 or newer, install nvidia-container-toolkit and use --gpus instead.",
  };
};

// The toolkit checks the image's NVIDIA_REQUIRE_CUDA against the driver before the container
// starts. Three wrappings recorded: 2018 nvidia-docker2 (escaped quotes, literal "\\n",
// "cuda >= 9.2" with spaces), Docker 19.03-20.10 one-liners, and containerd-shim messages where
// the condition is on a second line. "--require=cuda>=9.2" may precede it; we want the failed one.
const cudaRequirement: Rule = (text) => {
  const m = /unsatisfied condition:\s*([^,\\\r\n"]+)/.exec(text);
  if (!m) return undefined;
  const condition = (m[1] ?? "").replace(/\s+/g, "").replace(/[.:]+$/, "");
  const cuda = /cuda>=([\d.]+)/.exec(condition)?.[1];
  return {
    code: "START_FAILED",
    message: cuda
      ? `The image needs CUDA ${cuda} or newer, but the host's NVIDIA driver supports an older CUDA (unsatisfied condition: ${condition}).`
      : `The host's NVIDIA driver does not meet the image's requirement (unsatisfied condition: ${condition}).`,
    hint: cuda
      ? `Update the NVIDIA driver to one that supports CUDA ${cuda} (nvidia-smi shows the highest CUDA version the driver supports), or use an image built for an older CUDA.`
      : "Update the NVIDIA driver, or use an image whose NVIDIA_REQUIRE_CUDA the current driver meets.",
  };
};

// "Bind for 0.0.0.0:8080 failed: port is already allocated": Docker itself holds the port (another
// container publishes it). "listen tcp 0.0.0.0:80: bind: address already in use": a host process
// holds it, found when docker-proxy tried to bind.
const portInUse: Rule = (text) => {
  const allocated = /Bind for (\S+?):(\d+) failed: port is already allocated/.exec(text);
  if (allocated) {
    const port = allocated[2] ?? "";
    return {
      code: "PORT_IN_USE",
      message: `Host port ${port} (${allocated[1]}) is already published by another container.`,
      hint: `Find it with \`docker ps --filter publish=${port}\` and stop it, or choose another host port.`,
    };
  }
  const inUse = /listen (?:tcp|udp)[46]? (\S+?):(\d+): bind: address already in use/.exec(text);
  if (inUse) {
    const port = inUse[2] ?? "";
    return {
      code: "PORT_IN_USE",
      message: `Host port ${port} (${inUse[1]}) is already in use by another program on the host.`,
      hint: `See which one with \`sudo ss -tanp 'sport = :${port}'\` (a port released moments ago can sit in TIME-WAIT for a minute), stop it, or choose another host port.`,
    };
  }
  return undefined;
};

// The engine's proxy cannot listen on a --bind address the host does not have (a remote engine's
// host, where modelbox-dev cannot check it first).
const addressNotOnHost: Rule = (text) => {
  const m = /listen (?:tcp|udp)[46]? (\S+?):(\d+): bind: cannot assign requested address/.exec(
    text,
  );
  if (!m) return undefined;
  const address = (m[1] ?? "").replace(/^\[|\]$/g, "");
  return {
    code: "ADDRESS_NOT_ON_HOST",
    message: `The engine cannot publish ports on ${address}: it is not an address of the engine's host.`,
    hint: "Give --bind an address of that host ('ip -brief address' there lists them), 0.0.0.0 for every interface, or 127.0.0.1.",
  };
};

// systemd as PID 1 on a cgroup v2 host with the seed's `-v /sys/fs/cgroup:/sys/fs/cgroup:ro`: it
// cannot create its own cgroup and exits ("Exiting PID 1...") or, in older systemd, freezes,
// leaving a running container that never becomes ready.
const systemdReadOnlyCgroup: Rule = (text) => {
  if (!/Failed to create \/init\.scope control group: Read-only file system/.test(text)) {
    return undefined;
  }
  const systemd = /systemd v?(\d+)/.exec(text)?.[1];
  const frozen = /Freezing execution|freezing\./i.test(text);
  return {
    code: "START_FAILED",
    message:
      `systemd${systemd ? ` ${systemd}` : ""} in the container could not create its cgroup: /sys/fs/cgroup is mounted read-only on a cgroup v2 host` +
      (frozen
        ? " (it froze instead of exiting, so the container looks running but is dead)."
        : "."),
    hint: "On a cgroup v2 host start the container with --cgroupns=host and mount /sys/fs/cgroup read-write (-v /sys/fs/cgroup:/sys/fs/cgroup:rw) instead of :ro.",
  };
};

// The toolkit found no usable driver on the host (driver not loaded, or libraries missing).
const nvidiaDriverUnusable: Rule = (text) => {
  const m =
    /nvidia-container-cli: initialization error: (nvml error: driver not loaded|load library failed: libnvidia-ml\.so[^\s:]*)/.exec(
      text,
    );
  if (!m) return undefined;
  return {
    code: "GPU_UNAVAILABLE",
    message: `The NVIDIA Container Toolkit cannot use the host's driver (${m[1]}).`,
    hint: "Check that `nvidia-smi` works on the host: install or load the NVIDIA driver (sudo modprobe nvidia, or reboot after an upgrade). Or start without GPUs.",
  };
};

// An Ascend --device that does not exist on the host (wrong /dev/davinci index, driver not loaded).
const missingDevice: Rule = (text) => {
  const m =
    /error gathering device information while adding custom device "([^"]+)": no such file or directory/.exec(
      text,
    );
  if (!m) return undefined;
  const device = m[1] ?? "";
  const ascend = /davinci|hisi_hdc|devmm_svm/.test(device);
  return {
    code: ascend ? "NPU_UNAVAILABLE" : "START_FAILED",
    message: `The device ${device} does not exist on the host.`,
    hint: ascend
      ? "Check the Ascend driver (npu-smi info) and use the indices of the existing /dev/davinci<N> files, not the NPU card ids."
      : "Check the device path, or start without it.",
  };
};

const nameTaken: Rule = (text) => {
  const m = /The container name "\/?([^"]+)" is already in use/.exec(text);
  if (!m) return undefined;
  return {
    code: "NAME_TAKEN",
    message: `A container named ${m[1]} already exists.`,
    hint: "Choose another name, or remove the existing container first.",
  };
};

// A bind whose source is missing on the engine's host: Docker's --mount form says so (its -v form
// creates the directory instead), Podman names the failing statfs.
const bindSourceMissing: Rule = (text) => {
  const m =
    /bind source path does not exist:\s*(\S+)/.exec(text) ??
    /statfs ([^:]+): no such file or directory/i.exec(text);
  if (!m) return undefined;
  return {
    code: "INVALID_MOUNT",
    message: `Mount source ${m[1]} does not exist on the engine's host.`,
    hint: "Mount sources are paths on the machine the engine runs on: create it there first, or fix the path.",
  };
};

// More specific before more general: CUDA and device errors also contain "OCI runtime create failed".
const RULES: Rule[] = [
  gpuDriverMissing,
  nvidiaRuntimeMissing,
  cudaRequirement,
  nvidiaDriverUnusable,
  missingDevice,
  bindSourceMissing,
  portInUse,
  addressNotOnHost,
  systemdReadOnlyCgroup,
  nameTaken,
];

/** Classifies a daemon error message or container log; undefined when nothing is recognised. */
export function classifyDaemonError(message: string): DaemonErrorClassification | undefined {
  for (const rule of RULES) {
    const result = rule(message);
    if (result) return result;
  }
  return undefined;
}
