import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  loopbackPorts,
  parseJson,
  runCli,
} from "../support/cli.js";
import {
  containerExists,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

/**
 * Bad input, class by class, across commands, as a user meets it with the packed CLI: each is a
 * non-zero exit with an error code and a hint in --json, and nothing is left behind (no
 * container, no volume, no ~/.ssh/config entry, no key directory).
 */
const PREFIX = "e2ebadinput";

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

let bin = "";
let home = "";
const cli = (args: string[], input?: string): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home }, timeoutMs: 120_000, ...(input ? { input } : {}) });

/** Runs the CLI with its stdout into a pipe whose reader has gone, as `| head -1` leaves it. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      env: { ...process.env, HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The reader leaves before the first byte is read, as `head -c0` would.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

async function volumeExists(name: string): Promise<boolean> {
  const { Volumes } = await engineClient().listVolumes({ filters: { name: [name] } });
  return (Volumes ?? []).some((v) => v.Name === name);
}

/** The refusal: exit 1, the code, a hint, and nothing made for `name`. */
async function expectRefused(r: CliResult, name: string, codes: string[]): Promise<ErrorJson> {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const body = parseJson<ErrorJson>(r);
  expect(body.ok).toBe(false);
  expect(codes).toContain(body.error.code);
  expect(body.error.hint?.trim(), body.error.message).toBeTruthy();
  expect(await containerExists(name)).toBe(false);
  expect(await volumeExists(`modelbox-dev-home-${name}`)).toBe(false);
  const sshConfig = join(home, ".ssh", "config");
  if (existsSync(sshConfig)) expect(readFileSync(sshConfig, "utf8")).not.toContain(name);
  expect(existsSync(join(home, ".modelbox-dev", "environments", name))).toBe(false);
  return body;
}

describeEngine("bad input, as classes, with the packed CLI", () => {
  let upBase: (name: string) => Promise<string[]>;

  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
    upBase = async (name) => [
      "up",
      name,
      "--image",
      DEVELOP_IMAGE,
      "--pull",
      "never",
      "--no-default-mounts",
      "--no-develop-mode",
      ...(await loopbackPorts()).args,
    ];
  }, 600_000);
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("numbers of any size: refused with a code and a hint, never a hang or a wrap", async () => {
    const huge = "99999999999999999999";
    const upCases: Array<[string[], string[]]> = [
      [["--ssh-port", huge], ["INVALID_PORT"]],
      [["--cpus", "1e400"], ["INVALID_OPTION"]],
      [["--memory", `${huge}g`], ["INVALID_OPTION"]],
      [["--shm-size", huge], ["INVALID_OPTION"]],
      [["--ulimit", `nofile=1:${huge}`], ["INVALID_OPTION"]],
      [["--npu", huge], ["INVALID_OPTION"]],
      [["--timeout", huge], ["INVALID_OPTION"]],
      [["--publish", `${huge}:80`], ["INVALID_PORT"]],
    ];
    for (const [flags, codes] of upCases) {
      const name = uniqueName(PREFIX);
      await expectRefused(await cli([...(await upBase(name)), ...flags, "--json"]), name, codes);
    }
    const name = uniqueName(PREFIX);
    for (const [args, codes] of [
      [["logs", name, "--tail", huge], ["INVALID_OPTION"]],
      [["start", name, "--timeout", "1e400"], ["INVALID_OPTION"]],
      [["forward", name, huge], ["INVALID_PORT"]],
      [["script", name, "--cpus", huge], ["INVALID_OPTION"]],
    ] as Array<[string[], string[]]>) {
      await expectRefused(await cli([...args, "--json"]), name, codes);
    }
    // dashboard has no --json: the error and its hint are on stderr.
    const dashboard = await cli(["dashboard", "--port", huge]);
    expect(dashboard.code).toBe(1);
    expect(dashboard.stderr).toMatch(/--port "9+" is not a port number/);
    expect(dashboard.stderr).toMatch(/^hint: /m);
  }, 600_000);

  it("an empty value is an error, never 'not given'", async () => {
    for (const flag of [
      "--image",
      "--bind",
      "--env",
      "--mount",
      "--gpus",
      "--npu",
      "--publish",
      "--registry",
      "--ssh-key",
      "--host-address",
    ]) {
      const name = uniqueName(PREFIX);
      const body = await expectRefused(
        await cli([...(await upBase(name)), `${flag}=`, "--json"]),
        name,
        ["INVALID_OPTION", "INVALID_IMAGE", "INVALID_ENV", "INVALID_MOUNT", "INVALID_PORT"],
      );
      expect(body.error.message).toContain(flag);
    }
    const emptyName = await cli(["up", "", "--json"]);
    expect(emptyName.code).toBe(1);
    expect(parseJson<ErrorJson>(emptyName).error.code).toBe("INVALID_NAME");
    for (const args of [
      ["status", ""],
      ["rm", ""],
      ["logs", ""],
    ]) {
      const r = await cli([...args, "--json"]);
      expect(r.code).toBe(1);
      expect(parseJson<ErrorJson>(r).error.hint).toBeTruthy();
    }
    const name = uniqueName(PREFIX);
    await expectRefused(
      await cli([...(await upBase(name)), "--password-stdin", "--json"], "\n"),
      name,
      ["INVALID_PASSWORD"],
    );
  }, 600_000);

  it("--env-file is read by modelbox-dev alone, not by Node 20 before it starts", async () => {
    // Node 20 reads --env-file anywhere on its command line unless the script follows `--`.
    const name = uniqueName(PREFIX);
    const missing = await cli([
      ...(await upBase(name)),
      "--env-file",
      "/nonexistent/vars",
      "--json",
    ]);
    const body = await expectRefused(missing, name, ["INVALID_ENV"]);
    expect(body.error.message).toContain("/nonexistent/vars");
    expect(missing.stderr).not.toContain("node:");
    // A file's variables go to the container only: an engine address in it is not this tool's.
    const file = join(home, "vars.env");
    writeFileSync(file, "DOCKER_HOST=unix:///nonexistent/engine.sock\nFROM_FILE=1\n");
    const other = uniqueName(PREFIX);
    const plan = await cli(["plan", other, "--image", DEVELOP_IMAGE, "--env-file", file, "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(parseJson<{ ok: boolean }>(plan).ok).toBe(true);
  });

  it("control characters never reach printed scripts or ssh config", async () => {
    for (const [flag, value] of [
      ["--mount", "/tmp/x\nrm -rf /:/data"],
      ["--image", "modelbox/x\u001b[2J:1"],
      ["--env", "A\nB=1"],
      ["--host-address", "host\nProxyCommand evil"],
      ["--registry", "mirror.example.com\n/modelbox"],
      ["--bind", "127.0.0.1\n"],
    ] as const) {
      const name = uniqueName(PREFIX);
      await expectRefused(await cli([...(await upBase(name)), flag, value, "--json"]), name, [
        "INVALID_OPTION",
        "INVALID_MOUNT",
        "INVALID_IMAGE",
        "INVALID_ENV",
      ]);
      const script = await cli(["script", name, "--image", DEVELOP_IMAGE, flag, value, "--json"]);
      expect(script.code).toBe(1);
      expect(script.stdout).not.toContain("#!/");
    }
  }, 600_000);

  it("--bind and --gpus that name what the host does not have get their own error", async () => {
    const name = uniqueName(PREFIX);
    const bind = await expectRefused(
      await cli([...(await upBase(name)), "--bind", "10.254.254.254", "--json"]),
      name,
      ["ADDRESS_NOT_ON_HOST"],
    );
    expect(bind.error.message).toMatch(/not an address of this host/);
    expect(bind.error.hint).toContain("127.0.0.1");
    // plan and script show what up would do here: they refuse it too.
    for (const command of ["plan", "script"]) {
      const shown = await cli([
        command,
        name,
        "--image",
        DEVELOP_IMAGE,
        "--bind",
        "10.254.254.254",
        "--json",
      ]);
      expect(shown.code).toBe(1);
      expect(shown.stdout).toContain("ADDRESS_NOT_ON_HOST");
      expect(shown.stdout).not.toContain("#!/");
    }
    for (const [spec, code] of [
      ["0,,1", "INVALID_OPTION"],
      ["abc", "INVALID_OPTION"],
      ["-1", "INVALID_OPTION"],
      ["0,0", "INVALID_OPTION"],
      // No GPU here: an explicit, well-formed request says why none can be given.
      ["7", "GPU_UNAVAILABLE"],
    ] as const) {
      const n = uniqueName(PREFIX);
      const body = await expectRefused(
        await cli([...(await upBase(n)), `--gpus=${spec}`, "--json"]),
        n,
        [code],
      );
      expect(body.error.message).toContain("--gpus");
    }
    const listen = await cli(["dashboard", "--listen", "10.254.254.254"]);
    expect(listen.code).toBe(1);
    expect(listen.stderr).toMatch(/10\.254\.254\.254 is not an address of this host/);
    expect(listen.stderr).toMatch(/^hint: .*127\.0\.0\.1/m);
  }, 600_000);

  it("output into a closed pipe ends quietly, and exec -t without a terminal passes output", async () => {
    const name = uniqueName(PREFIX);
    const up = await cli([...(await upBase(name)), "--no-ssh-config", "--json"]);
    expect(up.code, up.stderr).toBe(0);
    for (const args of [
      ["images", "--all"],
      ["ls", "--all"],
      ["logs", name],
      ["script", name, "--image", DEVELOP_IMAGE],
      ["--help"],
      ["exec", name, "--", "seq", "1", "100000"],
    ]) {
      const r = await intoClosedPipe(args);
      expect(r.stderr, args.join(" ")).not.toMatch(/EPIPE|at .*\.js:\d+|Error:/);
      expect([0, 141], `${args.join(" ")}: ${r.stderr}`).toContain(r.code);
    }
    for (const flag of ["-t", "--tty"]) {
      const r = await cli(["exec", flag, name, "--", "sh", "-c", "echo out-line; exit 4"]);
      expect(r.code).toBe(4);
      expect(r.stdout).toContain("out-line");
      expect(r.stderr).toMatch(/not a terminal/);
    }
    expect((await cli(["rm", "--force", "--volumes", name])).code).toBe(0);
  }, 600_000);

  it("several up of the same name at once: one creates, the others report it, every time", async () => {
    for (let round = 1; round <= 3; round++) {
      const name = uniqueName(PREFIX);
      const base = await upBase(name);
      // Two HOMEs: two users' `up`, which do not share a lock, race at the engine itself.
      const otherHome = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
      const args = [...base, "--no-ssh-config", "--timeout", "300", "--json"];
      const results = await Promise.all([
        cli(args),
        cli(args),
        runCli(bin, args, { env: { HOME: otherHome }, timeoutMs: 300_000 }),
      ]);
      const bodies = results.map((r) => parseJson<{ ok: boolean; action?: string }>(r));
      for (const [i, r] of results.entries()) {
        expect(r.code, `round ${round}: ${r.stdout} ${r.stderr}`).toBe(0);
        expect(bodies[i]?.ok).toBe(true);
      }
      expect(bodies.filter((b) => b.action === "created")).toHaveLength(1);
      expect(await containerExists(name)).toBe(true);
      expect((await cli(["rm", "--force", "--volumes", name])).code).toBe(0);
    }
  }, 1_800_000);
});
