import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { toContainerSpec } from "../../src/environment/to-container-spec.js";
import { up } from "../../src/environment/up.js";
import type { HostFacts } from "../../src/host/facts.js";
import { candidatePorts, probeHost } from "../../src/host/probe-host.js";
import { plan as planFor } from "../../src/environment/plan.js";
import { prepareUp } from "../../src/environment/prepare-up.js";
import type { EnvironmentOptions } from "../../src/plan/options.js";
import { renderShellScript } from "../../src/plan/render-shell-script.js";
import { testUpOptions, useTestHome } from "../support/up-settings.js";
import {
  describeDockerOnly,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const run = promisify(execFile);
const engine = new DockerEngine();

/**
 * Differences that are the client's spelling, not the container's: the docker CLI sends [] where
 * the API leaves a field out (the engine treats null and [] alike), and newer CLIs write
 * capabilities with the CAP_ prefix that the engine adds anyway.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length === 0
      ? null
      : value.map((v) => (typeof v === "string" ? v.replace(/^CAP_/, "") : normalize(v)));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** HostConfig and the Config fields `docker run` options set, as `docker inspect` reports them. */
async function inspectShape(name: string) {
  const c = await engineClient().getContainer(name).inspect();
  const labels = { ...c.Config.Labels };
  // up also records the image it found (id, CUDA version): facts the script cannot know.
  for (const key of Object.keys(labels))
    if (/\.(image-id|image-digest|cuda-version|image-version)$/.test(key)) delete labels[key];
  // The docker CLI collects -v options in a map, so its Binds come in no fixed order (each
  // target appears once, so order carries no meaning): compare them sorted.
  const hostConfig = normalize(c.HostConfig) as typeof c.HostConfig;
  hostConfig.Binds?.sort();
  // Likewise --ulimit options (a map in the CLI).
  (hostConfig.Ulimits as Array<{ Name: string }> | null)?.sort((a, b) =>
    a.Name.localeCompare(b.Name),
  );
  return {
    hostConfig,
    config: {
      Image: c.Config.Image,
      Tty: c.Config.Tty,
      OpenStdin: c.Config.OpenStdin,
      StopTimeout: (c.Config as { StopTimeout?: number }).StopTimeout,
      Env: c.Config.Env,
      ExposedPorts: c.Config.ExposedPorts,
      Labels: labels,
    },
  };
}

async function runScript(
  script: string,
  dockerCommand: "run" | "create",
  env: Record<string, string> = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "mbdev-script-"));
  const path = join(dir, "start_docker.sh");
  // `docker create` takes the same options as `docker run` but -d: used where start must fail here.
  const body =
    dockerCommand === "run"
      ? script
      : script.replace("  -itd\n", "  -it\n").replace('docker run "$', 'docker create "$');
  await writeFile(path, body);
  await run("bash", [path], { env: { ...process.env, ...env } });
}

/** Rendering the plan and running it, versus applying it through the Engine API. */
async function compare(
  options: EnvironmentOptions,
  facts: HostFacts,
  dockerCommand: "run" | "create",
) {
  const name = options.name ?? "";
  // The script and up from the same options, as `modelbox-dev script` and `up` would get them.
  const upOptions = testUpOptions(options, { facts });
  const { plan } = await planFor(upOptions, { engine });
  // Variables given by name take their values from the shell that runs the script.
  await runScript(renderShellScript(plan), dockerCommand, options.userEnv?.values.fromFlags);
  const fromScript = await inspectShape(name);
  await engineClient().getContainer(name).remove({ force: true, v: true });

  if (dockerCommand === "run") {
    await up(upOptions, { engine });
  } else {
    // As up's create step makes it: the plan, and the variables' values read beside it.
    const prepared = await prepareUp(engine, upOptions, "execute");
    await engine.createContainer(toContainerSpec(prepared.plan, {}, prepared.secrets.env));
  }
  const fromApi = await inspectShape(name);
  await engineClient().getContainer(name).remove({ force: true, v: true });
  return { fromScript, fromApi };
}

describeDockerOnly(
  "the rendered script and up create the same container",
  "the script runs the docker CLI, which refuses Podman 4.3's service ('unknown server OS')",
  () => {
    let facts: HostFacts;
    beforeAll(async () => {
      useTestHome();
      await tagFixtures();
      await removeContainers("script");
      facts = await probeHost(engine, { ports: candidatePorts([50022, 1104, 8080]) });
    });
    afterAll(async () => {
      await removeContainers("script");
    });

    it("on this host (no GPU, real probes): identical HostConfig in docker inspect", async () => {
      const name = uniqueName("script");
      const [ssh, editor, http] = await freePorts(3);
      const dir = await mkdtemp(join(tmpdir(), "mbdev-mount-"));
      const { fromScript, fromApi } = await compare(
        {
          name,
          image: DEVELOP_IMAGE,
          bind: "127.0.0.1",
          sshPort: ssh,
          editorPort: editor,
          httpPort: http,
          debug: "ptrace",
          mounts: [`${dir}:/data:ro`],
        },
        facts,
        "run",
      );
      expect(fromApi.hostConfig).toEqual(fromScript.hostConfig);
      expect(fromApi.config).toEqual(fromScript.config);
      // And it is the seed's container: the binds and tmpfs it documents.
      expect(fromApi.hostConfig.Binds).toEqual(
        [
          "/sys/fs/cgroup:/sys/fs/cgroup:ro",
          "/opt/modelbox:/opt/modelbox",
          "/home:/home",
          `${dir}:/data:ro`,
          `modelbox-dev-home-${name}:/root`,
        ].sort(),
      );
    });

    it("with --publish, variables, limits and the /root volume: identical HostConfig and Env", async () => {
      const name = uniqueName("script");
      const [ssh, editor, http, extra] = await freePorts(4);
      const dir = await mkdtemp(join(tmpdir(), "mbdev-envfile-"));
      const envFile = join(dir, "app.env");
      await writeFile(envFile, "FROM_FILE=one two\n# comment\nQUOTED='kept as is'\n");
      const { fromScript, fromApi } = await compare(
        {
          name,
          image: DEVELOP_IMAGE,
          bind: "127.0.0.1",
          sshPort: ssh,
          editorPort: editor,
          httpPort: http,
          defaultMounts: false,
          publish: [`127.0.0.1:${extra}:6006`, `127.0.0.1:${extra}:5353/udp`],
          userEnv: {
            values: {
              fromFiles: { FROM_FILE: "one two", QUOTED: "'kept as is'" },
              fromFlags: { TOKEN: "t0k3n value" },
            },
            files: [envFile],
          },
          cpus: "1.5",
          memory: "2g",
          shmSize: "512m",
          ulimits: ["nofile=4096:8192", "core=-1"],
        },
        facts,
        "create",
      );
      expect(fromApi.hostConfig).toEqual(fromScript.hostConfig);
      expect(fromApi.config).toEqual(fromScript.config);
      expect(fromApi.hostConfig.Binds).toContain(`modelbox-dev-home-${name}:/root`);
      expect(fromApi.hostConfig.ShmSize).toBe(512 * 1024 ** 2);
      expect(fromApi.config.Env).toEqual(
        expect.arrayContaining(["FROM_FILE=one two", "QUOTED='kept as is'", "TOKEN=t0k3n value"]),
      );
    });

    it("with GPUs and Ascend chips (injected facts; created, not started, as this host has neither)", async () => {
      const name = uniqueName("script");
      const [ssh, editor, http] = await freePorts(3);
      const withAccelerators: HostFacts = {
        ...facts,
        nvidia: {
          smi: "ok",
          driverVersion: "535.104.05",
          cudaVersion: "12.2",
          gpus: [
            { index: 0, name: "Tesla T4" },
            { index: 1, name: "Tesla T4" },
          ],
          toolkitPresent: true,
        },
        ascend: { chips: [0, 1, 2, 3], npuSmi: "ok", chipName: "310" },
      };
      const { fromScript, fromApi } = await compare(
        {
          name,
          image: DEVELOP_IMAGE,
          bind: "127.0.0.1",
          sshPort: ssh,
          editorPort: editor,
          httpPort: http,
          gpus: "0,1",
          npu: "0-1",
          debug: "privileged",
          defaultMounts: false,
        },
        withAccelerators,
        "create",
      );
      expect(fromApi.hostConfig).toEqual(fromScript.hostConfig);
      expect(fromApi.config).toEqual(fromScript.config);
      expect(fromApi.hostConfig.DeviceRequests).toEqual([
        { Driver: "", Count: 0, DeviceIDs: ["0", "1"], Capabilities: [["gpu"]], Options: {} },
      ]);
      const devices = fromApi.hostConfig.Devices as Array<{ PathOnHost: string }>;
      expect(devices.map((d) => d.PathOnHost)).toEqual([
        "/dev/davinci0",
        "/dev/davinci1",
        "/dev/davinci_manager",
        "/dev/hisi_hdc",
        "/dev/devmm_svm",
      ]);
      expect(fromApi.config.Env).toContain("NVIDIA_DRIVER_CAPABILITIES=compute,utility,video");
    });
  },
);
