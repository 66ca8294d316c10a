import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { ModelboxDevError } from "../../src/errors.js";
import { up } from "../../src/environment/up.js";
import { rm } from "../../src/environment/rm.js";
import { start } from "../../src/environment/start.js";
import { stop } from "../../src/environment/stop.js";
import { ls } from "../../src/environment/ls.js";
import { readBanner } from "../../src/environment/readiness.js";
import type { OperationEvent } from "../../src/environment/operation.js";
import { httpGet } from "../../src/access/http-probe.js";
import type { EnvironmentOptions } from "../../src/plan/options.js";
import { LABELS } from "../../src/labels.js";
import type { UpOptions } from "../../src/plan/options.js";
import { loopbackDevelopOptions, testUpOptions, useTestHome } from "../support/up-settings.js";
import {
  TEST_ENGINE,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { RUNTIME_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const engine = new DockerEngine();

const context = { engine };

/** `up` as a library client calls it, with the test's options. */
function upWith(options: EnvironmentOptions, overrides: UpOptions = {}) {
  return up(testUpOptions(options, overrides), context);
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
    const options = await loopbackDevelopOptions(name);
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
    const options = await loopbackDevelopOptions(name);
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
    const options = await loopbackDevelopOptions(name);
    const first = await upWith(options);
    const changed = { ...options, debug: "ptrace" as const };
    const err = await expectError(upWith(changed), "SPEC_CHANGED");
    expect(err.details.join("\n")).toContain("SYS_PTRACE");
    // The refusal names the flag to change, not the spec's field.
    expect(err.message).toContain("--debug");
    expect(err.details.join("\n")).not.toMatch(/capAdd|securityOpt/);
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
    const options = await loopbackDevelopOptions(name);
    const first = await upWith(options);
    const again = await upWith(options, { recreate: true });
    expect(again.action).toBe("recreated");
    expect(again.id).not.toBe(first.id);
    expect(await engine.inspectContainer(first.id)).toBeUndefined();
  });

  // Podman's runtime sets every rlimit it is given, which this machine's sandbox forbids (its
  // service runs with no default ulimits for that reason): --ulimit is tried on Docker only.
  const onDocker = TEST_ENGINE === "docker" ? it : it.skip;
  onDocker(
    "--publish answers on 127.0.0.1; --env values reach the container only; /dev/shm and limits are as asked",
    async () => {
      const name = uniqueName("up");
      const [extra = 0] = await freePorts(1);
      const dir = mkdtempSync(join(tmpdir(), "mbdev-env-"));
      const envFile = join(dir, "app.env");
      writeFileSync(envFile, "# team settings\nFROM_FILE=file-value-9f1\n");
      const events: OperationEvent[] = [];
      const given = testUpOptions(await loopbackDevelopOptions(name), {
        publish: [`127.0.0.1:${extra}:7000`],
        env: ["SECRET=s3cr3t-value-77"],
        envFile: [envFile],
        shmSize: "256m",
        memory: "1g",
        cpus: "1.5",
        ulimit: ["nofile=4096:8192"],
        // A limited environment on a busy machine takes its time to boot.
        timeout: 120,
      });
      const result = await up(given, { engine, onEvent: (e) => events.push(e) });
      // A tiny listener started inside answers through the published port.
      await engine.exec(result.id, [
        "sh",
        "-c",
        "cd /tmp && nohup python3 -m http.server 7000 --bind 0.0.0.0 >/dev/null 2>&1 &",
      ]);
      let answer: Awaited<ReturnType<typeof httpGet>>;
      for (let i = 0; i < 40 && answer?.status !== 200; i++) {
        answer = await httpGet("127.0.0.1", extra, "/", 1_000);
        if (answer?.status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(answer?.status).toBe(200);

      const inside = await engine.exec(result.id, [
        "sh",
        "-c",
        'printf "%s|%s\\n" "$(cat /proc/1/environ | tr "\\0" "\\n" | grep -E "^(SECRET|FROM_FILE)=" | sort | tr "\\n" ",")" "$(df -B1 --output=size /dev/shm | tail -1 | tr -d " ")"; grep "Max open files" /proc/1/limits',
      ]);
      expect(inside.stdout).toContain("FROM_FILE=file-value-9f1,SECRET=s3cr3t-value-77,|268435456");
      // PID 1 runs under the hard limit asked for (systemd raises its own soft limit to it).
      expect(inside.stdout.trim().split("\n").at(-1)).toMatch(/^Max open files\s+\d+\s+8192\s/);
      const inspect = await engineClient().getContainer(name).inspect();
      expect(inspect.HostConfig.ShmSize).toBe(256 * 1024 ** 2);
      expect(inspect.HostConfig.Memory).toBe(1024 ** 3);
      expect(inspect.HostConfig.NanoCpus).toBe(1_500_000_000);
      expect(inspect.HostConfig.Ulimits).toEqual([{ Name: "nofile", Soft: 4096, Hard: 8192 }]);
      // The values are in the container's own configuration, and nowhere else.
      const told = JSON.stringify({ labels: inspect.Config.Labels, result, events });
      expect(told).not.toContain("s3cr3t-value-77");
      expect(told).not.toContain("file-value-9f1");
      expect(result.settings).toMatchObject({
        published: [{ hostIp: "127.0.0.1", hostPort: extra, containerPort: 7000, protocol: "tcp" }],
        env: ["FROM_FILE", "SECRET"],
        shmSizeBytes: 256 * 1024 ** 2,
        memoryBytes: 1024 ** 3,
        cpus: 1.5,
        ulimits: ["nofile=4096:8192"],
      });
      // The same options again are the same environment; a changed value is a change, said
      // without the values.
      expect((await up(given, context)).action).toBe("already-running");
      const changed = await expectError(
        up({ ...given, env: ["SECRET=another-value-78"] }, context),
        "SPEC_CHANGED",
      );
      expect(changed.message).toContain("--env / --env-file");
      expect(changed.details.join("\n")).toContain(
        "--env / --env-file: a value of FROM_FILE, SECRET changed",
      );
      const said = [changed.message, changed.hint, ...changed.details].join("\n");
      expect(said).not.toMatch(/s3cr3t-value-77|another-value-78/);
    },
  );

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
    expect(result.steps.map((s) => s.id)).toEqual([
      "pull",
      "volume",
      "create",
      "start",
      "wait-running",
    ]);
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
    const options = await loopbackDevelopOptions(name);
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
      ...(await loopbackDevelopOptions(name)),
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
    const options = await loopbackDevelopOptions(name);
    await expectError(upWith(options), "NAME_TAKEN");
    await expectError(stop({ name }, context), "NOT_MANAGED");
    await expectError(rm({ name, force: true }, context), "NOT_MANAGED");
    expect(await engine.inspectContainer(name)).toBeDefined();
    const all = await ls({ all: true }, context);
    expect(all.environments.some((c) => c.name === name)).toBe(false);
  });
});
