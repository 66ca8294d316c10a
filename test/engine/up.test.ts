import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { ModelboxDevError } from "../../src/errors.js";
import { up } from "../../src/environment/up.js";
import { rm } from "../../src/environment/rm.js";
import { start } from "../../src/environment/start.js";
import { stop } from "../../src/environment/stop.js";
import { ls } from "../../src/environment/ls.js";
import { readBanner } from "../../src/environment/readiness.js";
import type { EnvironmentOptions } from "../../src/plan/options.js";
import { LABELS } from "../../src/labels.js";
import type { UpOptions } from "../../src/plan/options.js";
import { testUpOptions, useTestHome } from "../support/up-settings.js";
import { describeEngine, engineClient, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, RUNTIME_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const engine = new DockerEngine();

const context = { engine };

/** `up` as a library client calls it, with the test's options. */
function upWith(options: EnvironmentOptions, overrides: UpOptions = {}) {
  return up(testUpOptions(options, overrides), context);
}

async function developOptions(name: string): Promise<EnvironmentOptions> {
  const [ssh, editor, http] = await freePorts(3);
  return {
    name,
    image: DEVELOP_IMAGE,
    bind: "127.0.0.1",
    sshPort: ssh,
    editorPort: editor,
    httpPort: http,
    defaultMounts: false,
  };
}

async function expectNoContainer(name: string): Promise<void> {
  expect(await engine.inspectContainer(name)).toBeUndefined();
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

describeEngine("up on a real engine", () => {
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers("up");
  });
  afterAll(async () => {
    await removeContainers("up");
  });

  it("starts a develop environment whose sshd answers on the published loopback port", async () => {
    const name = uniqueName("up");
    const options = await developOptions(name);
    const result = await upWith(options);
    expect(result.action).toBe("created");
    expect(result.state).toBe("running");
    const banner = await readBanner("127.0.0.1", Number(options.sshPort));
    expect(banner).toMatch(/^SSH-2\.0-/);

    const inspect = await engineClient().getContainer(name).inspect();
    expect(inspect.Config.Labels[LABELS.managed]).toBe("true");
    expect(inspect.Config.Labels[LABELS.imageId]).toBe(inspect.Image);
    expect(inspect.Config.Labels[LABELS.cudaVersion]).toBe("11.2.2");
    expect(inspect.Config.Tty).toBe(true);
    expect(inspect.Config.OpenStdin).toBe(true);
    expect((inspect.Config as { StopTimeout?: number }).StopTimeout).toBe(30);
    // Docker reports the options as given (none); Podman spells out its defaults.
    expect(Object.keys(inspect.HostConfig.Tmpfs ?? {}).sort()).toEqual([
      "/run",
      "/run/lock",
      "/tmp",
    ]);
    expect(inspect.HostConfig.PortBindings).toEqual({
      "22/tcp": [{ HostIp: "127.0.0.1", HostPort: String(options.sshPort) }],
      "1104/tcp": [{ HostIp: "127.0.0.1", HostPort: String(options.editorPort) }],
      [`${options.httpPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(options.httpPort) }],
    });
    // systemd is PID 1, as in the ModelBox images.
    const pid1 = await engine.exec(result.id, ["cat", "/proc/1/comm"]);
    expect(pid1.stdout.trim()).toMatch(/^(systemd|init)$/);

    // The same request again is a no-op report, not a second container.
    const again = await upWith(options);
    expect(again.action).toBe("already-running");
    expect(again.id).toBe(result.id);
  });

  it("stop, then up with the same options starts the same container again; sshd is back", async () => {
    const name = uniqueName("up");
    const options = await developOptions(name);
    const first = await upWith(options);
    const stopped = await stop({ name }, context);
    expect(stopped.state).toBe("exited");
    expect(await readBanner("127.0.0.1", Number(options.sshPort), 300)).toBe("");

    const second = await upWith(options);
    expect(second.action).toBe("started");
    expect(second.id).toBe(first.id);
    expect(await readBanner("127.0.0.1", Number(options.sshPort))).toMatch(/^SSH-/);

    await stop({ name }, context);
    const started = await start({ name }, context);
    expect(started.state).toBe("running");
    await expectError(rm({ name, force: false }, context), "IS_RUNNING");
    await rm({ name, force: true }, context);
    await expectNoContainer(name);
  });

  it("refuses different options for an existing environment and shows the difference; --recreate replaces it", async () => {
    const name = uniqueName("up");
    const options = await developOptions(name);
    const first = await upWith(options);
    const changed = { ...options, debug: "ptrace" as const };
    const err = await expectError(upWith(changed), "SPEC_CHANGED");
    expect(err.details.join("\n")).toContain("SYS_PTRACE");
    // Refusing changed nothing.
    const still = await engine.inspectContainer(name);
    expect(still?.id).toBe(first.id);
    expect(still?.status).toBe("running");

    const recreated = await upWith(changed, { recreate: true });
    expect(recreated.action).toBe("recreated");
    expect(recreated.id).not.toBe(first.id);
    const inspect = await engineClient().getContainer(name).inspect();
    expect(inspect.HostConfig.CapAdd).toEqual(["SYS_PTRACE"]);
    expect(inspect.HostConfig.SecurityOpt).toEqual(["seccomp=unconfined"]);
  });

  it("--recreate with the same options still replaces the container (to take a re-tagged image)", async () => {
    const name = uniqueName("up");
    const options = await developOptions(name);
    const first = await upWith(options);
    const again = await upWith(options, { recreate: true });
    expect(again.action).toBe("recreated");
    expect(again.id).not.toBe(first.id);
    expect(await engine.inspectContainer(first.id)).toBeUndefined();
  });

  it("a runtime image publishes only the HTTP port and is ready once running", async () => {
    const name = uniqueName("up");
    const [http] = await freePorts(1);
    const result = await upWith({
      name,
      image: RUNTIME_IMAGE,
      bind: "127.0.0.1",
      httpPort: http,
      defaultMounts: false,
    });
    expect(result.state).toBe("running");
    expect(Object.keys(result.ports)).toEqual(["http"]);
    // The plan had no SSH or editor steps for it, and said why.
    expect(result.steps.map((s) => s.id)).toEqual(["pull", "create", "start", "wait-running"]);
    expect(result.notes.join("\n")).toMatch(/runtime image has no sshd and no editor/);
    const inspect = await engineClient().getContainer(name).inspect();
    expect(Object.keys(inspect.HostConfig.PortBindings as object)).toEqual([`${http}/tcp`]);
  });

  it("removes the container and reports its last log lines when readiness fails", async () => {
    const name = uniqueName("up");
    const [ssh, editor, http] = await freePorts(3);
    // A runtime image has no sshd: waiting for SSH on it must time out.
    const options: EnvironmentOptions = {
      name,
      image: RUNTIME_IMAGE,
      kind: "develop",
      bind: "127.0.0.1",
      sshPort: ssh,
      editorPort: editor,
      httpPort: http,
      defaultMounts: false,
    };
    const err = await expectError(upWith(options, { timeout: 3 }), "READINESS_TIMEOUT");
    expect(err.details.join("\n")).toContain("The container was removed.");
    await expectNoContainer(name);

    // --keep-on-failure leaves it for a closer look.
    const kept = await expectError(
      upWith(options, { timeout: 2, keepOnFailure: true }),
      "READINESS_TIMEOUT",
    );
    expect(kept.details.join("\n")).toContain("kept");
    expect((await engine.inspectContainer(name))?.status).toBe("running");
  });

  it("an explicit port held by a host process is refused before anything is created", async () => {
    const name = uniqueName("up");
    const options = await developOptions(name);
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(Number(options.sshPort), "0.0.0.0", r));
    try {
      const err = await expectError(upWith(options), "PORT_IN_USE");
      expect(err.message).toContain(String(options.sshPort));
      await expectNoContainer(name);
    } finally {
      server.close();
    }
  });

  it("an absent image with --pull never, and a pull that fails, are clear errors that create nothing", async () => {
    const name = uniqueName("up");
    const options = {
      ...(await developOptions(name)),
      image: "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:no-such-tag",
    };
    await expectError(upWith(options), "IMAGE_NOT_FOUND");
    // 127.0.0.1:9 is a closed loopback port: the pull fails at once, no outside network involved.
    const unreachable = {
      ...options,
      image:
        "127.0.0.1:9/modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest",
    };
    const err = await expectError(upWith(unreachable, { pull: "missing" }), "REGISTRY_UNREACHABLE");
    expect(err.hint).toBeTruthy();
    await expectNoContainer(name);
  });

  it("leaves a container it did not create alone", async () => {
    const name = uniqueName("up");
    await engineClient().createContainer({ name, Image: RUNTIME_IMAGE });
    const options = await developOptions(name);
    await expectError(upWith(options), "NAME_TAKEN");
    await expectError(stop({ name }, context), "NOT_MANAGED");
    await expectError(rm({ name, force: true }, context), "NOT_MANAGED");
    expect(await engine.inspectContainer(name)).toBeDefined();
    const all = await ls({ all: true }, context);
    expect(all.environments.some((c) => c.name === name)).toBe(false);
  });
});
