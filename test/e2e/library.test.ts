import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { httpGet } from "../../src/access/http-probe.js";
import type * as LibraryModule from "../../src/index.js";
import { installPackedCli, loopbackPorts, parseJson, runCli, testHomeDir } from "../support/cli.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, RUNTIME_IMAGE, tagFixtures } from "../support/fixture-names.js";

// Types from the source; the code under test is the installed package's dist/.
type Library = typeof LibraryModule;
type UpResult = LibraryModule.UpResult;
type OperationEvent = LibraryModule.OperationEvent;

const run = promisify(execFile);
const PREFIX = "lib";
let bin = "";
let lib: Library;
const savedHome = process.env.HOME;

/** The package a program gets from `npm install modelbox-dev`: its dist/, not src/. */
async function importInstalledPackage(cliBin: string): Promise<Library> {
  const prefix = dirname(dirname(dirname(cliBin)));
  const entry = createRequire(join(prefix, "package.json")).resolve("modelbox-dev");
  expect(entry).toMatch(/node_modules\/modelbox-dev\/dist\/index\.js$/);
  return (await import(pathToFileURL(entry).href)) as Library;
}

/** Logs in non-interactively with the printed command: it must neither prompt nor fail. */
async function loginWith(command: string): Promise<string> {
  const { stdout } = await run(
    "sh",
    ["-c", `${command.replace(/^ssh /, "ssh -o BatchMode=yes ")} whoami`],
    { timeout: 20_000 },
  );
  return stdout.trim();
}

/** What must be alike between two environments made the same way (names, ids, ports aside). */
function shape(r: UpResult) {
  return {
    action: r.action,
    state: r.state,
    image: r.image,
    keys: Object.keys(r).sort(),
    ssh: {
      check: r.ssh?.check,
      ready: r.ssh?.ready,
      user: r.ssh?.user,
      hasConfig: !!r.ssh?.configHost,
    },
    editor: { ready: r.editor?.ready, developerMode: r.editor?.developerMode },
    http: Object.keys(r.http ?? {}).sort(),
    passwordSet: r.passwordSet,
    steps: r.steps.map((s) => `${s.id}:${s.status}`),
    warnings: r.warnings,
  };
}

describeEngine("the built package's up gives a program what the CLI gives a user", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    lib = await importInstalledPackage(bin);
    // The library and the CLI share a HOME of the test run's own (keys, ~/.ssh/config).
    process.env.HOME = testHomeDir();
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    process.env.HOME = savedHome;
  });

  it("up(options): key login verified, the editor answers through the published port, the ssh config entry is written; the same as `modelbox-dev up --json`", async () => {
    const viaCli = uniqueName(PREFIX);
    const viaLib = uniqueName(PREFIX);
    const cliPorts = await loopbackPorts();
    const libPorts = await loopbackPorts();
    const common = ["--image", DEVELOP_IMAGE, "--gpus", "none", "--no-default-mounts"];
    const r = await runCli(bin, ["up", viaCli, ...common, ...cliPorts.args, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const fromCli = parseJson<UpResult>(r);

    const events: OperationEvent[] = [];
    const fromLib = await lib.up(
      {
        name: viaLib,
        image: DEVELOP_IMAGE,
        gpus: "none",
        defaultMounts: false,
        bind: "127.0.0.1",
        sshPort: libPorts.ssh,
        editorPort: libPorts.editor,
        httpPort: libPorts.http,
      },
      { onEvent: (e) => events.push(e) },
    );

    expect(shape(fromLib)).toEqual(shape(fromCli));
    expect(fromLib).toMatchObject({
      ok: true,
      action: "created",
      name: viaLib,
      ports: { ssh: libPorts.ssh, editor: libPorts.editor, http: libPorts.http },
      ssh: { check: "key-login", configHost: `${viaLib}.modelbox` },
      editor: { ready: true, developerMode: "running" },
    });
    // A user can do with it what the result says.
    expect(await loginWith(fromLib.ssh?.command ?? "")).toBe("root");
    expect((await httpGet("127.0.0.1", libPorts.editor, "/editor/"))?.status).toBe(200);
    const config = readFileSync(join(testHomeDir(), ".ssh", "config"), "utf8");
    expect(config).toContain(`Host ${viaLib}.modelbox`);
    expect(config).toContain(`Port ${libPorts.ssh}`);

    // The events told the same story step by step: each step started, then ended.
    const steps = events.filter((e) => e.type === "step");
    for (const s of fromLib.steps) {
      const seen = steps.filter((e) => e.id === s.id).map((e) => e.status);
      expect(seen, s.id).toEqual(["started", s.status]);
    }
    expect(events.some((e) => e.type === "log" && /key login/.test(e.message))).toBe(true);

    // The plan showed these steps before any of them ran.
    const planned = await lib.plan({
      name: viaLib,
      image: DEVELOP_IMAGE,
      gpus: "none",
      defaultMounts: false,
      bind: "127.0.0.1",
      sshPort: libPorts.ssh,
      editorPort: libPorts.editor,
      httpPort: libPorts.http,
    });
    expect(planned.plan.steps.map((s) => s.id)).toEqual(fromLib.steps.map((s) => s.id));

    // The other operations answer the same way: what `status --json` and `ls --json` print.
    const status = await lib.status({ name: viaLib, hostAddress: "127.0.0.1" });
    const statusCli = parseJson(
      await runCli(bin, ["status", viaLib, "--host-address", "127.0.0.1", "--json"]),
    );
    expect(Object.keys(status).sort()).toEqual(Object.keys(statusCli).sort());
    expect(status.ssh?.ready).toBe(true);
    const listed = await lib.ls({ all: true });
    expect(listed.environments.map((e) => e.name)).toEqual(
      expect.arrayContaining([viaCli, viaLib]),
    );

    const removed = await lib.rm({ name: viaLib, force: true });
    expect(removed).toEqual({
      ok: true,
      name: viaLib,
      id: fromLib.id,
      removed: true,
      forgotten: {
        name: viaLib,
        keyDirectory: join(testHomeDir(), ".modelbox-dev", "environments", viaLib),
        sshConfigEntry: `${viaLib}.modelbox`,
      },
      volumes: { kept: [`modelbox-dev-home-${viaLib}`], removed: [] },
    });
    expect(readFileSync(join(testHomeDir(), ".ssh", "config"), "utf8")).not.toContain(
      `Host ${viaLib}.modelbox`,
    );
  });

  it("an aborted signal stops up before it creates anything (INTERRUPTED)", async () => {
    const name = uniqueName(PREFIX);
    const ports = await loopbackPorts();
    const controller = new AbortController();
    controller.abort();
    const err = await lib
      .up(
        {
          name,
          image: RUNTIME_IMAGE,
          bind: "127.0.0.1",
          httpPort: ports.http,
          defaultMounts: false,
        },
        { signal: controller.signal },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(lib.isModelboxDevError(err) && err.code).toBe("INTERRUPTED");
    expect(await lib.createEngine().inspectContainer(name)).toBeUndefined();
  });
});
