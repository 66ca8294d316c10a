import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { LABELS } from "../../../../src/labels.js";
import { EDITOR_SERVICE_NAME } from "../../../../src/plan/editor-service-unit.js";
import { allCases, type CaseInput, caseName, renderCase, TEST_KEY } from "./cases.js";

/** The manifests read back with a YAML parser, as kubectl would read them. */
type Json = Record<string, unknown>;
interface Volume extends Json {
  name: string;
}
interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: Array<{ name: string; value: string }>;
  ports?: Array<{ name: string; containerPort: number }>;
  resources?: { requests?: Json; limits?: Json };
  securityContext?: {
    privileged?: boolean;
    capabilities?: { add?: string[] };
    seccompProfile?: Json;
  };
  volumeMounts: Mount[];
  readinessProbe?: Json;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  nodeSelector?: Record<string, string>;
  tolerations?: Json[];
  initContainers: Container[];
  containers: Container[];
  volumes: Volume[];
}
interface Manifests {
  text: string;
  kinds: string[];
  byKind: (kind: string) => Json & {
    metadata: {
      name: string;
      namespace?: string;
      labels: Record<string, string>;
      annotations?: Record<string, string>;
    };
  };
  has: (kind: string) => boolean;
  deployment: {
    spec: {
      replicas: number;
      strategy: { type: string };
      selector: { matchLabels: Json };
      template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    };
  };
  pod: PodSpec;
  main: Container;
  prepare: Container;
  mount: (path: string) => Mount | undefined;
  volume: (name: string) => Volume | undefined;
}

function manifests(input: CaseInput): Manifests {
  const { text } = renderCase(input);
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error("not a YAML stream");
  const objects = docs.map((d) => d.toJS() as Json & { kind: string });
  const byKind = (kind: string) => {
    const found = objects.find((o) => o.kind === kind);
    if (!found) throw new Error(`no ${kind}`);
    return found as never;
  };
  const deployment = byKind("Deployment") as Manifests["deployment"];
  const pod = deployment.spec.template.spec;
  const main = pod.containers[0]!;
  return {
    text,
    kinds: objects.map((o) => o.kind),
    byKind,
    has: (kind) => objects.some((o) => o.kind === kind),
    deployment,
    pod,
    main,
    prepare: pod.initContainers[0]!,
    mount: (path) => main.volumeMounts.find((m) => m.mountPath === path),
    volume: (name) => pod.volumes.find((v) => v.name === name),
  };
}

describe("systemd as PID 1", () => {
  for (const input of allCases()) {
    it(`${caseName(input)}: cgroup, in-memory /run, /run/lock, /tmp, grace period, no command override`, () => {
      const m = manifests(input);
      const cgroup = m.mount("/sys/fs/cgroup");
      const privileged = m.main.securityContext?.privileged;
      if (input.cgroup === "v1") {
        expect(cgroup?.readOnly).toBe(true);
        expect(m.volume(cgroup!.name)).toMatchObject({ hostPath: { path: "/sys/fs/cgroup" } });
        expect(privileged).toBe(false);
      } else if (input.cgroup === "v2-privileged") {
        expect(cgroup?.readOnly).toBe(false);
        expect(m.volume(cgroup!.name)).toMatchObject({ hostPath: { path: "/sys/fs/cgroup" } });
        expect(privileged).toBe(true);
      } else {
        // containerd's own writable cgroup mount must not be covered by anything of ours.
        expect(cgroup).toBeUndefined();
        expect(privileged).toBe(false);
        expect(m.text).toContain("cgroup_writable = true");
        expect(m.text).toContain("ignore_image_defined_volumes = true");
      }
      for (const path of ["/run", "/run/lock", "/tmp"]) {
        const mount = m.mount(path);
        expect(mount, path).toBeDefined();
        expect(m.volume(mount!.name)).toMatchObject({ emptyDir: { medium: "Memory" } });
      }
      expect(m.pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
      expect(m.main.command).toBeUndefined();
      expect(m.main.lifecycle?.preStop?.exec?.command?.join(" ")).toContain("halt.target");
      expect(m.text).toContain("SIGRTMIN+3");
    });
  }
});

describe("workload: Deployment, home claim, Service, labels", () => {
  for (const input of allCases()) {
    it(caseName(input), () => {
      const m = manifests(input);
      expect(m.deployment.spec.replicas).toBe(1);
      expect(m.deployment.spec.strategy.type).toBe("Recreate");
      const claim = m.byKind("PersistentVolumeClaim");
      expect(m.volume(m.mount("/root")!.name)).toMatchObject({
        persistentVolumeClaim: { claimName: claim.metadata.name },
      });
      const service = m.byKind("Service") as unknown as {
        spec: { type: string; selector: Json; ports: Array<{ port: number }> };
      };
      expect(service.spec.type).toBe("ClusterIP");
      expect(service.spec.selector).toEqual(m.deployment.spec.selector.matchLabels);
      const ports = service.spec.ports.map((p) => p.port);
      expect(ports).toEqual(input.kind === "develop" ? [22, 1104, 8080] : [8080]);
      const labels = m.deployment.spec.template.metadata.labels;
      expect(labels[LABELS.managed]).toBe("true");
      expect(labels[LABELS.name]).toBe("mybox");
      expect(labels[LABELS.kind]).toBe(input.kind);
      expect(labels[LABELS.specHash]).toMatch(/^[0-9a-f]{16}$/);
      // What a label value cannot hold is an annotation under the same key.
      expect(m.byKind("Deployment").metadata.annotations?.[LABELS.image]).toBe(m.main.image);
      expect(
        JSON.parse(m.byKind("Deployment").metadata.annotations?.[LABELS.spec] ?? ""),
      ).toHaveProperty("image", m.main.image);
      for (const kind of m.kinds) {
        expect(m.byKind(kind).metadata.labels[LABELS.name], kind).toBe("mybox");
      }
    });
  }
});

describe("access: key Secret, developer mode unit, port-forward", () => {
  it("develop: the key from a Secret goes to /root/.ssh/authorized_keys, owned by root, 700/600", () => {
    const m = manifests({ kind: "develop", accel: "nvidia", cgroup: "v1" });
    const secret = m.byKind("Secret") as unknown as {
      metadata: { name: string };
      stringData: { authorized_keys: string };
    };
    expect(secret.stringData.authorized_keys).toBe(`${TEST_KEY}\n`);
    expect(m.volume("ssh-key")).toMatchObject({ secret: { secretName: secret.metadata.name } });
    // Only the init container sees the Secret; the environment itself never mounts it.
    expect(m.prepare.volumeMounts.map((v) => v.name)).toContain("ssh-key");
    expect(m.main.volumeMounts.map((v) => v.name)).not.toContain("ssh-key");
    const script = m.prepare.command?.join(" ") ?? "";
    expect(script).toContain('chmod 700 "$home/.ssh"');
    expect(script).toContain('chmod 600 "$f"');
    expect(script).toContain('chown root:root "$f"');
    expect(m.prepare.image).toBe(m.main.image);
  });

  it("develop: developer mode is a systemd unit from a ConfigMap, enabled for multi-user.target", () => {
    const m = manifests({ kind: "develop", accel: "cpu", cgroup: "v2-privileged" });
    const config = m.byKind("ConfigMap") as unknown as {
      metadata: { name: string };
      data: Record<string, string>;
    };
    const unit = config.data[EDITOR_SERVICE_NAME] ?? "";
    expect(unit).toContain("modelbox-tool develop -s");
    expect(unit).toContain("/root/modelbox-service/modelbox restart");
    expect(unit).toContain("WantedBy=multi-user.target");
    expect(m.volume("editor-unit")).toMatchObject({ configMap: { name: config.metadata.name } });
    const script = m.prepare.command?.join(" ") ?? "";
    expect(script).toContain(`multi-user.target.wants/${EDITOR_SERVICE_NAME}`);
    // The unit lands in the /run volume the environment's container mounts at /run.
    const run = m.prepare.volumeMounts.find((v) => v.name === m.mount("/run")!.name);
    expect(script).toContain(`${run!.mountPath}/systemd/system`);
    // port-forward's requests arrive from 127.0.0.1, which develop -s admits without $SSH_CLIENT.
    expect(unit).not.toContain("SSH_CLIENT");
    expect(m.text).toMatch(
      /^# +kubectl port-forward deployment\/mybox 50022:22 1104:1104 8080:8080$/m,
    );
    expect(m.main.readinessProbe).toMatchObject({ tcpSocket: { port: "ssh" } });
  });

  it("--no-develop-mode: no developer mode unit, the rest as before", () => {
    const m = manifests({
      kind: "develop",
      accel: "cpu",
      cgroup: "v1",
      environment: { developMode: false },
    });
    expect(m.has("ConfigMap")).toBe(false);
    expect(m.volume("editor-unit")).toBeUndefined();
    expect(m.prepare.command?.join(" ")).not.toContain("systemd/system");
    expect(m.has("Secret")).toBe(true);
  });

  it("runtime: no sshd or editor parts, and a comment says so", () => {
    const m = manifests({ kind: "runtime", accel: "nvidia", cgroup: "v1" });
    expect(m.has("Secret")).toBe(false);
    expect(m.has("ConfigMap")).toBe(false);
    expect(m.main.ports?.map((p) => p.name)).toEqual(["http"]);
    expect(m.main.readinessProbe).toBeUndefined();
    expect(m.text).toMatch(/^# Runtime image: no sshd and no editor/m);
    expect(m.text).not.toMatch(/^# +ssh /m);
  });

  it("no inbound exposure unless --k8s-service asks for it", () => {
    for (const type of ["NodePort", "LoadBalancer"] as const) {
      const m = manifests({
        kind: "develop",
        accel: "cpu",
        cgroup: "v1",
        flags: { k8sService: type },
      });
      expect((m.byKind("Service") as unknown as { spec: { type: string } }).spec.type).toBe(type);
    }
    const m = manifests({ kind: "develop", accel: "cpu", cgroup: "v1" });
    expect(m.text).not.toMatch(/NodePort|LoadBalancer|hostPort|hostNetwork/);
  });
});

describe("accelerators", () => {
  it("NVIDIA: nvidia.com/gpu from --gpus, no fixed NVIDIA_VISIBLE_DEVICES", () => {
    const m = manifests({ kind: "develop", accel: "nvidia", cgroup: "v1", gpus: "3" });
    expect(m.main.resources?.limits).toEqual({ "nvidia.com/gpu": 3 });
    expect(m.main.env?.map((e) => e.name)).toEqual(["NVIDIA_DRIVER_CAPABILITIES"]);
  });

  it("a CUDA image without GPUs gets none, even on a node whose default runtime is nvidia", () => {
    const m = manifests({ kind: "develop", accel: "cpu", cgroup: "v1" });
    expect(m.main.resources).toBeUndefined();
    expect(m.main.env).toContainEqual({ name: "NVIDIA_VISIBLE_DEVICES", value: "void" });
  });

  for (const [accel, resource] of [
    ["ascend310", "huawei.com/Ascend310"],
    ["ascend310p", "huawei.com/Ascend310P"],
  ] as const) {
    it(`${accel}: ${resource} by the image's chip family, the node's driver and npu-smi`, () => {
      const m = manifests({ kind: "develop", accel, cgroup: "v1", npu: "2" });
      expect(m.main.resources?.limits).toEqual({ [resource]: 2 });
      for (const path of ["/usr/local/Ascend/driver", "/usr/local/bin/npu-smi"]) {
        const mount = m.mount(path);
        expect(mount?.readOnly, path).toBe(true);
        expect(m.volume(mount!.name)).toMatchObject({ hostPath: { path } });
      }
      expect(m.text).not.toMatch(/ASCEND_VISIBLE_DEVICES:|name: ASCEND_VISIBLE_DEVICES/);
      // The plugin adds the /dev/davinci nodes; the manifests name none.
      expect(m.text).not.toMatch(/path: \/dev\//);
    });
  }

  it("--k8s-npu-type 910 asks the plugin for Ascend910", () => {
    const m = manifests({
      kind: "runtime",
      accel: "ascend310",
      cgroup: "v1",
      flags: { k8sNpuType: "910" },
    });
    expect(m.main.resources?.limits).toEqual({ "huawei.com/Ascend910": 1 });
  });

  it("the node's architecture follows the image's", () => {
    expect(
      manifests({ kind: "develop", accel: "ascend310p", cgroup: "v1" }).pod.nodeSelector,
    ).toEqual({
      "kubernetes.io/arch": "arm64",
    });
    expect(manifests({ kind: "develop", accel: "nvidia", cgroup: "v1" }).pod.nodeSelector).toEqual({
      "kubernetes.io/arch": "amd64",
    });
  });
});

describe("cluster options", () => {
  const m = manifests({
    kind: "develop",
    accel: "nvidia",
    cgroup: "v1",
    flags: {
      namespace: "ml-dev",
      storageClass: "fast-ssd",
      pvcSize: "100g",
      nodeSelector: ["node-role/gpu=true"],
      toleration: ["nvidia.com/gpu:NoSchedule", "dedicated=ml"],
    },
    environment: { cpus: "1.5", memory: "16g", debug: "ptrace", mount: ["/data:/data:ro"] },
  });

  it("--namespace on every object and every command", () => {
    for (const kind of m.kinds) expect(m.byKind(kind).metadata.namespace, kind).toBe("ml-dev");
    const commands = m.text.split("\n").filter((l) => /^# +kubectl /.test(l));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const line of commands) expect(line).toContain("kubectl -n ml-dev ");
  });

  it("--storage-class and --pvc-size on the home claim", () => {
    expect(m.byKind("PersistentVolumeClaim")).toMatchObject({
      spec: { storageClassName: "fast-ssd", resources: { requests: { storage: "100Gi" } } },
    });
  });

  it("--cpus and --memory as requests equal to limits, beside the GPU", () => {
    expect(m.main.resources).toEqual({
      requests: { cpu: "1500m", memory: "16Gi" },
      limits: { cpu: "1500m", memory: "16Gi", "nvidia.com/gpu": 1 },
    });
  });

  it("--node-selector and --toleration", () => {
    expect(m.pod.nodeSelector).toEqual({ "kubernetes.io/arch": "amd64", "node-role/gpu": "true" });
    expect(m.pod.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "dedicated", operator: "Equal", value: "ml" },
    ]);
  });

  it("--debug ptrace and --mount", () => {
    expect(m.main.securityContext).toEqual({
      privileged: false,
      capabilities: { add: ["SYS_PTRACE"] },
      seccompProfile: { type: "Unconfined" },
    });
    expect(m.mount("/data")?.readOnly).toBe(true);
    expect(m.volume(m.mount("/data")!.name)).toMatchObject({ hostPath: { path: "/data" } });
  });

  it("ends with the commands to apply, wait, port-forward and ssh in", () => {
    const tail = m.text.trimEnd().split("\n").slice(-10).join("\n");
    expect(tail).toContain("kubectl -n ml-dev apply -f mybox.yaml");
    expect(tail).toContain("kubectl -n ml-dev rollout status deployment/mybox");
    expect(tail).toContain(
      "kubectl -n ml-dev port-forward deployment/mybox 50022:22 1104:1104 8080:8080",
    );
    expect(tail).toMatch(/ssh -i \S+id_ed25519 -p 50022 .*root@127\.0\.0\.1/);
  });
});
