import { describe, expect, it } from "vitest";
import { runDoctor } from "../../../src/doctor/run-doctor.js";
import { ModelboxDevError } from "../../../src/errors.js";
import type { AcceleratorsInUse, HostFacts } from "../../../src/host/facts.js";
import { gpusFromNvidiaSmiCsv, parseNvidiaSmiCsv } from "../../../src/host/parse-nvidia-smi.js";
import { parseNvidiaSmiList } from "../../../src/host/parse-nvidia-smi.js";
import { planUp } from "../../../src/plan/plan-up.js";
import { dockerFacts } from "../../support/facts.js";
import { recordedIn } from "../../support/recorded.js";

// No GPU here: the host's GPUs come from recorded nvidia-smi output, and which GPUs running
// environments hold is injected as the facts' acceleratorsInUse (what the probe reads from
// the engine).
const recorded = recordedIn("nvidia-smi");
const H100S = parseNvidiaSmiList(recorded("list-L-8xH100-mig-1g.10gb.txt")).map((g) => ({
  index: g.index,
  name: g.name,
  ...(g.uuid ? { uuid: g.uuid } : {}),
}));
const TWO = gpusFromNvidiaSmiCsv(
  parseNvidiaSmiCsv(recorded("query-gpu-csv-610.57.04-2gpus-mixed-models.txt")),
);

function factsWith(gpus: typeof H100S, acceleratorsInUse: AcceleratorsInUse[]): HostFacts {
  return { ...dockerFacts({ version: "24.0.6", nvidia: { gpus } }), acceleratorsInUse };
}

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const gpuOf = (facts: HostFacts, gpus: string, name = "mine") =>
  planUp({ name, image: IMAGE, gpus }, facts).gpu;

function refusal(fn: () => unknown): ModelboxDevError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelboxDevError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("--gpus free: GPUs no running environment holds", () => {
  const held: AcceleratorsInUse[] = [
    { environment: "box-a", owner: "alice", gpus: ["0", "1"], npuChips: [] },
    // Held by UUID: still GPU 3.
    { environment: "b", owner: "bob", gpus: [H100S[3]?.uuid ?? ""], npuChips: [] },
  ];

  it("free takes every free one, free:N the first N, by index", () => {
    const facts = factsWith(H100S, held);
    expect(gpuOf(facts, "free")).toEqual({
      mode: "device-request",
      devices: ["2", "4", "5", "6", "7"],
    });
    expect(gpuOf(facts, "free:2")).toEqual({ mode: "device-request", devices: ["2", "4"] });
  });

  it("the environment being made again counts its own GPUs as free", () => {
    const facts = factsWith(H100S, held);
    expect(gpuOf(facts, "free:1", "box-a")).toEqual({ mode: "device-request", devices: ["0"] });
  });

  it("an environment holding all takes every GPU: none is free, and the refusal says who", () => {
    const facts = factsWith(TWO, [
      { environment: "big", owner: "carol", gpus: ["all"], npuChips: [] },
    ]);
    const err = refusal(() => gpuOf(facts, "free"));
    expect(err.code).toBe("GPU_UNAVAILABLE");
    expect(err.message).toContain("0 held by big (carol)");
    expect(err.message).toContain("1 held by big (carol)");
  });

  it("more asked for than free is refused; free:0 is a mistake", () => {
    const facts = factsWith(TWO, [{ environment: "a", gpus: ["0"], npuChips: [] }]);
    expect(refusal(() => gpuOf(facts, "free:2")).message).toContain(
      "Only 1 GPU is free, 2 asked for",
    );
    expect(refusal(() => gpuOf(facts, "free:0")).code).toBe("INVALID_OPTION");
  });

  it("nothing held: free is every GPU", () => {
    expect(gpuOf(factsWith(TWO, []), "free")).toEqual({
      mode: "device-request",
      devices: ["0", "1"],
    });
  });
});

describe("--gpus with UUIDs", () => {
  it("takes the UUIDs nvidia-smi reports (recorded CSV), and refuses one the host lacks", () => {
    const uuid = TWO[1]?.uuid ?? "";
    expect(uuid).toMatch(/^GPU-/);
    expect(gpuOf(factsWith(TWO, []), uuid)).toEqual({ mode: "device-request", devices: [uuid] });
    const err = refusal(() => gpuOf(factsWith(TWO, []), "GPU-00000000-dead-beef"));
    expect(err.code).toBe("GPU_UNAVAILABLE");
    expect(err.hint).toContain(uuid);
  });
});

describe("doctor: GPUs held by more than one running environment", () => {
  it("warns naming the GPU (index and UUID) and its holders", () => {
    const facts = factsWith(TWO, [
      { environment: "a", owner: "alice", gpus: ["0"], npuChips: [] },
      { environment: "b", owner: "bob", gpus: [TWO[0]?.uuid ?? ""], npuChips: [0] },
      { environment: "c", gpus: ["1"], npuChips: [0] },
    ]);
    const check = runDoctor(facts).find((c) => c.id === "sharing");
    expect(check?.status).toBe("warn");
    expect(check?.found).toContain(`GPU 0 (${TWO[0]?.uuid}) is held by a (alice), b (bob)`);
    expect(check?.found).toContain("/dev/davinci0 is held by b (bob), c");
    expect(check?.found).not.toContain("GPU 1");
  });

  it("passes when each is held once; says nothing when no environment holds one", () => {
    const once = factsWith(TWO, [
      { environment: "a", gpus: ["0"], npuChips: [] },
      { environment: "b", gpus: ["1"], npuChips: [] },
    ]);
    expect(runDoctor(once).find((c) => c.id === "sharing")?.status).toBe("pass");
    expect(runDoctor(factsWith(TWO, [])).some((c) => c.id === "sharing")).toBe(false);
  });
});
