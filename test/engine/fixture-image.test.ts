/**
 * The fixture images behave like ModelBox images (test/fixture/README.md): systemd as PID 1 that
 * stops on SIGRTMIN+3, sshd in the develop image only, no root password, and the
 * `modelbox-tool develop` stand-in with its editor ACL. Reached only through 127.0.0.1.
 */
import type Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readBanner } from "../../src/environment/readiness.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  FIXTURE_RUNTIME_IMAGE,
  TEST_LABEL,
  describeEngine,
  engineClient,
  execIn,
  publishedPort,
  removeContainers,
  systemdHostConfig,
  uniqueName,
  waitFor,
} from "../support/engine.js";

const PREFIX = "fixture-image";

async function startFixture(image: string, ports: string[]): Promise<Docker.Container> {
  const docker = engineClient();
  const hostConfig = await systemdHostConfig();
  const container = await docker.createContainer({
    name: uniqueName(PREFIX),
    Image: image,
    Tty: true,
    Labels: { [TEST_LABEL]: PREFIX },
    ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])),
    HostConfig: {
      ...hostConfig,
      PortBindings: Object.fromEntries(
        ports.map((p) => [p, [{ HostIp: "127.0.0.1", HostPort: "" }]]),
      ),
    },
  });
  await container.start();
  return container;
}

/** Waits until systemd has finished booting and returns its verdict ("running", "degraded", …). */
async function bootState(container: Docker.Container): Promise<string> {
  const result = await execIn(container, ["systemctl", "is-system-running", "--wait"]);
  return result.stdout.trim();
}

async function httpGet(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

describeEngine("fixture images", () => {
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  describeDevelop();
  describeRuntime();
});

function describeDevelop(): void {
  let container: Docker.Container;
  let sshPort: number;
  let editorPort: number;

  beforeAll(async () => {
    container = await startFixture(FIXTURE_DEVELOP_IMAGE, ["22/tcp", "1104/tcp"]);
    sshPort = await publishedPort(container, "22/tcp");
    editorPort = await publishedPort(container, "1104/tcp");
  });

  it("develop: image metadata is ModelBox's", async () => {
    const image = await engineClient().getImage(FIXTURE_DEVELOP_IMAGE).inspect();
    const config = image.Config as typeof image.Config & { StopSignal?: string };
    expect(image.Config.Cmd).toEqual(["/sbin/init"]);
    expect(config.StopSignal).toBe("SIGRTMIN+3");
    expect(Object.keys(image.Config.Volumes ?? {}).sort()).toEqual(
      ["/run", "/run/lock", "/sys/fs/cgroup", "/tmp"].sort(),
    );
    expect(image.Config.Env).toContain(
      "NVIDIA_REQUIRE_CUDA=cuda>=11.2 brand=tesla,driver>=418,driver<419 brand=tesla,driver>=440,driver<441",
    );
    expect(image.Config.Labels?.["com.nvidia.cuda.verison"]).toBe("11.2.2");
    expect(image.Config.ExposedPorts ?? {}).toEqual({});
  });

  it("develop: systemd is PID 1 and sshd answers on a 127.0.0.1-published port", async () => {
    const banner = await waitFor("the sshd banner", async () => {
      const text = await readBanner("127.0.0.1", sshPort);
      return text.startsWith("SSH-") ? text : undefined;
    });
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH/);
    const pid1 = await execIn(container, ["cat", "/proc/1/comm"]);
    expect(pid1.stdout.trim()).toBe("systemd");
    expect(await bootState(container)).toBe("running");
    const ssh = await execIn(container, ["systemctl", "is-active", "ssh.service"]);
    expect(ssh.stdout.trim()).toBe("active");
  });

  it("develop: root has no password and sshd lets root in", async () => {
    const shadow = await execIn(container, ["getent", "shadow", "root"]);
    expect(shadow.stdout.split(":")[1]).toBe("*");
    const sshd = await execIn(container, ["sshd", "-T"]);
    expect(sshd.stdout).toMatch(/^permitrootlogin yes$/m);
    expect(sshd.stdout).toMatch(/^passwordauthentication yes$/m);
  });

  it("develop: the editor refuses the host until its gateway is allowed", async () => {
    const setup = await execIn(container, ["modelbox-tool", "develop", "-s"]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect((await httpGet(editorPort, "/editor/")).status).toBe(403);
    expect((await httpGet(editorPort, "/editor/")).body).toBe("Access Denied");

    const again = await execIn(container, ["modelbox-tool", "develop", "-s"]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stdout).toContain("Modelbox already exists.");

    // The host reaches the container from the bridge's gateway (userland proxy or NAT).
    const networks = (await container.inspect()).NetworkSettings.Networks;
    const gateway = Object.values(networks).find((n) => n.Gateway)?.Gateway;
    expect(gateway).toBeTruthy();
    const allow = await execIn(container, [
      "sed",
      "-i",
      `s#"127.0.0.1/8"#"127.0.0.1/8", "${gateway}"#`,
      "/root/modelbox-service/conf/modelbox.conf",
    ]);
    expect(allow.exitCode).toBe(0);
    const restart = await execIn(container, ["/root/modelbox-service/modelbox", "restart"]);
    expect(restart.exitCode, restart.stderr).toBe(0);

    const page = await httpGet(editorPort, "/editor/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("ModelBox");
    const redirect = await httpGet(editorPort, "/editor");
    expect(redirect.status).toBe(302);
    expect(redirect.location).toMatch(/\/editor\/$/);
    const info = await httpGet(editorPort, "/editor/basic-info");
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ port: 1104 });

    const status = await execIn(container, ["modelbox-tool", "develop", "-q"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^state: running$/m);
  });
}

function describeRuntime(): void {
  let container: Docker.Container;
  let sshPort: number;

  beforeAll(async () => {
    container = await startFixture(FIXTURE_RUNTIME_IMAGE, ["22/tcp"]);
    sshPort = await publishedPort(container, "22/tcp");
  });

  it("runtime: systemd is PID 1, no sshd, no modelbox-tool", async () => {
    expect(await bootState(container)).toBe("running");
    const pid1 = await execIn(container, ["cat", "/proc/1/comm"]);
    expect(pid1.stdout.trim()).toBe("systemd");
    const sshd = await execIn(container, ["sh", "-c", "command -v sshd modelbox-tool"]);
    expect(sshd.stdout.trim()).toBe("");
    // The engine's port proxy accepts, then closes: no banner at all.
    expect(await readBanner("127.0.0.1", sshPort)).toBe("");
  });

  it("runtime: docker stop ends it gracefully (SIGRTMIN+3 reaches systemd)", async () => {
    await container.stop({ t: 30 });
    const state = (await container.inspect()).State;
    expect(state.Running).toBe(false);
    expect(state.ExitCode).toBe(0);
  });
}
