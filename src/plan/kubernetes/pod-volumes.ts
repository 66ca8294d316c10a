import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { Plan } from "../types.js";
import type { ObjectNames } from "./names.js";
import type { NodeCgroup } from "./options.js";

/** A pod volume, where the environment's container mounts it, and why. */
export interface PodVolume {
  volume: IVolume;
  mount?: Omit<IVolumeMount, "name">;
  explain: string;
}

/** Where the init container finds what it prepares (it never runs with them at their real place). */
export const PREPARE_PATHS = {
  home: "/modelbox-dev/home",
  run: "/modelbox-dev/run",
  keys: "/modelbox-dev/ssh",
  units: "/modelbox-dev/units",
} as const;

/** The Ascend driver and npu-smi live on the node; the device plugin only adds /dev nodes. */
export const ASCEND_HOST_PATHS = [
  { name: "ascend-driver", path: "/usr/local/Ascend/driver", type: "Directory" },
  { name: "npu-smi", path: "/usr/local/bin/npu-smi", type: "File" },
] as const;

const TMPFS_NAMES: Record<string, string> = {
  "/run": "run",
  "/run/lock": "run-lock",
  "/tmp": "tmp",
};

function cgroupVolume(cgroup: NodeCgroup): PodVolume | undefined {
  const hostPath = { path: "/sys/fs/cgroup", type: "Directory" } as const;
  if (cgroup === "v1") {
    return {
      volume: { name: "cgroup", hostPath },
      mount: { mountPath: "/sys/fs/cgroup", readOnly: true },
      explain:
        "cgroup (node on cgroup v1, --k8s-cgroup v1): the node's cgroup tree read-only, as Docker's -v /sys/fs/cgroup:/sys/fs/cgroup:ro. The image declares VOLUME /sys/fs/cgroup; without this mount containerd puts an empty directory there and systemd (PID 1) stays offline and starts nothing. Read-only at the mount point only (recursiveReadOnly left unset): systemd still writes its own hierarchy below it. No privilege needed.",
    };
  }
  if (cgroup === "v2-privileged") {
    return {
      volume: { name: "cgroup", hostPath },
      mount: { mountPath: "/sys/fs/cgroup", readOnly: false },
      explain:
        "cgroup (node on cgroup v2, --k8s-cgroup v2-privileged): on cgroup v2 systemd must create its own cgroups, so the tree is read-write. containerd keeps a privileged container in the node's cgroup namespace, so this is Docker's --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw. The mount also keeps the image's VOLUME /sys/fs/cgroup from covering the tree with an empty directory.",
    };
  }
  return undefined;
}

/**
 * Every volume of the pod, from the plan: the cgroup tree, the in-memory /run, /run/lock and
 * /tmp, the home volume at /root, the user's --mount directories, the Ascend driver, and what
 * the init container reads (the key Secret, the unit ConfigMap).
 */
export function podVolumes(
  plan: Plan,
  names: ObjectNames,
  cgroup: NodeCgroup,
  access: { keys: boolean; editorUnit: boolean },
  ascend: boolean,
): PodVolume[] {
  const volumes: PodVolume[] = [];
  const cgroupMount = cgroupVolume(cgroup);
  if (cgroupMount) volumes.push(cgroupMount);
  for (const path of plan.tmpfs) {
    volumes.push({
      volume: {
        name: TMPFS_NAMES[path] ?? `tmpfs-${volumes.length}`,
        emptyDir: { medium: "Memory" },
      },
      mount: { mountPath: path },
      explain: `${path} in memory (emptyDir, medium Memory), as Docker's --tmpfs ${path}: systemd needs /run and /run/lock writable; it counts against the memory limit, and it is emptied when the pod is replaced.`,
    });
  }
  volumes.push({
    volume: { name: "home", persistentVolumeClaim: { claimName: names.home } },
    mount: { mountPath: "/root" },
    explain: `root's home on the PersistentVolumeClaim ${names.home}: projects, keys and developer mode's modelbox-service survive restarts and a new image, as a Docker volume would keep them.`,
  });
  plan.mounts
    .filter((m) => m.purpose === "user")
    .forEach((m, i) => {
      volumes.push({
        volume: { name: `mount-${i + 1}`, hostPath: { path: m.source } },
        mount: { mountPath: m.target, readOnly: m.readOnly },
        explain: `--mount ${m.source}:${m.target}${m.readOnly ? ":ro" : ""}: a directory of the node the pod runs on (hostPath), not of this machine${m.readOnly ? "; read-only" : ""}. Pin the node with --node-selector when it exists on one node only.`,
      });
    });
  if (ascend) {
    for (const host of ASCEND_HOST_PATHS) {
      volumes.push({
        volume: { name: host.name, hostPath: { path: host.path, type: host.type } },
        mount: { mountPath: host.path, readOnly: true },
        explain: `${host.path} from the node, at the same path: the Ascend device plugin adds only the /dev/davinci nodes, and CANN needs the node's driver${host.name === "npu-smi" ? " (npu-smi shows the chips inside)" : ""}.`,
      });
    }
  }
  if (access.keys) {
    volumes.push({
      volume: {
        name: "ssh-key",
        secret: { secretName: names.authorizedKeys, defaultMode: 0o400 },
      },
      explain: `the public key from the Secret ${names.authorizedKeys}, read by the init container only (mode 256 = 0400).`,
    });
  }
  if (access.editorUnit) {
    volumes.push({
      volume: { name: "editor-unit", configMap: { name: names.editorUnit } },
      explain: `the developer mode unit from the ConfigMap ${names.editorUnit}, read by the init container only.`,
    });
  }
  return volumes;
}

/** The init container's view: the home, /run, the key and the unit, at PREPARE_PATHS. */
export function prepareMounts(volumes: PodVolume[]): IVolumeMount[] {
  const at: Record<string, string> = {
    home: PREPARE_PATHS.home,
    run: PREPARE_PATHS.run,
    "ssh-key": PREPARE_PATHS.keys,
    "editor-unit": PREPARE_PATHS.units,
  };
  return volumes
    .filter((v) => at[v.volume.name] !== undefined)
    .map((v) => ({ name: v.volume.name, mountPath: at[v.volume.name] ?? "" }));
}
