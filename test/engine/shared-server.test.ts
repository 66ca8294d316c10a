import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import type { ContainerSpec } from "../../src/engine/types.js";
import { resolveImageName } from "../../src/environment/image-name.js";
import { ls } from "../../src/environment/ls.js";
import { passwd } from "../../src/environment/passwd.js";
import { pull } from "../../src/environment/pull.js";
import { rm } from "../../src/environment/rm.js";
import { status } from "../../src/environment/status.js";
import { stop } from "../../src/environment/stop.js";
import { ModelboxDevError } from "../../src/errors.js";
import { gpusFromNvidiaSmiCsv, parseNvidiaSmiCsv } from "../../src/host/parse-nvidia-smi.js";
import { LABELS } from "../../src/labels.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";
import { recordedIn } from "../support/recorded.js";

/**
 * There is no GPU or Ascend chip here: the environments are created, never started, with the
 * device requests and /dev/davinci devices a GPU or NPU environment has (the engine accepts
 * them at create and reports them back), and the host's GPUs come from a recorded
 * `nvidia-smi --query-gpu` (two GPUs with their UUIDs).
 */
const engine = new DockerEngine();
const context = { engine };
const HOST_GPUS = gpusFromNvidiaSmiCsv(
  parseNvidiaSmiCsv(recordedIn("nvidia-smi")("query-gpu-csv-610.57.04-2gpus-mixed-models.txt")),
);
const SECOND_UUID = HOST_GPUS[1]?.uuid ?? "";

function spec(name: string, owner: string, extra: Partial<ContainerSpec>): ContainerSpec {
  return {
    name,
    image: DEVELOP_IMAGE,
    labels: { [LABELS.managed]: "true", [LABELS.name]: name, [LABELS.owner]: owner },
    env: {},
    tty: true,
    openStdin: false,
    ports: [],
    binds: [],
    volumes: [],
    tmpfs: {},
    devices: [],
    gpuRequests: [],
    privileged: false,
    capAdd: [],
    securityOpt: [],
    ulimits: [],
    ...extra,
  };
}

async function refusal(promise: Promise<unknown>): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  return err as ModelboxDevError;
}

describeEngine("shared servers on a real engine (created, not started: no GPU here)", () => {
  const alices = uniqueName("shared");
  const bobs = uniqueName("shared");
  const savedSudoUser = process.env.SUDO_USER;
  const alice = `alice-${alices.slice(-8)}`;
  const bob = `bob-${bobs.slice(-8)}`;

  beforeAll(async () => {
    await tagFixtures();
    await engine.createContainer(
      spec(alices, alice, {
        gpuRequests: [{ deviceIds: ["0", SECOND_UUID], capabilities: [["gpu"]] }],
        devices: [
          { hostPath: "/dev/davinci0", containerPath: "/dev/davinci0", permissions: "rwm" },
        ],
      }),
    );
    await engine.createContainer(
      spec(bobs, bob, { gpuRequests: [{ count: -1, capabilities: [["gpu"]] }] }),
    );
  });
  afterEach(() => {
    if (savedSudoUser === undefined) delete process.env.SUDO_USER;
    else process.env.SUDO_USER = savedSudoUser;
  });
  afterAll(async () => {
    await removeContainers("shared");
  });

  it("ls shows each environment's owner, its GPUs by index and UUID, and its chips", async () => {
    const listed = await ls({ all: true, gpus: HOST_GPUS }, context);
    const a = listed.environments.find((e) => e.name === alices);
    const b = listed.environments.find((e) => e.name === bobs);
    expect(a?.owner).toBe(alice);
    expect(a?.accelerators).toEqual({
      gpus: [
        { id: "0", index: 0, uuid: HOST_GPUS[0]?.uuid },
        { id: SECOND_UUID, index: 1, uuid: SECOND_UUID },
      ],
      npuChips: [0],
    });
    expect(b?.accelerators.allGpus).toBe(true);
    expect(b?.accelerators.gpus.map((g) => g.index)).toEqual([0, 1]);
  });

  it("ls says the same of them again (devices and created time kept by container id)", async () => {
    const first = await ls({ all: true, gpus: HOST_GPUS }, context);
    const again = await ls({ all: true, gpus: HOST_GPUS }, context);
    const ours = (r: typeof first) => r.environments.filter((e) => [alices, bobs].includes(e.name));
    expect(ours(again)).toHaveLength(2);
    expect(ours(again)).toEqual(ours(first));
    expect(again.environments.find((e) => e.name === alices)?.accelerators.npuChips).toEqual([0]);
  });

  it("ls mine: only the invoking user's (SUDO_USER under sudo)", async () => {
    process.env.SUDO_USER = alice;
    const mine = (await ls({ all: true, mine: true, gpus: HOST_GPUS }, context)).environments;
    expect(mine.map((e) => e.name)).toEqual([alices]);
  });

  it("status shows the owner and the GPUs and chips held", async () => {
    const s = await status({ name: alices, gpus: HOST_GPUS }, context);
    expect(s.owner).toBe(alice);
    expect(s.accelerators.gpus.map((g) => g.uuid)).toEqual([HOST_GPUS[0]?.uuid, SECOND_UUID]);
    expect(s.accelerators.npuChips).toEqual([0]);
  });

  it("rm, stop and passwd on someone else's environment need force and say whose it is", async () => {
    process.env.SUDO_USER = bob;
    for (const attempt of [
      () => rm({ name: alices }, context),
      () => stop({ name: alices }, context),
      () => passwd({ name: alices, password: "never-set-1" }, context),
    ]) {
      const err = await refusal(attempt());
      expect(err.code).toBe("NOT_OWNER");
      expect(err.message).toContain(`belongs to ${alice}`);
      expect(err.hint).toContain("--force");
    }
    expect(await engine.inspectContainer(alices)).toBeDefined();
    // Their own: no force needed (a stopped one stays stopped).
    expect((await stop({ name: bobs }, context)).state).toBe("created");
    process.env.SUDO_USER = alice;
    const removed = await rm({ name: bobs, force: true }, context);
    expect(removed.removed).toBe(true);
    expect(await engine.inspectContainer(bobs)).toBeUndefined();
  });

  it("a missing environment's error lists the environments there are, closest first", async () => {
    const err = await refusal(status({ name: `${alices}x` }, context));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.hint).toMatch(new RegExp(`^Environments here: ${alices}`));
  });
});

describeEngine("image names on a real engine", () => {
  beforeAll(async () => {
    await tagFixtures();
  });

  it("a present image is used as named; a catalogue typo that is absent gets did-you-mean", async () => {
    expect(await resolveImageName(engine, DEVELOP_IMAGE)).toBe(DEVELOP_IMAGE);
    const err = await refusal(
      resolveImageName(engine, "modelbox/modelbox-develop-tensorflw_2.6.0-cuda_11.2-ubuntu-x86_64"),
    );
    expect(err.code).toBe("UNKNOWN_IMAGE");
    expect(err.hint).toMatch(/^Did you mean tensorflow_2\.6\.0-cuda_11\.2,/);
  });

  it("pull refuses the typo before any registry is asked (an unreachable one is never tried)", async () => {
    const events: string[] = [];
    const err = await refusal(
      pull(
        { image: "tensorflow_2.6-cuda_11.2", registry: ["127.0.0.1:9"] },
        { engine, onEvent: (e) => events.push(e.type) },
      ),
    );
    expect(err.code).toBe("UNKNOWN_IMAGE");
    expect(events).not.toContain("pull");
  });
});
