import { describe, expect, it } from "vitest";
import type { ContainerDetails } from "../../../src/engine/types.js";
import {
  acceleratorsInUseBy,
  heldAccelerators,
  resolveHeldGpus,
} from "../../../src/host/held-accelerators.js";
import { parseNvidiaSmiList } from "../../../src/host/parse-nvidia-smi.js";
import { LABELS } from "../../../src/labels.js";
import { recordedIn } from "../../support/recorded.js";

// No GPU here: the host's GPUs come from a recorded `nvidia-smi -L` (8x H100), and the
// containers are described as the engine's inspect reports them.
const recorded = recordedIn("nvidia-smi");
const H100S = parseNvidiaSmiList(recorded("list-L-8xH100-mig-1g.10gb.txt")).map((g) => ({
  index: g.index,
  name: g.name,
  ...(g.uuid ? { uuid: g.uuid } : {}),
}));

function container(
  hostConfig: Record<string, unknown>,
  env: Record<string, string> = {},
  labels: Record<string, string> = {},
): ContainerDetails {
  return {
    id: "c0ffee",
    name: "box",
    status: "running",
    image: "img",
    labels,
    created: new Date(0),
    ports: [],
    imageId: "sha256:1",
    exitCode: 0,
    hostConfig,
    env,
    volumes: [],
    limits: { ulimits: [] },
  };
}

const gpuRequest = (ids: string[], count = 0) => ({
  Driver: "",
  Count: count,
  DeviceIDs: ids,
  Capabilities: [["gpu"]],
});

describe("heldAccelerators: what the engine says a container holds", () => {
  it("device requests: listed ids (indices or UUIDs), all (-1), or the first N", () => {
    const uuid = H100S[3]?.uuid ?? "";
    expect(heldAccelerators(container({ DeviceRequests: [gpuRequest(["0", uuid])] })).gpus).toEqual(
      ["0", uuid],
    );
    expect(heldAccelerators(container({ DeviceRequests: [gpuRequest([], -1)] })).gpus).toEqual([
      "all",
    ]);
    expect(heldAccelerators(container({ DeviceRequests: [gpuRequest([], 2)] })).gpus).toEqual([
      "0",
      "1",
    ]);
  });

  it("a device request that is not for GPUs is not a GPU", () => {
    const other = { Driver: "", Count: -1, DeviceIDs: [], Capabilities: [["compute"]] };
    expect(heldAccelerators(container({ DeviceRequests: [other] })).gpus).toEqual([]);
  });

  it("NVIDIA_VISIBLE_DEVICES counts only under the nvidia runtime (CUDA images set it to all)", () => {
    const env = { NVIDIA_VISIBLE_DEVICES: "all" };
    expect(heldAccelerators(container({}, env)).gpus).toEqual([]);
    expect(heldAccelerators(container({ Runtime: "nvidia" }, env)).gpus).toEqual(["all"]);
    expect(
      heldAccelerators(container({ Runtime: "nvidia" }, { NVIDIA_VISIBLE_DEVICES: "1,2" })).gpus,
    ).toEqual(["1", "2"]);
    expect(
      heldAccelerators(container({ Runtime: "nvidia" }, { NVIDIA_VISIBLE_DEVICES: "none" })).gpus,
    ).toEqual([]);
  });

  it("Ascend chips: /dev/davinci<N> devices, or ASCEND_VISIBLE_DEVICES under the ascend runtime", () => {
    const devices = ["/dev/davinci3", "/dev/davinci_manager", "/dev/davinci1", "/dev/hisi_hdc"].map(
      (p) => ({ PathOnHost: p, PathInContainer: p, CgroupPermissions: "rwm" }),
    );
    expect(heldAccelerators(container({ Devices: devices })).npuChips).toEqual([1, 3]);
    expect(
      heldAccelerators(container({ Runtime: "ascend" }, { ASCEND_VISIBLE_DEVICES: "0-2,5" }))
        .npuChips,
    ).toEqual([0, 1, 2, 5]);
  });

  it("the facts' entry carries the owner label, and is absent when nothing is held", () => {
    const held = container(
      { DeviceRequests: [gpuRequest(["0"])] },
      {},
      { [LABELS.owner]: "alice" },
    );
    expect(acceleratorsInUseBy(held)).toEqual({
      environment: "box",
      owner: "alice",
      gpus: ["0"],
      npuChips: [],
    });
    expect(acceleratorsInUseBy(container({}))).toBeUndefined();
  });
});

describe("resolveHeldGpus: index and UUID for each", () => {
  it("an index gets its UUID, a UUID its index, from the recorded nvidia-smi -L", () => {
    const third = H100S[2];
    expect(third?.uuid).toMatch(/^GPU-/);
    expect(resolveHeldGpus(["0", third?.uuid ?? ""], H100S)).toEqual([
      { id: "0", index: 0, uuid: H100S[0]?.uuid },
      { id: third?.uuid, index: 2, uuid: third?.uuid },
    ]);
  });

  it("all is every GPU; without nvidia-smi an id stays what it was", () => {
    expect(resolveHeldGpus(["all"], H100S)).toHaveLength(8);
    expect(resolveHeldGpus(["1", "GPU-abc", "MIG-0"], [])).toEqual([
      { id: "1", index: 1 },
      { id: "GPU-abc", uuid: "GPU-abc" },
      { id: "MIG-0", uuid: "MIG-0" },
    ]);
  });
});
