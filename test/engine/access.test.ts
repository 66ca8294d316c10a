import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  enableDeveloperMode,
  developerModeState,
  SERVER_LOG,
} from "../../src/access/developer-mode.js";
import { serverLog } from "../../src/access/modelbox-service.js";
import { httpGet } from "../../src/access/http-probe.js";
import { environmentFiles, sshConfigPath } from "../../src/access/paths.js";
import { hasEntry } from "../../src/access/ssh-config-block.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { rm } from "../../src/environment/rm.js";
import { start } from "../../src/environment/start.js";
import { stop } from "../../src/environment/stop.js";
import { up } from "../../src/environment/up.js";
import { ModelboxDevError } from "../../src/errors.js";
import type { UpOptions } from "../../src/plan/options.js";
import {
  TEST_RUN_ID,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";
import { loopbackDevelopOptions } from "../support/up-settings.js";

const run = promisify(execFile);
const engine = new DockerEngine();
const PREFIX = "access";
/** Variants of the develop fixture made here (committed from a container), removed afterwards. */
const NO_TOOL_IMAGE = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-access-notool-${TEST_RUN_ID}`;
const BROKEN_TOOL_IMAGE = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-access-broken-${TEST_RUN_ID}`;

const savedHome = process.env.HOME;
let home = "";

/** A develop-image variant: `script` run once in a container of the fixture, then committed. */
async function derivedImage(target: string, script: string): Promise<void> {
  const docker = engineClient();
  const container = await docker.createContainer({
    Image: DEVELOP_IMAGE,
    Cmd: ["sh", "-c", script],
    name: uniqueName(PREFIX),
  });
  await container.start();
  await container.wait();
  const [repo, tag] = [
    target.slice(0, target.lastIndexOf(":")),
    target.slice(target.lastIndexOf(":") + 1),
  ];
  await container.commit({ repo, tag, changes: 'CMD ["/sbin/init"]' });
  await container.remove({ force: true, v: true });
}

const context = { engine };

async function developOptions(name: string, image = DEVELOP_IMAGE) {
  return { ...(await loopbackDevelopOptions(name)), image, gpus: "none" };
}

/** `up` as the CLI runs it: every access step, with these options on top. */
async function upWithAccess(
  name: string,
  flags: UpOptions = {},
  image = DEVELOP_IMAGE,
  given?: Awaited<ReturnType<typeof developOptions>>,
) {
  const options = given ?? (await developOptions(name, image));
  const result = await up({ ...options, pull: "never", timeout: 60, ...flags }, context);
  const container = await engine.inspectContainer(result.id);
  const ports = { ssh: options.sshPort, editor: options.editorPort, http: options.httpPort };
  return { result, container, report: result, ports, options };
}

/** Runs the printed command, made non-interactive: it must neither prompt nor fail. */
async function loginWith(command: string, remote = "whoami"): Promise<string> {
  const { stdout } = await run(
    "sh",
    ["-c", `${command.replace(/^ssh /, "ssh -o BatchMode=yes ")} ${remote}`],
    {
      timeout: 20_000,
    },
  );
  return stdout.trim();
}

async function expectError(promise: Promise<unknown>, code: string): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  expect((err as ModelboxDevError).code).toBe(code);
  return err as ModelboxDevError;
}

async function hostKeysOf(id: string): Promise<string[]> {
  const r = await engine.exec(id, ["sh", "-c", "cat /etc/ssh/ssh_host_*_key.pub"]);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ").slice(0, 2).join(" "));
}

describeEngine("SSH access and developer mode on a real engine", () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "mbdev-access-home-"));
    process.env.HOME = home;
    await tagFixtures();
    await removeContainers(PREFIX);
    await derivedImage(NO_TOOL_IMAGE, "rm /usr/local/bin/modelbox-tool");
    await derivedImage(
      BROKEN_TOOL_IMAGE,
      `printf '#!/bin/sh\\necho "modelbox: cannot load the editor plugin" >&2\\nexit 1\\n' > /usr/local/bin/modelbox-tool`,
    );
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    for (const image of [NO_TOOL_IMAGE, BROKEN_TOOL_IMAGE]) {
      await engineClient()
        .getImage(image)
        .remove()
        .catch(() => undefined);
    }
    process.env.HOME = savedHome;
  });

  it("up installs a generated key and returns once a key login works; host keys are the container's own", async () => {
    const name = uniqueName(PREFIX);
    const { result, report, ports, options } = await upWithAccess(name);
    const files = environmentFiles(name);
    expect(report.ssh).toMatchObject({
      host: "127.0.0.1",
      port: ports.ssh,
      user: "root",
      keyPath: files.privateKey,
      configHost: `${name}.modelbox`,
      ready: true,
      check: "key-login",
    });
    expect(statSync(files.privateKey).mode & 0o777).toBe(0o600);
    expect(await loginWith(report.ssh?.command ?? "")).toBe("root");
    // Through the ~/.ssh/config entry (ssh reads the passwd home's config, so name the file).
    expect(await loginWith(`ssh -F ${sshConfigPath()} ${name}.modelbox`)).toBe("root");

    const known = readFileSync(files.knownHosts, "utf8");
    for (const key of await hostKeysOf(result.id)) expect(known).toContain(`* ${key}`);

    // A second up changes nothing inside: the key is in authorized_keys once.
    const again = (await upWithAccess(name, {}, DEVELOP_IMAGE, options)).result;
    expect(again.action).toBe("already-running");
    const keys = await engine.exec(result.id, ["cat", "/root/.ssh/authorized_keys"]);
    const pub = readFileSync(files.publicKey, "utf8").trim();
    expect(keys.stdout.split("\n").filter((l) => l === pub)).toHaveLength(1);
    const shadow = await engine.exec(result.id, ["passwd", "-S", "root"]);
    expect(shadow.stdout.split(" ")[1]).not.toBe("P"); // no password unless asked

    await rm({ name, force: true }, context);
    expect(hasEntry(readFileSync(sshConfigPath(), "utf8"), name)).toBe(false);
    expect(() => statSync(files.dir)).toThrow();
  });

  it("developer mode: the editor answers 200 from the host, its ACL admits the bridge gateway; --editor-allow adds a CIDR; repeating it adds nothing", async () => {
    const name = uniqueName(PREFIX);
    const { result, container, report, ports } = await upWithAccess(name, {
      editorAllow: ["10.20.0.0/16"],
    });
    const gateway = container?.gateway;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(report.editor).toMatchObject({
      url: `http://127.0.0.1:${ports.editor}/editor/`,
      ready: true,
      developerMode: "running",
    });
    expect(report.editor?.allow).toEqual(["127.0.0.1/8", gateway, "10.20.0.0/16"]);
    expect((await httpGet("127.0.0.1", ports.editor, "/editor/"))?.status).toBe(200);
    const info = await httpGet("127.0.0.1", ports.editor, "/editor/basic-info");
    expect(JSON.parse(info?.body ?? "{}")).toMatchObject({ user: "root", home_dir: "/root" });
    // The fixture logs each request's client: the host's browser arrives from the gateway.
    expect((await serverLog(engine, result.id)).join("\n")).toContain(
      `${gateway} "GET /editor/ HTTP/1.1" 200`,
    );

    // Set up already ("Modelbox already exists."): status checked, nothing duplicated.
    const again = await enableDeveloperMode(engine, result.id, {
      allow: [gateway ?? "", "10.20.0.0/16", "10.20.3.4"],
      editor: { host: "127.0.0.1", port: ports.editor },
      deadline: Date.now() + 30_000,
    });
    expect(again).toMatchObject({ state: "running", ready: true });
    expect(again.allow).toEqual(["127.0.0.1/8", gateway, "10.20.0.0/16"]);
    const setupAgain = await engine.exec(result.id, ["modelbox-tool", "develop", "-s"], {
      env: { HOME: "/root" },
    });
    expect(setupAgain.stdout).toContain("Modelbox already exists.");
  });

  it("after stop and start, developer mode comes back by itself", async () => {
    const name = uniqueName(PREFIX);
    const { ports } = await upWithAccess(name);
    await stop({ name }, context);
    expect(await httpGet("127.0.0.1", ports.editor, "/editor/", 500)).toBeUndefined();
    const report = await start({ name }, context);
    expect(report).toMatchObject({ editor: { ready: true, developerMode: "running" } });
    expect((await httpGet("127.0.0.1", ports.editor, "/editor/"))?.status).toBe(200);
  });

  it("--no-develop-mode leaves it off; a server that admits only loopback is a clear 403 error; a server that never answers times out with its log lines", async () => {
    const name = uniqueName(PREFIX);
    const { result, report, ports } = await upWithAccess(name, { developMode: false });
    const id = result.id;
    expect(report.editor).toMatchObject({ ready: false, developerMode: "not-set-up" });
    expect(await developerModeState(engine, id)).toBe("not-set-up");
    // start does not set up what was never set up.
    await stop({ name }, context);
    expect(await start({ name }, context)).toMatchObject({
      editor: { ready: false, developerMode: "not-set-up" },
    });

    // What a plain `docker exec … modelbox-tool develop -s` gives: only loopback admitted.
    const refused = await expectError(
      enableDeveloperMode(engine, id, {
        allow: [],
        editor: { host: "127.0.0.1", port: ports.editor },
        deadline: Date.now() + 20_000,
      }),
      "DEVELOPER_MODE_FAILED",
    );
    expect(refused.message).toMatch(/403 Access Denied/);

    const [unpublished = 0] = await freePorts(1);
    const timedOut = await expectError(
      enableDeveloperMode(engine, id, {
        allow: [],
        editor: { host: "127.0.0.1", port: unpublished },
        deadline: Date.now() + 1_500,
      }),
      "READINESS_TIMEOUT",
    );
    expect(timedOut.message).toContain(`http://127.0.0.1:${unpublished}/editor/`);
    expect(timedOut.details.join("\n")).toContain(`Last lines of ${SERVER_LOG}`);
    expect(timedOut.details.join("\n")).toMatch(/listening on 0\.0\.0\.0:1104/);
  });

  it("an image without modelbox-tool: developer mode is skipped with a warning and the environment is kept", async () => {
    const name = uniqueName(PREFIX);
    const { result, report } = await upWithAccess(name, {}, NO_TOOL_IMAGE);
    expect(result.state).toBe("running");
    expect(report.editor).toMatchObject({ ready: false, developerMode: "no-modelbox-tool" });
    expect(report.ssh?.check).toBe("key-login");
    expect(result.warnings.join("\n")).toMatch(/modelbox-tool is not in this image/);
    // The boot unit, which goes in beside `develop -s`, stays out of an image without ModelBox.
    const unit = await engine.statPath(
      result.id,
      "/etc/systemd/system/modelbox-dev-editor.service",
    );
    expect(unit).toBeUndefined();
  });

  it("a failing modelbox-tool fails up: the container, its key and its ~/.ssh/config entry are removed", async () => {
    const name = uniqueName(PREFIX);
    const err = await expectError(
      upWithAccess(name, {}, BROKEN_TOOL_IMAGE),
      "DEVELOPER_MODE_FAILED",
    );
    expect(err.details.join("\n")).toContain("cannot load the editor plugin");
    expect(await engine.inspectContainer(name)).toBeUndefined();
    expect(hasEntry(readFileSync(sshConfigPath(), "utf8"), name)).toBe(false);
    expect(() => statSync(environmentFiles(name).dir)).toThrow();
  });

  it("--ssh-key installs the user's key, and the login uses it", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "mbdev-userkey-"));
    await run("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "user@test",
      "-f",
      join(keyDir, "id"),
    ]);
    const name = uniqueName(PREFIX);
    const { result, report } = await upWithAccess(name, {
      sshKey: join(keyDir, "id.pub"),
      developMode: false,
    });
    expect(report.ssh).toMatchObject({ keyPath: join(keyDir, "id"), check: "key-login" });
    const keys = await engine.exec(result.id, ["cat", "/root/.ssh/authorized_keys"]);
    expect(keys.stdout).toContain("user@test");
    expect(() => statSync(environmentFiles(name).privateKey)).toThrow(); // none generated
    expect(await loginWith(report.ssh?.command ?? "")).toBe("root");
  });
});
