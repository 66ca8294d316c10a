/**
 * The fixture images behave like ModelBox images (test/fixture/README.md): systemd as PID 1 that
 * stops on SIGRTMIN+3 with most units removed, sshd in the develop image only, no root password,
 * PID 1's environment in SSH shells, and the `modelbox-tool develop` stand-in with ModelBox's
 * strings, pid files and editor ACL. Reached only through 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
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
import { ACCESS_DENIED, CONTROL, DEVELOP } from "../support/upstream-modelbox.js";

const run = promisify(execFile);
const PREFIX = "fixture-image";
const SERVICE_HOME = "/root/modelbox-service";

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
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
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
    expect(image.Config.Cmd).toEqual(["/sbin/init", "--log-target=journal"]);
    expect(config.StopSignal).toBe("SIGRTMIN+3");
    expect(Object.keys(image.Config.Volumes ?? {}).sort()).toEqual(
      ["/run", "/run/lock", "/sys/fs/cgroup", "/tmp"].sort(),
    );
    expect(image.Config.Env).toContain(
      "NVIDIA_REQUIRE_CUDA=cuda>=11.2 brand=tesla,driver>=418,driver<419 brand=tesla,driver>=440,driver<441",
    );
    expect(image.Config.Labels?.["com.nvidia.cuda.verison"]).toBe("11.2.2");
    expect(image.Config.Labels?.["com.nvidia.volumes.needed"]).toBe("nvidia_driver");
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

  it("develop: as in ModelBox's images, systemd runs sshd and journald and little else", async () => {
    const services = await execIn(container, [
      "systemctl",
      "list-units",
      "--type=service",
      "--state=running",
      "--no-legend",
      "--plain",
    ]);
    const running = services.stdout
      .split("\n")
      .map((l) => l.split(" ")[0])
      .filter(Boolean);
    expect(running.sort()).toEqual(["ssh.service", "systemd-journald.service"]);
    const wants = await execIn(container, ["ls", "/etc/systemd/system/multi-user.target.wants"]);
    expect(wants.stdout.trim().split("\n")).toEqual(["ssh.service"]);
  });

  it("develop: an SSH shell gets PID 1's environment, no idle timeout and a longer history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mbdev-fixture-ssh-"));
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "id")]);
    const pub = readFileSync(join(dir, "id.pub"), "utf8");
    const key = await execIn(
      container,
      ["sh", "-c", "mkdir -p -m 700 /root/.ssh && cat > /root/.ssh/authorized_keys"],
      { stdin: pub },
    );
    expect(key.exitCode).toBe(0);
    // An interactive login shell on a terminal, as a user gets with `ssh host`.
    const { stdout } = await run(
      "sh",
      [
        "-c",
        `printf '%s\\n' 'echo "ENV:$LD_LIBRARY_PATH:$TMOUT:$HISTSIZE:$NVIDIA_VISIBLE_DEVICES"' exit | ssh -tt -i ${dir}/id -p ${sshPort} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1`,
      ],
      { timeout: 30_000 },
    );
    expect(stdout).toContain("ENV:/usr/local/nvidia/lib64:/usr/local/lib:0:1000:all");
  });

  it("develop: modelbox-tool develop -s prints ModelBox's lines; the editor refuses the host until its gateway is allowed", async () => {
    const setup = await execIn(container, ["modelbox-tool", "develop", "-s"]);
    expect(setup.exitCode, setup.stdout).toBe(0);
    const lines = setup.stdout.split("\n").filter(Boolean);
    expect(lines[0]).toMatch(new RegExp(`^${DEVELOP.warningStart}`));
    const info = DEVELOP.info({ home: SERVICE_HOME, ip: "0.0.0.0", port: 1104 });
    const at = lines.indexOf(info[0] ?? "");
    expect(lines.slice(at, at + info.length)).toEqual(info);
    expect(lines.at(-3)).toBe(DEVELOP.starting(SERVICE_HOME, "root"));
    // Without $SSH_CLIENT only loopback is admitted.
    expect(await httpGet(editorPort, "/editor/")).toMatchObject(ACCESS_DENIED);

    const again = await execIn(container, ["modelbox-tool", "develop", "-s"]);
    expect(again.exitCode).toBe(1);
    expect(again.stdout.split("\n")[0]).toBe(DEVELOP.alreadyExists);

    // The host reaches the container from the bridge's gateway (userland proxy or NAT).
    const networks = (await container.inspect()).NetworkSettings.Networks;
    const gateway = Object.values(networks).find((n) => n.Gateway)?.Gateway;
    expect(gateway).toBeTruthy();
    const allow = await execIn(container, [
      "sed",
      "-i",
      `s#"127.0.0.1/8",#"127.0.0.1/8", "${gateway}",#`,
      `${SERVICE_HOME}/conf/modelbox.conf`,
    ]);
    expect(allow.exitCode).toBe(0);
    const restart = await execIn(container, [`${SERVICE_HOME}/modelbox`, "restart"]);
    expect(restart.stdout.trim().split("\n")).toEqual([CONTROL.stopSuccess, CONTROL.startSuccess]);

    const page = await httpGet(editorPort, "/editor/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("ModelBox");
    const redirect = await httpGet(editorPort, "/editor");
    expect(redirect.status).toBe(302);
    expect(redirect.location).toMatch(/\/editor\/$/);
    const info2 = await httpGet(editorPort, "/editor/basic-info");
    expect(info2.status).toBe(200);
    expect(JSON.parse(info2.body)).toMatchObject({ port: 1104, user: "root", home_dir: "/root" });

    const status = await execIn(container, ["modelbox-tool", "develop", "-q"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(
      /^ {2}Service Status: {2}modelbox service is running\. pid \d+$/m,
    );
  });

  it("develop: after a container restart nothing starts the server, its pid file stays in HOME/run, and -q still exits 0", async () => {
    await container.restart({ t: 30 });
    // Right after the start systemd may not answer yet.
    expect(
      await waitFor("systemd to answer", async () => (await bootState(container)) || undefined),
    ).toBe("running");
    editorPort = await publishedPort(container, "1104/tcp"); // a restart may publish a new one
    const pidFile = await execIn(container, ["cat", `${SERVICE_HOME}/run/modelbox.pid`]);
    expect(pidFile.stdout.trim()).toMatch(/^\d+$/);
    expect(await httpGet(editorPort, "/editor/").catch(() => undefined)).toBeUndefined();
    // A stale pid that names a live process (here PID 1) passes for the server.
    await execIn(container, ["sh", "-c", `echo 1 > ${SERVICE_HOME}/run/modelbox.pid`]);
    const query = await execIn(container, ["modelbox-tool", "develop", "-q"]);
    expect(query.exitCode).toBe(0);
    expect(query.stdout).toContain(DEVELOP.serviceStatus(CONTROL.running(1)));
    expect(query.stdout).toContain(DEVELOP.managerStatus(CONTROL.managerNotRunning));
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
