import { describe, expect, it } from "vitest";
import { objectName } from "../../../../src/plan/kubernetes/names.js";
import {
  acceleratorCounts,
  choiceCounts,
  type ClusterRequest,
  imageHardware,
  parseCount,
} from "../../../../src/plan/kubernetes/node-facts.js";
import {
  parseKubernetesFlags,
  parseNodeSelector,
  parseToleration,
} from "../../../../src/plan/kubernetes/options.js";
import { renderKubernetesManifests } from "../../../../src/plan/kubernetes/render-kubernetes.js";
import { expectError } from "../errors.js";
import { imageFor, planCase } from "./cases.js";

describe("Kubernetes flags", () => {
  it("defaults: cgroup v1 nodes, a ClusterIP Service, a 20Gi home", () => {
    expect(parseKubernetesFlags({})).toEqual({
      nodeCgroup: "v1",
      serviceType: "ClusterIP",
      homeSizeBytes: 20 * 1024 ** 3,
      nodeSelector: {},
      tolerations: [],
    });
  });

  it("takes choices in any case and refuses others", () => {
    expect(
      parseKubernetesFlags({ k8sService: "nodeport", k8sCgroup: "V2-Writable" }),
    ).toMatchObject({
      serviceType: "NodePort",
      nodeCgroup: "v2-writable",
    });
    expectError(() => parseKubernetesFlags({ k8sCgroup: "v3" }), "INVALID_OPTION");
    expectError(() => parseKubernetesFlags({ k8sService: "ExternalName" }), "INVALID_OPTION");
    expectError(() => parseKubernetesFlags({ k8sNpuType: "310B" }), "INVALID_OPTION");
  });

  it("checks names as the API server will", () => {
    expect(parseKubernetesFlags({ namespace: "ml-dev", storageClass: "fast.ssd" })).toMatchObject({
      namespace: "ml-dev",
      storageClass: "fast.ssd",
    });
    expectError(() => parseKubernetesFlags({ namespace: "ML_Dev" }), "INVALID_OPTION");
    expectError(() => parseKubernetesFlags({ storageClass: "Fast SSD" }), "INVALID_OPTION");
    expectError(() => parseKubernetesFlags({ pvcSize: "lots" }), "INVALID_OPTION");
  });

  it("--node-selector KEY=VALUE", () => {
    expect(parseNodeSelector(["kubernetes.io/arch=arm64", "gpu=", "zone=a"])).toEqual({
      "kubernetes.io/arch": "arm64",
      gpu: "",
      zone: "a",
    });
    for (const bad of ["no-equals", "=value", "key=bad value", "Bad_Prefix/key=x"]) {
      expectError(() => parseNodeSelector([bad]), "INVALID_OPTION");
    }
  });

  it("--toleration as kubectl taint spells it", () => {
    expect(parseToleration("nvidia.com/gpu:NoSchedule")).toEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
    expect(parseToleration("dedicated=ml:noexecute")).toEqual({
      key: "dedicated",
      operator: "Equal",
      value: "ml",
      effect: "NoExecute",
    });
    expect(parseToleration("spot")).toEqual({ key: "spot", operator: "Exists" });
    for (const bad of ["", ":NoSchedule", "key:Sometimes", "key=bad value"]) {
      expectError(() => parseToleration(bad), "INVALID_OPTION");
    }
  });
});

describe("accelerators on a cluster are counts", () => {
  it("--gpus/--npu: auto, none or a number; all and device lists are refused with a hint", () => {
    expect(parseCount(undefined, "--gpus")).toBe("auto");
    expect(parseCount("none", "--gpus")).toBe(0);
    expect(parseCount("2", "--npu")).toBe(2);
    const all = expectError(() => parseCount("all", "--gpus"), "INVALID_OPTION");
    expect(all.hint).toContain("--gpus 2");
    expectError(() => parseCount("0,1", "--gpus"), "INVALID_OPTION");
    expectError(() => parseCount("0-3", "--npu"), "INVALID_OPTION");
  });

  const request = (gpus: ClusterRequest["gpus"], npus: ClusterRequest["npus"]): ClusterRequest => ({
    gpus,
    npus,
    nodeCgroup: "v1",
    nodeSelector: {},
  });

  it("auto asks for one device of the kind the image is built for", () => {
    expect(acceleratorCounts(request("auto", "auto"), "cuda")).toEqual({ gpus: 1, npus: 0 });
    expect(acceleratorCounts(request("auto", "auto"), "cann")).toEqual({ gpus: 0, npus: 1 });
    expect(acceleratorCounts(request("auto", "auto"), undefined)).toEqual({ gpus: 0, npus: 0 });
    expect(acceleratorCounts(request(2, 0), "cuda")).toEqual({ gpus: 2, npus: 0 });
  });

  it("image choice sees the accelerator the flags point at", () => {
    expect(choiceCounts(request("auto", "auto"), undefined)).toEqual({ gpus: 1, npus: 0 });
    expect(choiceCounts(request("auto", "auto"), "ascend")).toEqual({ gpus: 0, npus: 1 });
    expect(choiceCounts(request("auto", 4), "auto")).toEqual({ gpus: 0, npus: 4 });
  });

  it("the image name tells the chip family and the node architecture", () => {
    expect(imageHardware(imageFor("develop", "ascend310"))).toEqual({
      accel: "cann",
      npuType: "310",
      nodeArch: "amd64",
    });
    expect(imageHardware(imageFor("develop", "ascend310p"))).toEqual({
      accel: "cann",
      npuType: "310P",
      nodeArch: "arm64",
    });
    expect(imageHardware("registry.example.com/team/custom:1")).toEqual({});
  });

  it("a custom image with NPUs needs --k8s-npu-type", () => {
    const { plan, options } = planCase({
      kind: "develop",
      accel: "cpu",
      cgroup: "v1",
      npu: "1",
      environment: { image: "registry.example.com/team/custom:1", kind: "develop" },
    });
    expect(plan.npu.mode).toBe("devices");
    const error = expectError(() => renderKubernetesManifests(plan, options), "INVALID_OPTION");
    expect(error.hint).toContain("--k8s-npu-type");
    expect(renderKubernetesManifests(plan, { ...options, npuType: "910" })).toContain(
      "huawei.com/Ascend910: 1",
    );
  });
});

describe("object names", () => {
  it("follow the environment name in Kubernetes' spelling", () => {
    expect(objectName("mybox")).toBe("mybox");
    expect(objectName("modelbox_instance_1700000000")).toBe("modelbox-instance-1700000000");
    expect(objectName("Team.Box")).toBe("team-box");
    expect(objectName("1box")).toBe("mb-1box");
  });

  it("refuse a name no label value can hold", () => {
    expectError(() => objectName("a".repeat(64)), "INVALID_NAME");
    expectError(() => objectName("box_"), "INVALID_NAME");
  });
});
