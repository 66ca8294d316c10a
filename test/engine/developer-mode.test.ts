/**
 * Developer mode is judged by what is true, and comes back after restarts: the editor answering
 * is what counts (not the status line, which a stale pid file fools), the boot unit brings the
 * server back after a plain engine restart, `start` brings it back or fails with the log lines of
 * this start. Real engine, the fixture's ModelBox stand-in, ports published on 127.0.0.1.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inspectDeveloperMode, stoppedDespiteStatus } from "../../src/access/developer-mode.js";
import { httpGet } from "../../src/access/http-probe.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { develop } from "../../src/environment/develop.js";
import { start } from "../../src/environment/start.js";
import { stop } from "../../src/environment/stop.js";
import { up } from "../../src/environment/up.js";
import { ModelboxDevError } from "../../src/errors.js";
import {
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
  waitFor,
} from "../support/engine.js";
import { tagFixtures } from "../support/fixture-names.js";
import { CONTROL, DEVELOP } from "../support/upstream-modelbox.js";
import { loopbackDevelopOptions } from "../support/up-settings.js";

const engine = new DockerEngine();
const context = { engine };
const PREFIX = "devmode";
const HOME = "/root/modelbox-service";
const savedHome = process.env.HOME;

/** `up` of a develop environment with developer mode on, as the CLI does it. */
async function upDevelop() {
  const name = uniqueName(PREFIX);
  const options = await loopbackDevelopOptions(name);
  const result = await up(
    {
      ...options,
      gpus: "none",
      pull: "never",
      timeout: 90,
      sshConfig: false,
    },
    context,
  );
  return { name, id: result.id, editorPort: options.editorPort, result };
}

async function sh(id: string, script: string) {
  return engine.exec(id, ["sh", "-c", script], { user: "root", env: { HOME: "/root" } });
}

const editorAnswers = async (port: number) =>
  (await httpGet("127.0.0.1", port, "/editor/", 1_000))?.status === 200;

async function expectDeveloperModeError(promise: Promise<unknown>): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  expect((err as ModelboxDevError).code).toBe("DEVELOPER_MODE_FAILED");
  return err as ModelboxDevError;
}

describeEngine("developer mode, judged by what is true, across restarts", () => {
  beforeAll(async () => {
    process.env.HOME = mkdtempSync(join(tmpdir(), "mbdev-devmode-home-"));
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    process.env.HOME = savedHome;
  });

  it("a plain engine restart of the container (no modelbox-dev command) brings the editor back, through the boot unit, with the container's environment", async () => {
    const { id, editorPort, result } = await upDevelop();
    expect(result.editor).toMatchObject({ ready: true, startsAtBoot: true });
    await engineClient().getContainer(id).restart({ t: 30 });
    await waitFor("the editor after the restart", () => editorAnswers(editorPort), {
      timeoutMs: 90_000,
    });
    // The unit did it (it is done once the manager has started too).
    await waitFor("the boot unit to finish", async () => {
      const unit = await sh(id, "systemctl is-active modelbox-dev-editor.service");
      return unit.stdout.trim() === "active";
    });
    // The server sees the image's variables as a `docker exec` does, spaces and all.
    const env = await sh(id, `tr '\\0' '\\n' < /proc/$(cat ${HOME}/run/modelbox.pid)/environ`);
    expect(env.stdout).toContain(
      "NVIDIA_REQUIRE_CUDA=cuda>=11.2 brand=tesla,driver>=418,driver<419 brand=tesla,driver>=440,driver<441",
    );
    expect(env.stdout).toContain("HOME=/root");
  });

  it("stop and start bring the editor back, through the boot unit or, where there is none, by a restart", async () => {
    const { name, id, editorPort } = await upDevelop();
    await stop({ name }, context);
    expect(await editorAnswers(editorPort)).toBe(false);
    expect(await start({ name }, context)).toMatchObject({
      editor: { ready: true, developerMode: "running" },
    });
    expect(await editorAnswers(editorPort)).toBe(true);

    // An environment set up before the boot unit existed: start restarts the server itself.
    await sh(
      id,
      "rm -f /etc/systemd/system/modelbox-dev-editor.service /etc/systemd/system/multi-user.target.wants/modelbox-dev-editor.service",
    );
    await stop({ name }, context);
    expect(await start({ name }, context)).toMatchObject({
      editor: { ready: true, developerMode: "running" },
    });
    expect(await editorAnswers(editorPort)).toBe(true);
  });

  it("a pid file naming another live process: the status line says running, developer mode says stopped, and turning it on leaves that process alone", async () => {
    const { name, id, editorPort } = await upDevelop();
    // What a container restart can leave: the server gone, its pid now another process's.
    await sh(id, `${HOME}/modelbox-manager stop`);
    const other = (
      await sh(id, "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!")
    ).stdout.trim();
    await sh(id, `echo ${other} > ${HOME}/run/modelbox.pid`);
    const query = await sh(id, "modelbox-tool develop -q");
    expect(query.exitCode).toBe(0);
    expect(query.stdout).toContain(DEVELOP.serviceStatus(CONTROL.running(other)));

    // What `develop NAME --status` reports.
    const status = await develop({ name, status: true }, context);
    expect(status).toMatchObject({
      developerMode: "stopped",
      editor: { ready: false },
      server: { status: CONTROL.running(other), port: 1104, answers: false, bootUnit: "enabled" },
    });
    expect(
      stoppedDespiteStatus(status.developerMode, status.server ?? { answers: true }),
    ).toContain("nothing answers on port 1104");
    expect(await inspectDeveloperMode(engine, id)).toMatchObject({ state: "stopped" });

    // `develop NAME` turns it on again.
    expect(await develop({ name, timeout: 60 }, context)).toMatchObject({
      developerMode: "running",
      editor: { ready: true, startsAtBoot: true },
    });
    expect(await editorAnswers(editorPort)).toBe(true);
    expect((await sh(id, `kill -0 ${other}`)).exitCode).toBe(0);
    expect((await sh(id, `cat ${HOME}/run/modelbox.pid`)).stdout.trim()).not.toBe(other);
  });

  it("a server that cannot start after start: an error with the log lines of this start only", async () => {
    const { name, id, editorPort } = await upDevelop();
    // Something else takes the editor port at boot, before the boot unit runs.
    const blocker = [
      "[Unit]",
      "Before=modelbox-dev-editor.service",
      "[Service]",
      `ExecStart=/usr/bin/python3 -c "import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 1104)); s.listen(); time.sleep(100000)"`,
      "ExecStartPost=/bin/sh -c 'until ss -Hltn sport = :1104 | grep -q .; do sleep 0.2; done'",
      "[Install]",
      "WantedBy=multi-user.target",
      "",
    ].join("\n");
    await engine.exec(
      id,
      [
        "sh",
        "-c",
        "cat > /etc/systemd/system/port-taker.service && systemctl enable port-taker.service",
      ],
      { user: "root", stdin: blocker },
    );
    await stop({ name }, context);
    const err = await expectDeveloperModeError(start({ name, timeout: 60 }, context));
    expect(err.message).toContain(`${name} started, but its editor did not come back`);
    const details = err.details.join("\n");
    expect(details).toContain("Log lines of this start");
    expect(details).toMatch(/listen on 0\.0\.0\.0:1104 failed, Address already in use/);
    // The lines of the start before (when it listened) are not this start's.
    expect(details).not.toMatch(/listening on 0\.0\.0\.0:1104/);
    expect(await editorAnswers(editorPort)).toBe(false);
  });
});
