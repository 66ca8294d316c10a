import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readBanner } from "../../src/environment/readiness.js";
import {
  type CliResult,
  installPackedCli,
  parseJson,
  runCli,
  loopbackPorts,
} from "../support/cli.js";
import {
  containerExists,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

/** The image `up` picks on a host without GPU; the fixture stands in for it under its real name. */
const CHOSEN_IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const FACTS_1809 = fileURLToPath(
  new URL("../fixtures/facts/docker-18.09-nvidia-runtime-2gpu.json", import.meta.url),
);

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

let bin = "";
const cli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> =>
  runCli(bin, args, env ? { env } : {});

describeEngine("modelbox-dev as a user runs it (packed and installed)", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    const [repo, tag] = CHOSEN_IMAGE.split(":") as [string, string];
    await engineClient().getImage(DEVELOP_IMAGE).tag({ repo, tag });
    await removeContainers("e2e");
  });
  afterAll(async () => {
    await removeContainers("e2e");
  });

  it("images lists the catalogue and says which image is present", async () => {
    const r = await cli(["images", "--engine", "tensorflow", "--accel", "cuda", "--json"]);
    expect(r.code).toBe(0);
    const body = parseJson<{ images: Array<{ reference: string; present: boolean }> }>(r);
    expect(body.images.map((i) => i.reference)).toContain(CHOSEN_IMAGE);
    expect(body.images.find((i) => i.reference === CHOSEN_IMAGE)?.present).toBe(true);
    expect(
      body.images.every((i) => i.reference.includes("tensorflow") && i.reference.includes("cuda")),
    ).toBe(true);
    const human = await cli(["images", "--accel", "ascend"]);
    expect(human.stdout).toMatch(/^\s+SHORT NAME\s/);
    expect(human.stdout).toContain("mindspore_1.9.0-cann_6.0.1-d310p");
  });

  it("up picks the image for this host, starts it, and sshd answers; then ls, status, exec, logs, stop, start, rm", async () => {
    const name = uniqueName("e2e");
    const { ssh, editor, http, args: portArgs } = await loopbackPorts();
    const upArgs = ["up", name, ...portArgs, "--no-default-mounts"];
    const r = await cli([...upArgs, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const body = parseJson<{
      ok: boolean;
      action: string;
      image: string;
      ports: Record<string, number>;
      ssh: { command: string; port: number };
      warnings: string[];
    }>(r);
    expect(body).toMatchObject({
      ok: true,
      action: "created",
      image: CHOSEN_IMAGE,
      ports: { ssh, editor, http },
    });
    expect(body.ssh.command).toMatch(new RegExp(`-p ${ssh} root@127\\.0\\.0\\.1$`));
    // No GPU here: the CPU-only warning is part of what the user is told.
    expect(body.warnings.join("\n")).toMatch(/only CPU flowunits/i);
    expect(await readBanner("127.0.0.1", Number(ssh))).toMatch(/^SSH-2\.0-/);

    const again = await cli(upArgs);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${name} is already running`);
    expect(again.stdout).toContain(`-p ${ssh} root@127.0.0.1`);

    const ls = parseJson<{
      environments: Array<{ name: string; state: string; ports: Record<string, number> }>;
    }>(await cli(["ls", "--json"]));
    expect(ls.environments.find((e) => e.name === name)).toMatchObject({
      state: "running",
      ports: { ssh, editor, http },
    });
    expect((await cli(["ls"])).stdout).toMatch(new RegExp(`^${name}\\s+running`, "m"));

    const listed = parseJson<{
      environments: Array<{ name: string; imageId?: string; cudaVersion?: string }>;
    }>(await cli(["ls", "--json"])).environments.find((e) => e.name === name);
    // R9: the environment records which image it really runs, and the image's CUDA label.
    expect(listed?.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(listed?.cudaVersion).toBe("11.2.2");
    const status = parseJson<{ state: string; image: { reference: string; id: string } }>(
      await cli(["status", name, "--json"]),
    );
    expect(status.state).toBe("running");
    expect(status.image.id).toBe(listed?.imageId);

    const exec = await cli(["exec", name, "--", "sh", "-c", "echo hello-from-inside; exit 3"]);
    expect(exec.code).toBe(3);
    expect(exec.stdout).toContain("hello-from-inside");

    expect((await cli(["logs", name, "--tail", "5"])).code).toBe(0);

    expect((await cli(["stop", name])).code).toBe(0);
    const stopped = parseJson<{ environments: Array<{ name: string; state: string }> }>(
      await cli(["ls", "--all", "--json"]),
    );
    expect(stopped.environments.find((e) => e.name === name)?.state).toBe("exited");
    expect((await cli(["ls"])).stdout).not.toContain(name);

    expect((await cli(["start", name])).code).toBe(0);
    // start returns when the container runs; sshd follows shortly after systemd boots.
    let banner = "";
    for (let i = 0; i < 100 && !banner.startsWith("SSH-"); i++) {
      banner = await readBanner("127.0.0.1", Number(ssh), 500);
      if (!banner.startsWith("SSH-")) await new Promise((res) => setTimeout(res, 200));
    }
    expect(banner).toMatch(/^SSH-/);

    const refused = await cli(["rm", name, "--json"]);
    expect(refused.code).not.toBe(0);
    expect(parseJson<ErrorJson>(refused).error.code).toBe("IS_RUNNING");
    expect((await cli(["rm", "--force", name])).code).toBe(0);
    expect(await containerExists(name)).toBe(false);
  });

  it("the script it prints starts a container that modelbox-dev then manages", async () => {
    const name = uniqueName("e2e");
    const script = await cli(["script", name, ...(await loopbackPorts()).args, "--explain"]);
    expect(script.code).toBe(0);
    expect(script.stdout).toMatch(/^SSH_MAP_PORT=\d+$/m);
    expect(script.stdout).toContain("# --tmpfs");
    const bash = await runCli("bash", ["-s"], { input: script.stdout });
    expect(bash.code, bash.stderr).toBe(0);
    const ls = parseJson<{ environments: Array<{ name: string; state: string }> }>(
      await cli(["ls", "--json"]),
    );
    expect(ls.environments.find((e) => e.name === name)?.state).toBe("running");
    expect((await cli(["rm", "-f", name])).code).toBe(0);
  });

  it("plan and script work from a facts file: Docker 18.09 with nvidia-docker2 gets --runtime=nvidia", async () => {
    const plan = parseJson<{ plan: { gpu: { mode: string }; env: Record<string, string> } }>(
      await cli(["plan", "gpubox", "--facts", FACTS_1809, "--image", DEVELOP_IMAGE, "--json"]),
    );
    expect(plan.plan.gpu.mode).toBe("nvidia-runtime");
    expect(plan.plan.env.NVIDIA_VISIBLE_DEVICES).toBe("all");
    const script = await cli(["script", "gpubox", "--facts", FACTS_1809, "--image", DEVELOP_IMAGE]);
    expect(script.stdout).toContain("--runtime=nvidia");
    expect(script.stdout).not.toContain("--gpus");
  });

  it("a default port that is taken moves to the next free one, and says so", async () => {
    const server: Server = createServer();
    const taken = await new Promise<boolean>((res) => {
      server.once("error", () => res(false));
      server.listen(50022, "0.0.0.0", () => res(true));
    });
    try {
      const r = await cli(["plan", "--json", "--image", DEVELOP_IMAGE]);
      const body = parseJson<{
        plan: {
          ports: Array<{ purpose: string; hostPort: number }>;
          warnings: Array<{ code: string }>;
        };
      }>(r);
      const sshPort = body.plan.ports.find((p) => p.purpose === "ssh")?.hostPort;
      expect(sshPort).toBeGreaterThan(50022);
      if (taken) expect(body.plan.warnings.map((w) => w.code)).toContain("PORT_MOVED");
    } finally {
      server.close();
    }
  });

  const badInputs: Array<[string, string[], string, NodeJS.ProcessEnv?]> = [
    ["an invalid name", ["up", "bad name!"], "INVALID_NAME"],
    ["a port that is not a number", ["up", "NAME", "--ssh-port", "abc"], "INVALID_PORT"],
    ["a port out of range", ["up", "NAME", "--http-port", "70000"], "INVALID_PORT"],
    [
      "one host port for two purposes",
      ["up", "NAME", "--ssh-port", "40001", "--editor-port", "40001"],
      "PORT_CONFLICT",
    ],
    ["a relative mount source", ["up", "NAME", "--mount", "data:/data"], "INVALID_MOUNT"],
    [
      "a missing mount source",
      ["up", "NAME", "--mount", "/nonexistent/modelbox-dev-test:/data"],
      "INVALID_MOUNT",
    ],
    ["a malformed image reference", ["up", "NAME", "--image", "Bad Image::x"], "INVALID_IMAGE"],
    [
      "an absent image with --pull never",
      ["up", "NAME", "--image", "127.0.0.1:9/modelbox/nothing-here:1.0", "--pull", "never"],
      "IMAGE_NOT_FOUND",
    ],
    [
      "a ModelBox name that is neither published nor present",
      ["up", "NAME", "--image", "modelbox/nothing-here:1.0"],
      "UNKNOWN_IMAGE",
    ],
    [
      "an image whose pull fails (registry unreachable)",
      ["up", "NAME", "--image", "127.0.0.1:9/modelbox/nothing:1.0"],
      "REGISTRY_UNREACHABLE",
    ],
    ["--gpus all on a host without GPU", ["up", "NAME", "--gpus", "all"], "GPU_UNAVAILABLE"],
    ["--npu on a host without Ascend chips", ["up", "NAME", "--npu", "0"], "NPU_UNAVAILABLE"],
    ["an unknown option", ["up", "NAME", "--bogus"], "INVALID_OPTION"],
    [
      "no engine running",
      ["up", "NAME"],
      "ENGINE_UNAVAILABLE",
      { DOCKER_HOST: "unix:///tmp/modelbox-dev-no-engine.sock" },
    ],
  ];
  for (const [what, args, code, env] of badInputs) {
    it(`bad input, ${what}: ${code}, a hint, non-zero exit, nothing created`, async () => {
      const name = uniqueName("e2e");
      const r = await cli(
        [...args.map((a) => (a === "NAME" ? name : a)), "--bind", "127.0.0.1", "--json"],
        env,
      );
      expect(r.code).not.toBe(0);
      const body = parseJson<ErrorJson>(r);
      expect(body.ok).toBe(false);
      expect(body.error.code).toBe(code);
      expect(body.error.hint ?? "").not.toBe("");
      expect(await containerExists(name)).toBe(false);
    });
  }

  it("a name used by a container modelbox-dev did not create is refused and left alone", async () => {
    const name = uniqueName("e2e");
    await engineClient().createContainer({ name, Image: DEVELOP_IMAGE });
    const r = await cli(["up", name, "--json"]);
    expect(parseJson<ErrorJson>(r).error.code).toBe("NAME_TAKEN");
    for (const verb of ["stop", "start", "rm"]) {
      const other = await cli([verb, name, "--json"]);
      expect(other.code).not.toBe(0);
      expect(parseJson<ErrorJson>(other).error.code).toBe("NOT_MANAGED");
    }
    expect(await containerExists(name)).toBe(true);
  });

  it("errors for humans: a sentence and a hint on stderr, no stack trace", async () => {
    const r = await cli(["up", "xbox", "--ssh-port", "abc"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: --ssh-port "abc" is not a port number\.$/m);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
