import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { LABELS } from "../../src/labels.js";
import { type CliResult, installPackedCli, parseJson, runCli } from "../support/cli.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

/**
 * Shared servers and readable output, as a user meets them with the packed CLI. No GPU here:
 * the GPU environments are created (never started) with the device requests a GPU environment
 * has, and `plan`/`doctor` take injected facts: two GPUs as a recorded `nvidia-smi --query-gpu`
 * reports them, with GPU 0 held by two running environments.
 */
const SHARED_FACTS = fileURLToPath(
  new URL("../fixtures/facts/docker-24-2gpus-shared.json", import.meta.url),
);
const ESC = "\u001b[";
const PIPED = { NO_COLOR: "", FORCE_COLOR: "" };

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

let bin = "";
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(bin, args, { env: { ...PIPED, ...env } });
const fits = (text: string, width = 100) => text.split("\n").every((l) => l.length <= width);

describeEngine("shared servers and readable output (packed CLI)", () => {
  const engine = new DockerEngine();
  const box = uniqueName("e2eshared");
  const owner = `alice-${box.slice(-8)}`;

  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await engine.createContainer({
      name: box,
      image: DEVELOP_IMAGE,
      labels: {
        [LABELS.managed]: "true",
        [LABELS.name]: box,
        [LABELS.owner]: owner,
        [LABELS.image]: DEVELOP_IMAGE,
      },
      env: {},
      tty: true,
      openStdin: false,
      ports: [],
      binds: [],
      volumes: [],
      tmpfs: {},
      devices: [],
      gpuRequests: [{ deviceIds: ["1"], capabilities: [["gpu"]] }],
      privileged: false,
      capAdd: [],
      securityOpt: [],
      ulimits: [],
    });
  });
  afterAll(async () => {
    await removeContainers("e2eshared");
  });

  it("ls shows OWNER and GPUs in a table that fits 100 columns; --mine filters; colour only when asked", async () => {
    const listed = await cli(["ls", "--all"], { SUDO_USER: owner });
    expect(listed.code).toBe(0);
    const header = listed.stdout.split("\n")[0] ?? "";
    expect(header).toMatch(/^NAME\s+STATE\s+OWNER\s+IMAGE/);
    const row = listed.stdout.split("\n").find((l) => l.startsWith(box)) ?? "";
    expect(row).toContain(owner);
    // The short form of the image (shortened further when other environments' names are long).
    expect(row).toMatch(/tensorflow_2\.6|…/);
    expect(row).not.toContain("modelbox/modelbox-develop");
    expect(fits(listed.stdout)).toBe(true);
    expect(listed.stdout).not.toContain(ESC);

    const json = parseJson<{ environments: Array<Record<string, unknown>> }>(
      await cli(["ls", "--all", "--mine", "--json"], { SUDO_USER: owner }),
    );
    expect(json.environments.map((e) => e.name)).toEqual([box]);
    expect(json.environments[0]?.accelerators).toMatchObject({ gpus: [{ id: "1", index: 1 }] });
    expect(json.environments[0]?.image).toBe(DEVELOP_IMAGE);
    const others = await cli(["ls", "--all", "--mine", "--json"], { SUDO_USER: `not-${owner}` });
    expect(parseJson<{ environments: unknown[] }>(others).environments.map(String)).not.toContain(
      box,
    );

    const coloured = await cli(["ls", "--all"], { FORCE_COLOR: "1" });
    expect(coloured.stdout).toContain(ESC);
    const noColor = await cli(["ls", "--all"], { FORCE_COLOR: "", NO_COLOR: "1" });
    expect(noColor.stdout).not.toContain(ESC);
  });

  it("rm and stop of someone else's environment are refused with whose it is, --force does it", async () => {
    for (const command of ["rm", "stop"]) {
      const refused = await cli([command, box], { SUDO_USER: `bob-${box.slice(-8)}` });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`belongs to ${owner}`);
      expect(refused.stderr).toContain(`modelbox-dev ${command} --force ${box}`);
    }
    const help = await cli(["stop", "--help"]);
    expect(help.stdout).toContain("--force");
    expect((await cli(["ls", "--help"])).stdout).toContain("--mine");
  });

  it("a missing environment's error lists the ones there are", async () => {
    const r = await cli(["status", `${box}-typo`, "--json"]);
    expect(r.code).toBe(1);
    const body = parseJson<ErrorJson>(r);
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.hint).toContain(box);
  });

  it("plan --gpus free picks the GPU nobody holds; doctor names the GPU two environments hold", async () => {
    const plan = parseJson<{ plan: { gpu: unknown } }>(
      await cli([
        "plan",
        "gpubox",
        "--facts",
        SHARED_FACTS,
        "--image",
        DEVELOP_IMAGE,
        "--gpus",
        "free",
        "--json",
      ]),
    );
    expect(plan.plan.gpu).toEqual({ mode: "device-request", devices: ["1"] });
    const byUuid = parseJson<{ plan: { gpu: unknown } }>(
      await cli([
        "plan",
        "gpubox",
        "--facts",
        SHARED_FACTS,
        "--image",
        DEVELOP_IMAGE,
        "--gpus",
        "GPU-fbe2dd5d-3644-5c37-3179-8ad50079b7d4",
        "--json",
      ]),
    );
    expect(byUuid.plan.gpu).toEqual({
      mode: "device-request",
      devices: ["GPU-fbe2dd5d-3644-5c37-3179-8ad50079b7d4"],
    });

    const doctor = await cli(["doctor", "--facts", SHARED_FACTS]);
    expect(doctor.stdout).toMatch(
      /^WARN\s+Shared accelerators\s+GPU 0 \(GPU-30667114-4567-bc4a-029b-3375d117048e\) is held by alice-train \(alice\), bob-debug \(bob\)/m,
    );
    expect(doctor.stdout).not.toContain(ESC);
    expect((await cli(["doctor", "--facts", SHARED_FACTS], { FORCE_COLOR: "1" })).stdout).toContain(
      ESC,
    );
  });

  it("images fits 100 columns, shows short names and marks the image up would choose", async () => {
    const r = await cli(["images", "--all"]);
    expect(r.code).toBe(0);
    expect(fits(r.stdout)).toBe(true);
    expect(r.stdout).not.toContain(ESC);
    const chosen = r.stdout.split("\n").filter((l) => l.startsWith("*  "));
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toContain("tensorflow_2.6.0-cuda_11.2");
    expect(r.stdout).toContain("* marks the image 'modelbox-dev up' chooses");
    const json = parseJson<{ images: Array<{ chosen?: boolean; shortName: string }> }>(
      await cli(["images", "--json"]),
    );
    expect(json.images.filter((i) => i.chosen).map((i) => i.shortName)).toEqual([
      "tensorflow_2.6.0-cuda_11.2",
    ]);
  });

  it("up --image and pull take short names; a typo gets did-you-mean, no registry asked", async () => {
    const plan = parseJson<{ plan: { image: string } }>(
      await cli(["plan", "shortbox", "--image", "tensorflow_2.6.0-cuda_11.2", "--json"]),
    );
    expect(plan.plan.image).toBe(
      "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest",
    );
    // An unreachable registry would say REGISTRY_UNREACHABLE if it were asked.
    for (const args of [
      ["pull", "tensorflw_2.6.0-cuda_11.2", "--registry", "127.0.0.1:9", "--json"],
      ["up", "typobox", "--image", "libtorch_1.9-cuda_10.2", "--registry", "127.0.0.1:9", "--json"],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      const body = parseJson<ErrorJson>(r);
      expect(body.error.code).toBe("UNKNOWN_IMAGE");
      expect(body.error.hint).toMatch(/^Did you mean (tensorflow_2\.6\.0|libtorch_1\.9\.1)-cuda/);
    }
  });
});
