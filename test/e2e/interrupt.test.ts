import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { installPackedCli, loopbackPorts, runCli } from "../support/cli.js";
import { describeEngine, engineClient, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

const PREFIX = "e2einterrupt";

let bin = "";
let home = "";

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** ~/.ssh/config as it was when the signal was sent. */
  configAtSignal: string;
}

const sshConfigText = (): string => {
  const config = join(home, ".ssh", "config");
  return existsSync(config) ? readFileSync(config, "utf8") : "";
};

/**
 * Runs the CLI and sends it `signal` as soon as its output matches `when` (the moment the user
 * presses Ctrl-C), then waits for it to end. `alsoConfig`: only once ~/.ssh/config has this
 * entry as well (looked at every 20 ms: no output may come after it is written).
 */
function runAndSignal(
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals,
  alsoConfig?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, HOME: home } });
    let stderr = "";
    let output = "";
    let sent = false;
    let configAtSignal = "";
    const check = () => {
      if (sent || !when.test(output)) return;
      const config = sshConfigText();
      if (alsoConfig !== undefined && !config.includes(alsoConfig)) return;
      sent = true;
      configAtSignal = config;
      child.kill(signal);
    };
    const watch = (chunk: Buffer, toStderr: boolean) => {
      if (toStderr) stderr += chunk.toString();
      output += chunk.toString();
      check();
    };
    const timer = setInterval(check, 20);
    child.stderr.on("data", (chunk: Buffer) => watch(chunk, true));
    child.stdout.on("data", (chunk: Buffer) => watch(chunk, false));
    child.on("close", (code, sig) => {
      clearInterval(timer);
      resolve({ code, signal: sig, stderr, configAtSignal });
    });
  });
}

async function containersOf(name: string): Promise<string[]> {
  const list = await engineClient().listContainers({
    all: true,
    filters: { label: [`io.modelbox-dev.name=${name}`] },
  });
  return list.map((c) => c.Id);
}

async function upArgs(name: string): Promise<string[]> {
  return [
    "up",
    name,
    "--image",
    DEVELOP_IMAGE,
    ...(await loopbackPorts()).args,
    "--no-default-mounts",
    "--pull",
    "never",
    "--timeout",
    "120",
  ];
}

describeEngine("Ctrl-C and SIGTERM during up leave nothing half-made", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    ["SIGINT", "before create", /Checking image/, false],
    ["SIGINT", "during start", /^Starting mbdev-test/m, false],
    ["SIGINT", "while waiting for sshd", /Waiting for sshd/, false],
    ["SIGINT", "while waiting for the key login", /Waiting for a key login/, false],
    ["SIGTERM", "while installing the key", /Installing the environment's SSH key/, false],
    // Developer mode begins while sshd boots and goes on past the ~/.ssh/config entry: the
    // signal comes once the entry is written, and the failure path must take it out again.
    ["SIGINT", "while developer mode is set up", /Setting up ModelBox developer mode/, true],
    // (Not "Waiting for the editor": it answers within moments of the server, too short to hit.)
  ] as const)(
    "%s %s: exit 130, no container, no key, no ~/.ssh/config entry",
    async (signal, _moment, when, configWritten) => {
      const name = uniqueName(PREFIX);
      const entry = configWritten ? `Host ${name}.modelbox` : undefined;
      const result = await runAndSignal(await upArgs(name), when, signal, entry);
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toMatch(/interrupted/i);
      if (configWritten) expect(result.configAtSignal).toContain(`Host ${name}.modelbox`);
      expect(await containersOf(name)).toEqual([]);
      expect(existsSync(join(home, ".modelbox-dev", "environments", name))).toBe(false);
      expect(sshConfigText()).not.toContain(name);
    },
  );

  it("Ctrl-C on an existing environment's up leaves it as it was; logs --follow ends with 130", async () => {
    const name = uniqueName(PREFIX);
    const args = await upArgs(name);
    const first = await runCli(bin, [...args, "--no-develop-mode"], { env: { HOME: home } });
    expect(first.code, first.stderr).toBe(0);
    const [id] = await containersOf(name);
    await runCli(bin, ["stop", name], { env: { HOME: home } });
    const again = await runAndSignal([...args, "--no-develop-mode"], /Waiting for sshd/, "SIGINT");
    expect(again.code, again.stderr).toBe(130);
    expect(await containersOf(name)).toEqual([id]);
    expect(existsSync(join(home, ".modelbox-dev", "environments", name, "id_ed25519"))).toBe(true);

    const logs = await runAndSignal(["logs", name, "--follow", "--tail", "5"], /./, "SIGINT");
    expect(logs.code, logs.stderr).toBe(130);
  });
});
