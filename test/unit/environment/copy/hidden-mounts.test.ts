import { describe, expect, it } from "vitest";
import type { ContainerDetails } from "../../../../src/engine/types.js";
import { hiddenMountOf } from "../../../../src/environment/copy/container-paths.js";

function details(hostConfig: Record<string, unknown>): ContainerDetails {
  return {
    id: "c0ffee",
    name: "mybox",
    status: "running",
    image: "img",
    imageId: "sha256:1",
    labels: {},
    created: new Date(0),
    ports: [],
    exitCode: 0,
    hostConfig,
    env: {},
    volumes: [],
    limits: { ulimits: [] },
  };
}

describe("paths the engine's copy cannot reach", () => {
  const env = details({
    Tmpfs: { "/tmp": "", "/run": "", "/run/lock": "" },
    Mounts: [
      { Type: "tmpfs", Target: "/scratch" },
      { Type: "bind", Target: "/data" },
    ],
  });
  it("tmpfs mounts (the environments' /tmp and /run, or a tmpfs mount), the innermost one", () => {
    expect(hiddenMountOf(env, "/tmp")).toEqual({ point: "/tmp", kind: "tmpfs" });
    expect(hiddenMountOf(env, "/tmp/x/")).toEqual({ point: "/tmp", kind: "tmpfs" });
    expect(hiddenMountOf(env, "/run/lock/y")).toEqual({ point: "/run/lock", kind: "tmpfs" });
    expect(hiddenMountOf(env, "/scratch/.")).toEqual({ point: "/scratch", kind: "tmpfs" });
  });
  it("kernel filesystems", () => {
    expect(hiddenMountOf(env, "/proc/cpuinfo")).toEqual({ point: "/proc", kind: "kernel" });
    expect(hiddenMountOf(env, "/dev/shm")).toEqual({ point: "/dev", kind: "kernel" });
  });
  it("everything else, bind mounts included, is reachable", () => {
    for (const path of ["/root", "/tmpdata", "/data/x", "/", "/running"]) {
      expect(hiddenMountOf(env, path), path).toBeUndefined();
    }
    expect(hiddenMountOf(details({}), "/tmp")).toBeUndefined();
  });
});
