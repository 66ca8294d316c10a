import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { type CliResult, installPackedCli, parseJson, runCli } from "../support/cli.js";
import { TEST_ENGINE, describeEngine } from "../support/engine.js";
import { dockerFacts } from "../support/facts.js";

interface DoctorJson {
  ok: boolean;
  summary: { pass: number; warn: number; fail: number };
  checks: Array<{ id: string; status: string; found: string; fix?: string }>;
  facts: Record<string, unknown>;
}

let bin = "";
const cli = (args: string[]): Promise<CliResult> => runCli(bin, args);

describeEngine("doctor and image choice, as a user runs them", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
  });

  it("doctor on this host: one line per check, the engine found, the CPU-only path (no GPU here)", async () => {
    const human = await cli(["doctor"]);
    const kind = TEST_ENGINE === "podman" ? "Podman" : "Docker";
    expect(human.stdout).toMatch(new RegExp(`^pass {2}Container engine +${kind} `, "m"));
    expect(human.stdout).toMatch(/^(pass|WARN|FAIL) {2}NVIDIA GPU/m);
    const summary = /(\d+) passed, (\d+) warnings, (\d+) failed$/m.exec(human.stdout);
    expect(summary).not.toBeNull();
    // Exit status follows the failures (a small CI disk may fail the disk check; that is fine).
    expect(human.code).toBe(Number(summary?.[3]) > 0 ? 1 : 0);

    const body = parseJson<DoctorJson>(await cli(["doctor", "--json"]));
    expect(body.summary.fail).toBe(Number(summary?.[3]));
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(["engine", "cgroup", "disk", "nvidia", "ascend", "ports", "firewall"]),
    );
    expect(body.checks.find((c) => c.id === "engine")?.status).toBe("pass");
  });

  it("doctor --json facts are what plan --facts takes: someone else's host reproduced", async () => {
    const doctor = await cli(["doctor", "--json"]);
    const dir = await mkdtemp(join(tmpdir(), "mbdev-facts-"));
    const file = join(dir, "doctor.json");
    await writeFile(file, doctor.stdout);
    const plan = await cli(["plan", "--facts", file, "--json"]);
    expect(plan.code, plan.stdout).toBe(0);
    const body = parseJson<{ plan: { ports: Array<{ hostPort: number }> } }>(plan);
    expect(body.plan.ports.length).toBe(3);
    const again = await cli(["doctor", "--facts", file, "--json"]);
    expect(parseJson<DoctorJson>(again).checks).toEqual(parseJson<DoctorJson>(doctor).checks);
  });

  it("a GPU host without the toolkit: doctor fails with the fix, and exits 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mbdev-facts-"));
    const file = join(dir, "gpu-no-toolkit.json");
    await writeFile(
      file,
      JSON.stringify(dockerFacts({ nvidia: { gpus: 2, toolkitPresent: false } })),
    );
    const r = await cli(["doctor", "--facts", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}GPUs in containers/m);
    expect(r.stdout).toContain("→ Install nvidia-container-toolkit");
  });

  it("images --for-host --facts judges another host: an old driver cannot run CUDA 11.2 images", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mbdev-facts-"));
    const file = join(dir, "driver-440.json");
    await writeFile(
      file,
      JSON.stringify(
        dockerFacts({ nvidia: { gpus: 1, driverVersion: "440.33.01", cudaVersion: "10.2" } }),
      ),
    );
    const body = parseJson<{
      images: Array<{
        accelVersion: string;
        accel: string;
        arch: string;
        usable: boolean;
        why: string;
      }>;
    }>(await cli(["images", "--for-host", "--facts", file, "--json"]));
    const cuda = body.images.filter((i) => i.accel === "cuda");
    expect(cuda.filter((i) => i.accelVersion === "11.2").every((i) => !i.usable)).toBe(true);
    expect(cuda.filter((i) => i.accelVersion === "10.2").every((i) => i.usable)).toBe(true);
  });

  it("images --for-host marks each image usable here or not, and why", async () => {
    const body = parseJson<{
      images: Array<{
        reference: string;
        arch: string;
        accel: string;
        usable: boolean;
        why: string;
      }>;
    }>(await cli(["images", "--for-host", "--json"]));
    const arm = body.images.filter((i) => i.arch === "aarch64");
    expect(arm.length).toBeGreaterThan(0);
    for (const i of arm)
      expect(i).toMatchObject({ usable: false, why: expect.stringContaining("aarch64") as string });
    const cudaHere = body.images.filter((i) => i.accel === "cuda");
    expect(cudaHere.every((i) => i.usable)).toBe(true);
    const ascend = body.images.filter((i) => i.accel === "cann" && i.arch === "x86_64");
    for (const i of ascend) expect(i.usable).toBe(false);
  });
});
