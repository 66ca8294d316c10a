/**
 * Restarts lose nothing: after dockerd is stopped and started again, every environment that was
 * running runs again, logs in with its key and its editor answers, with no modelbox-dev command
 * run; a stopped one stays stopped.
 *
 * It restarts a dockerd, so it runs only with CI=true (CI owns its machine) and is skipped loudly
 * elsewhere. Even then the daemon it restarts is one it starts itself (test/support/private-
 * dockerd.ts), never the engine the other tests use.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet } from "../../src/access/http-probe.js";
import {
  type CliResult,
  installPackedCli,
  loopbackPorts,
  parseJson,
  runCli,
} from "../support/cli.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  TEST_RUN_ID,
  describeEngine,
  engineClient,
} from "../support/engine.js";
import { DEVELOP_IMAGE } from "../support/fixture-names.js";
import { PrivateDockerd, privateDockerdUnavailable } from "../support/private-dockerd.js";

const run = promisify(execFile);

interface UpJson {
  ok: boolean;
  ports: { ssh: number; editor: number };
  ssh?: { check: string; configHost?: string };
  editor?: { ready: boolean; startsAtBoot?: boolean };
  error?: { code: string; message: string };
}

/** Skipped, loudly, unless CI=true: restarting a dockerd is for a machine CI owns. */
function describeWithCI(name: string, fn: () => void): void {
  if (process.env.CI === "true") {
    describeEngine(name, fn);
    return;
  }
  const bar = "!".repeat(100);
  console.warn(
    `\n${bar}\n!!! SKIPPING "${name}"\n!!! It restarts a dockerd (one it starts itself) and runs ` +
      `only with CI=true.\n${bar}\n`,
  );
  describe.skip(`SKIPPED (CI is not "true")`, fn);
}

let daemon: PrivateDockerd;
let bin = "";
let home = "";
const cli = (args: string[]): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home, DOCKER_HOST: daemon.host }, timeoutMs: 600_000 });

async function upJson(name: string): Promise<UpJson> {
  const result = await cli([
    "up",
    name,
    "--image",
    DEVELOP_IMAGE,
    ...(await loopbackPorts()).args,
    "--no-default-mounts",
    "--pull",
    "never",
    "--timeout",
    "300",
    "--json",
  ]);
  const body = parseJson<UpJson>(result);
  expect(body.error, result.stderr).toBeUndefined();
  return body;
}

async function until(what: string, check: () => Promise<boolean>, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${ms / 1000} s\n${daemon.logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A key login through the ~/.ssh/config entry `up` wrote (its key, its known_hosts file). */
async function keyLogin(alias: string): Promise<boolean> {
  const { stdout } = await run(
    "ssh",
    [
      "-F",
      join(home, ".ssh", "config"),
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=5",
      alias,
      "whoami",
    ],
    { env: { ...process.env, HOME: home }, timeout: 30_000 },
  );
  return stdout.trim() === "root";
}

async function editorAnswers(port: number): Promise<boolean> {
  return (await httpGet("127.0.0.1", port, "/editor/", 3_000))?.status === 200;
}

async function stateOf(name: string): Promise<string> {
  return (await daemon.client.getContainer(name).inspect()).State.Status;
}

describeWithCI("a dockerd restart loses nothing", () => {
  beforeAll(async () => {
    const unavailable = await privateDockerdUnavailable();
    if (unavailable) throw new Error(`the dockerd restart test ${unavailable}`);
    daemon = new PrivateDockerd(join(tmpdir(), `mbdev-dr-${TEST_RUN_ID}`));
    await daemon.start();
    await daemon.copyImageFrom(engineClient(), FIXTURE_DEVELOP_IMAGE);
    const [repo, tag] = DEVELOP_IMAGE.split(":") as [string, string];
    await daemon.client.getImage(FIXTURE_DEVELOP_IMAGE).tag({ repo, tag });
    bin = await installPackedCli();
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
  }, 600_000);
  afterAll(async () => {
    await daemon?.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it("every running environment runs again, logs in with its key and its editor answers; a stopped one stays stopped", async () => {
    const names = ["first", "second", "stopped"].map((n) => `mbdev-test-restart-${n}`);
    const bodies = await Promise.all(names.map((name) => upJson(name)));
    for (const body of bodies) {
      expect(body.ssh?.check).toBe("key-login");
      expect(body.editor?.ready).toBe(true);
    }
    const stopped = names[2] ?? "";
    expect((await cli(["stop", stopped])).code).toBe(0);
    const ids = await Promise.all(
      names.map(async (n) => (await daemon.client.getContainer(n).inspect()).Id),
    );

    await daemon.stop();
    await expect(daemon.client.ping()).rejects.toThrow();
    await daemon.start();

    // No modelbox-dev command from here on: the engine and the environments do it all.
    for (const [i, name] of names.slice(0, 2).entries()) {
      const body = bodies[i] as UpJson;
      await until(`${name} running`, async () => (await stateOf(name)) === "running");
      await until(`${name}: a key login`, () => keyLogin(body.ssh?.configHost ?? ""));
      await until(`${name}: the editor`, () => editorAnswers(body.ports.editor));
    }
    expect(await stateOf(stopped)).toBe("exited");
    const after = await Promise.all(
      names.map(async (n) => (await daemon.client.getContainer(n).inspect()).Id),
    );
    expect(after).toEqual(ids);
  }, 1_200_000);
});
