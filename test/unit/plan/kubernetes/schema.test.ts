import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { allCases, type CaseInput, caseName, renderCase } from "./cases.js";

/**
 * Every rendered object is checked against the official Kubernetes OpenAPI schemas (as compiled
 * by kubernetes-models), plus the name rules the API server applies on top of them. No cluster
 * is involved: nothing here applies anything.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Deployment,
  Service,
  PersistentVolumeClaim,
  Secret,
  ConfigMap,
};

/** Extra option sets, so that every optional field is rendered and checked too. */
const OPTION_CASES: CaseInput[] = [
  {
    kind: "develop",
    accel: "nvidia",
    cgroup: "v1",
    gpus: "2",
    flags: {
      namespace: "ml-dev",
      storageClass: "fast-ssd",
      pvcSize: "100g",
      k8sService: "NodePort",
      nodeSelector: ["nvidia.com/gpu.present=true", "kubernetes.io/arch=amd64"],
      toleration: ["nvidia.com/gpu:NoSchedule", "dedicated=ml:NoExecute", "spot"],
    },
    environment: { cpus: "1.5", memory: "16g", mount: ["/data:/data:ro", "/scratch:/scratch"] },
  },
  {
    kind: "develop",
    accel: "ascend310",
    cgroup: "v2-writable",
    npu: "4",
    flags: { k8sService: "LoadBalancer" },
    environment: { debug: "ptrace", cpus: 8, memory: "64Gi", bind: "0.0.0.0" },
  },
  {
    kind: "runtime",
    accel: "ascend310p",
    cgroup: "v1",
    flags: { k8sNpuType: "910" },
    environment: { debug: "privileged", httpPort: 9090 },
  },
  {
    kind: "develop",
    accel: "cpu",
    cgroup: "v2-privileged",
    environment: { name: "Team_Box.2", sshPort: 2222, editorPort: 11104, kind: "develop" },
  },
];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** IANA_SVC_NAME: a port name. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

interface Obj {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    ports?: Array<{ name: string }>;
  };
}
interface PodSpec {
  hostname?: string;
  volumes: Array<{ name: string }>;
  containers: Array<{ name: string; ports?: Array<{ name: string }> }>;
  initContainers?: Array<{ name: string; ports?: Array<{ name: string }> }>;
}

function checkServerRules(obj: Obj) {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  const nameRule = obj.kind === "Service" ? DNS_1035_LABEL : DNS_LABEL;
  check(nameRule.test(obj.metadata.name), `name ${obj.metadata.name}`);
  const labelSets = [obj.metadata.labels ?? {}, obj.spec?.template?.metadata.labels ?? {}];
  for (const labels of labelSets) {
    for (const [key, value] of Object.entries(labels)) {
      check(LABEL_KEY.test(key), `label key ${key}`);
      check(LABEL_VALUE.test(value), `label value ${key}=${value}`);
    }
  }
  for (const key of Object.keys(obj.metadata.annotations ?? {})) {
    check(LABEL_KEY.test(key), `annotation key ${key}`);
  }
  for (const port of obj.spec?.ports ?? []) check(PORT_NAME.test(port.name), `port ${port.name}`);
  const pod = obj.spec?.template?.spec;
  if (pod) {
    if (pod.hostname) check(DNS_LABEL.test(pod.hostname), `hostname ${pod.hostname}`);
    for (const v of pod.volumes) check(DNS_LABEL.test(v.name), `volume ${v.name}`);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      check(DNS_LABEL.test(c.name), `container ${c.name}`);
      for (const port of c.ports ?? []) {
        check(PORT_NAME.test(port.name), `container port ${port.name}`);
      }
    }
  }
  return problems;
}

function objectsIn(text: string): Obj[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error("not a YAML stream");
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Obj);
}

describe("every rendered object is valid against the Kubernetes schemas", () => {
  for (const input of [...allCases(), ...OPTION_CASES]) {
    const title = `${caseName(input)}${input.flags || input.environment ? " (with options)" : ""}`;
    it(title, () => {
      for (const explain of [false, true]) {
        const objects = objectsIn(renderCase({ ...input, explain }).text);
        expect(objects.map((o) => o.kind)).toContain("Deployment");
        for (const obj of objects) {
          const Model = MODELS[obj.kind];
          expect(Model, `a model for ${obj.kind}`).toBeDefined();
          if (!Model) continue;
          expect(
            () => new Model(obj as never).validate(),
            `${obj.kind} ${obj.metadata.name}`,
          ).not.toThrow();
          expect(checkServerRules(obj), `${obj.kind} ${obj.metadata.name}`).toEqual([]);
        }
      }
    });
  }

  it("the validator does catch a broken object (so the checks above can fail)", () => {
    const [deployment] = objectsIn(renderCase(allCases()[0]!).text).filter(
      (o) => o.kind === "Deployment",
    );
    const broken = structuredClone(deployment!) as unknown as {
      spec: { template: { spec: { containers: Array<{ resources?: unknown }> } } };
    };
    broken.spec.template.spec.containers[0]!.resources = { limits: { cpu: "four" } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/quantity/);
    expect(checkServerRules({ ...deployment!, metadata: { name: "My_Box" } })).not.toEqual([]);
  });
});
