import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { httpGet } from "../../src/access/http-probe.js";
import { generateEd25519KeyPair } from "../../src/access/openssh-key.js";
import { EDITOR_SERVICE_NAME, editorServiceUnit } from "../../src/plan/editor-service-unit.js";
import { prepareScript } from "../../src/plan/kubernetes/prepare-script.js";
import { PREPARE_PATHS } from "../../src/plan/kubernetes/pod-volumes.js";
import {
  describeEngine,
  engineClient,
  execIn,
  FIXTURE_DEVELOP_IMAGE,
  removeContainers,
  systemdHostConfig,
  TEST_LABEL,
  uniqueName,
  waitFor,
} from "../support/engine.js";
import { freePorts } from "../support/fixture-names.js";

const run = promisify(execFile);
const PREFIX = "k8spod";

/**
 * The two pieces of the Kubernetes manifests that are programs rather than data, the init
 * container's script and the developer mode unit, run with real systemd in the develop fixture.
 * Docker plays the kubelet's part by hand: named volumes stand in for the home claim and the /run
 * emptyDir, host directories for the Secret and ConfigMap files. This checks those programs; it
 * applies no manifest and says nothing about a cluster.
 */
describeEngine("the pod's init script and developer mode unit, under real systemd", () => {
  const docker = engineClient();
  const volumes = { home: `${uniqueName(PREFIX)}-home`, run: `${uniqueName(PREFIX)}-run` };
  const work = mkdtempSync(join(tmpdir(), "mbdev-k8spod-"));
  const key = generateEd25519KeyPair("k8s-pod-test");
  const keyFile = join(work, "id_ed25519");
  let sshPort = 0;
  let editorPort = 0;

  beforeAll(async () => {
    await removeContainers(PREFIX);
    [sshPort = 0, editorPort = 0] = await freePorts(2);
    writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
    // What the kubelet projects from the Secret and the ConfigMap.
    for (const [dir, file, text] of [
      ["ssh", "authorized_keys", `${key.publicKey.trim()}\n`],
      ["units", EDITOR_SERVICE_NAME, editorServiceUnit()],
    ] as const) {
      const path = join(work, dir);
      await run("mkdir", ["-p", path]);
      writeFileSync(join(path, file), text);
      chmodSync(join(path, file), 0o400);
    }
    for (const name of Object.values(volumes)) {
      await docker.createVolume({ Name: name, Labels: { [TEST_LABEL]: "true" } });
    }
  });

  afterAll(async () => {
    await removeContainers(PREFIX);
    for (const name of Object.values(volumes)) {
      await docker
        .getVolume(name)
        .remove()
        .catch(() => undefined);
    }
  });

  /** The init container: the script with the volumes at PREPARE_PATHS; returns its exit code. */
  async function prepare(): Promise<{ code: number; logs: string }> {
    const container = await docker.createContainer({
      name: uniqueName(PREFIX),
      Image: FIXTURE_DEVELOP_IMAGE,
      Cmd: ["/bin/sh", "-c", prepareScript({ keys: true, editorUnit: true })],
      Labels: { [TEST_LABEL]: "true" },
      HostConfig: {
        Binds: [
          `${volumes.home}:${PREPARE_PATHS.home}`,
          `${volumes.run}:${PREPARE_PATHS.run}`,
          `${join(work, "ssh")}:${PREPARE_PATHS.keys}:ro`,
          `${join(work, "units")}:${PREPARE_PATHS.units}:ro`,
        ],
      },
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true })).toString("utf8");
    await container.remove({ v: true });
    return { code: StatusCode, logs };
  }

  /** The environment's container: the image's own /sbin/init, home at /root, the /run volume. */
  async function boot(): Promise<Docker.Container> {
    const host = await systemdHostConfig();
    const container = await docker.createContainer({
      name: uniqueName(PREFIX),
      Image: FIXTURE_DEVELOP_IMAGE,
      Tty: true,
      OpenStdin: true,
      Labels: { [TEST_LABEL]: "true" },
      ExposedPorts: { "22/tcp": {}, "1104/tcp": {} },
      HostConfig: {
        ...host,
        Tmpfs: { "/tmp": "", "/run/lock": "" },
        Binds: [...(host.Binds ?? []), `${volumes.run}:/run`, `${volumes.home}:/root`],
        PortBindings: {
          "22/tcp": [{ HostIp: "127.0.0.1", HostPort: String(sshPort) }],
          "1104/tcp": [{ HostIp: "127.0.0.1", HostPort: String(editorPort) }],
        },
      },
    });
    await container.start();
    return container;
  }

  async function unitState(container: Docker.Container): Promise<string> {
    const r = await execIn(container, ["systemctl", "is-active", EDITOR_SERVICE_NAME]);
    return r.stdout.trim();
  }

  /** What kubectl port-forward does: connect from inside the pod's network, i.e. 127.0.0.1. */
  async function editorFromLoopback(container: Docker.Container): Promise<string | undefined> {
    const r = await execIn(container, [
      "python3",
      "-c",
      "import urllib.request as u; print(u.urlopen('http://127.0.0.1:1104/editor/', timeout=5).status)",
    ]);
    return r.stdout.trim() === "200" ? "200" : undefined;
  }

  async function sshLogin(): Promise<number> {
    const r = await run(
      "ssh",
      [
        ...["-i", keyFile, "-p", String(sshPort), "-o", "BatchMode=yes"],
        ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
        ...["-o", "ConnectTimeout=5", "root@127.0.0.1", "true"],
      ],
      { timeout: 15_000 },
    ).then(
      () => 0,
      (err: { code?: number }) => (typeof err.code === "number" ? err.code : 255),
    );
    return r;
  }

  it("first start: the key logs in, developer mode starts at boot and admits 127.0.0.1 only", async () => {
    const first = await prepare();
    expect(first.code, first.logs).toBe(0);
    const container = await boot();
    await waitFor("the developer mode unit", async () =>
      (await unitState(container)) === "active" ? true : undefined,
    );
    const modes = await execIn(container, [
      "stat",
      "-c",
      "%a %U %n",
      "/root",
      "/root/.ssh",
      "/root/.ssh/authorized_keys",
    ]);
    expect(modes.stdout.trim().split("\n")).toEqual([
      "700 root /root",
      "700 root /root/.ssh",
      "600 root /root/.ssh/authorized_keys",
    ]);
    // The image's own /root came along (the fixture's .bashrc), as into an empty Docker volume.
    expect((await execIn(container, ["test", "-f", "/root/.bashrc"])).exitCode).toBe(0);
    await waitFor("a key login", async () => ((await sshLogin()) === 0 ? true : undefined));
    expect(await waitFor("the editor on 127.0.0.1", () => editorFromLoopback(container))).toBe(
      "200",
    );
    // From anywhere else (here the Docker bridge's gateway) the editor refuses.
    const outside = await httpGet("127.0.0.1", editorPort, "/editor/", 5_000);
    expect(outside?.status).toBe(403);
    await container.remove({ force: true, v: true });
  });

  it("a new pod on the same home: the server set up before is restarted, the key is not doubled", async () => {
    // A replaced pod gets a fresh /run; the home claim stays.
    await docker.getVolume(volumes.run).remove();
    await docker.createVolume({ Name: volumes.run, Labels: { [TEST_LABEL]: "true" } });
    const again = await prepare();
    expect(again.code, again.logs).toBe(0);
    const container = await boot();
    // `develop -s` on an existing home fails ("Modelbox already exists."): active means restart.
    await waitFor("the developer mode unit", async () => {
      const state = await unitState(container);
      if (state === "failed") throw new Error("the unit failed");
      return state === "active" ? true : undefined;
    });
    expect(await waitFor("the editor on 127.0.0.1", () => editorFromLoopback(container))).toBe(
      "200",
    );
    const keys = await execIn(container, [
      "grep",
      "-c",
      "k8s-pod-test",
      "/root/.ssh/authorized_keys",
    ]);
    expect(keys.stdout.trim()).toBe("1");
    await waitFor("a key login", async () => ((await sshLogin()) === 0 ? true : undefined));
    await container.remove({ force: true, v: true });
  });
});
