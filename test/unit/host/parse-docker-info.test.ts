import { describe, expect, it } from "vitest";
import { engineFactsSchema } from "../../../src/host/facts.js";
import {
  engineFactsFromInfoJson,
  engineFactsFromPodmanInfo,
  normalizeArch,
  parseDockerInfoText,
  parsePodmanInfoText,
  readSimpleYaml,
} from "../../../src/host/parse-docker-info.js";
import { recordedIn } from "../../support/recorded.js";

const recorded = recordedIn();

describe("parseDockerInfoText", () => {
  it("Docker 1.12.6 legacy format: no cgroup version line means v1; inline security options", () => {
    expect(parseDockerInfoText(recorded("docker/info-1.12.6-legacy-format-no-nvidia.txt"))).toEqual(
      {
        kind: "docker",
        serverVersion: "1.12.6",
        runtimes: ["runc"],
        defaultRuntime: "runc",
        cgroupVersion: 1,
        cgroupDriver: "cgroupfs",
        rootless: false,
        arch: "x86_64",
        os: "Ubuntu 16.04.7 LTS",
        dataRoot: "/var/lib/docker",
        securityOptions: ["apparmor", "seccomp"],
        kernelVersion: "4.4.0-210-generic",
        warnings: ["WARNING: No swap limit support"],
      },
    );
  });

  it("Docker 18.06.1-ce with nvidia as default runtime (CentOS 7)", () => {
    const info = parseDockerInfoText(
      recorded("docker/info-18.06.1-ce-nvidia-default-runtime-centos7.txt"),
    );
    expect(info).toMatchObject({
      serverVersion: "18.06.1-ce",
      runtimes: ["runc", "nvidia"],
      defaultRuntime: "nvidia",
      cgroupVersion: 1,
      os: "CentOS Linux 7 (Core)",
      securityOptions: ["seccomp"],
    });
  });

  it("Docker 18.09.0-ce (older than 19.03) with the nvidia runtime (Manjaro)", () => {
    const info = parseDockerInfoText(
      recorded("docker/info-18.09.0-ce-nvidia-default-runtime-manjaro.txt"),
    );
    expect(info).toMatchObject({
      serverVersion: "18.09.0-ce",
      runtimes: ["runc", "nvidia"],
      defaultRuntime: "nvidia",
      cgroupVersion: 1,
      cgroupDriver: "cgroupfs",
      os: "Manjaro Linux",
    });
  });

  it("Docker 20.10.17 with Client/Server sections: cgroup v2, nested security options", () => {
    const info = parseDockerInfoText(
      recorded("docker/info-20.10.17-cgroup2-nvidia-runtime-ubuntu22.04.txt"),
    );
    expect(info).toMatchObject({
      serverVersion: "20.10.17",
      runtimes: ["nvidia", "runc", "io.containerd.runc.v2", "io.containerd.runtime.v1.linux"],
      defaultRuntime: "runc",
      cgroupVersion: 2,
      cgroupDriver: "systemd",
      rootless: false,
      arch: "x86_64",
      os: "Ubuntu 22.04.5 LTS",
      securityOptions: ["apparmor", "seccomp", "cgroupns"],
    });
  });

  it("Docker 28.0.0-rc.1: the client's Version line is not the server version", () => {
    const info = parseDockerInfoText(
      recorded("docker/info-28.0.0-rc.1-cgroup2-nvidia-runtime-ubuntu24.04.txt"),
    );
    expect(info).toMatchObject({
      serverVersion: "28.0.0-rc.1",
      runtimes: ["runc", "io.containerd.runc.v2", "nvidia"],
      cgroupVersion: 2,
      cgroupDriver: "systemd",
      os: "Ubuntu 24.04.2 LTS",
      kernelVersion: "6.8.0-71-generic",
      securityOptions: ["apparmor", "seccomp", "cgroupns"],
    });
  });

  it("rootless and an unreachable daemon", () => {
    const rootless = parseDockerInfoText(
      "Server:\n Server Version: 24.0.7\n Security Options:\n  seccomp\n   Profile: builtin\n  rootless\n  cgroupns\n",
    );
    expect(rootless.rootless).toBe(true);
    const down = parseDockerInfoText(
      "Client:\n Version: 24.0.7\n\nServer:\nERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\nerrors pretty printing info\n",
    );
    expect(down.serverError).toMatch(/Cannot connect to the Docker daemon/);
    expect(down.serverVersion).toBeUndefined();
  });
});

describe("engineFactsFromInfoJson", () => {
  it("Docker Desktop on an arm64 Mac (docker info --format json)", () => {
    const json = JSON.parse(
      recorded("docker/info-json-24.0.6-docker-desktop-mac-cgroup2-no-nvidia.txt"),
    ) as Record<string, unknown>;
    const info = engineFactsFromInfoJson(json, "1.43");
    expect(info).toEqual({
      kind: "docker",
      serverVersion: "24.0.6",
      apiVersion: "1.43",
      runtimes: ["io.containerd.runc.v2", "runc"],
      defaultRuntime: "runc",
      cgroupVersion: 2,
      cgroupDriver: "cgroupfs",
      rootless: false,
      arch: "aarch64",
      os: "Docker Desktop",
      dataRoot: "/var/lib/docker",
      // MemTotal: the default /dev/shm is a share of it.
      memoryBytes: 8225546240,
      securityOptions: ["seccomp", "cgroupns"],
      kernelVersion: "6.4.16-linuxkit",
      warnings: ["WARNING: daemon is not using the default seccomp profile"],
    });
    expect(info.runtimes).not.toContain("nvidia");
    // With the API version supplied, /info alone makes complete EngineFacts.
    expect(engineFactsSchema.safeParse(info).success).toBe(true);
  });

  it("old engines: no CgroupVersion → 1; plain security option names; arm64 → aarch64; rootless", () => {
    const info = engineFactsFromInfoJson(
      {
        ServerVersion: "18.09.7",
        Architecture: "arm64",
        SecurityOptions: ["name=seccomp,profile=default", "name=rootless"],
        Runtimes: { runc: { path: "runc" }, nvidia: { path: "nvidia-container-runtime" } },
      },
      "1.39",
    );
    expect(info).toMatchObject({
      cgroupVersion: 1,
      arch: "aarch64",
      rootless: true,
      runtimes: ["runc", "nvidia"],
      securityOptions: ["seccomp", "rootless"],
    });
    expect(
      engineFactsFromInfoJson({ SecurityOptions: ["apparmor", "seccomp"] }).securityOptions,
    ).toEqual(["apparmor", "seccomp"]);
  });

  it("normalizeArch", () => {
    expect(["amd64", "x86_64", "arm64", "aarch64", "s390x"].map(normalizeArch)).toEqual([
      "x86_64",
      "x86_64",
      "aarch64",
      "aarch64",
      "s390x",
    ]);
  });
});

describe("podman info", () => {
  const yaml = recorded("podman/info-5.5.1-centos-stream9-cgroup2-crun.txt");

  it("YAML output: kind podman, cgroup v2, crun, rootful", () => {
    expect(parsePodmanInfoText(yaml)).toEqual({
      kind: "podman",
      serverVersion: "5.5.1",
      runtimes: ["crun"],
      defaultRuntime: "crun",
      cgroupVersion: 2,
      cgroupDriver: "systemd",
      rootless: false,
      arch: "x86_64",
      os: "centos 9",
      dataRoot: "/var/lib/containers/storage",
      memoryBytes: 2058506240,
      securityOptions: ["seccomp"],
      kernelVersion: "5.14.0-601.el9.x86_64",
      warnings: [],
    });
  });

  it("the YAML reader keeps lists, nesting and block scalars", () => {
    const doc = readSimpleYaml(yaml);
    const host = doc.host as Record<string, unknown>;
    expect(host.cgroupControllers).toEqual([
      "cpuset",
      "cpu",
      "io",
      "memory",
      "hugetlb",
      "pids",
      "rdma",
      "misc",
    ]);
    expect((host.ociRuntime as Record<string, unknown>).version).toMatch(
      /^crun version 1\.22\ncommit:/,
    );
    expect((host.idMappings as Record<string, unknown>).uidmap).toBeNull();
    expect((doc.registries as Record<string, unknown>).search).toContain("docker.io");
  });

  it("JSON output (same keys, real booleans): rootless podman", () => {
    const info = engineFactsFromPodmanInfo({
      host: {
        arch: "arm64",
        cgroupVersion: "v2",
        security: { rootless: true, seccompEnabled: true },
        ociRuntime: { name: "crun" },
      },
      store: { graphRoot: "/home/u/.local/share/containers/storage" },
      version: { Version: "4.9.3" },
    });
    expect(info).toMatchObject({
      kind: "podman",
      rootless: true,
      arch: "aarch64",
      cgroupVersion: 2,
    });
    expect(info.securityOptions).toEqual(["seccomp", "rootless"]);
  });
});
