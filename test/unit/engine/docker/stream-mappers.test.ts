import { describe, expect, it } from "vitest";
import { toContainerEvent } from "../../../../src/engine/docker/container-events.js";
import { toStatsSample } from "../../../../src/engine/docker/container-stats.js";

describe("engine events in our own shape", () => {
  it("keeps the container's labels and name, without the engine's own attributes", () => {
    const event = toContainerEvent({
      Type: "container",
      Action: "die",
      Actor: {
        ID: "abc",
        Attributes: {
          name: "dev1",
          image: "modelbox/x:latest",
          exitCode: "0",
          "io.modelbox-dev.managed": "true",
        },
      },
      time: 1700000000,
      timeNano: 1700000000123456000,
    });
    expect(event).toMatchObject({
      action: "die",
      id: "abc",
      name: "dev1",
      labels: { "io.modelbox-dev.managed": "true" },
    });
    expect(event?.labels).not.toHaveProperty("exitCode");
    expect(event?.time.getTime()).toBe(1700000000123);
  });

  it("takes the verb of exec events and ignores events of other objects", () => {
    const exec = toContainerEvent({
      Type: "container",
      Action: "exec_start: bash -l",
      Actor: { ID: "abc", Attributes: { name: "dev1" } },
      time: 1,
    });
    expect(exec?.action).toBe("exec_start");
    expect(toContainerEvent({ Type: "image", Action: "pull", Actor: { ID: "x" } })).toBeUndefined();
  });
});

describe("container stats as docker stats shows them", () => {
  it("CPU is the share of host CPU time since the last report, times the CPUs", () => {
    const sample = toStatsSample({
      read: "2024-01-01T00:00:01Z",
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 100, limit: 1_000, stats: { inactive_file: 30 } },
    });
    expect(sample.cpuPercent).toBeCloseTo(80);
    expect(sample.memoryBytes).toBe(70);
    expect(sample.memoryLimitBytes).toBe(1_000);
    expect(sample.time.toISOString()).toBe("2024-01-01T00:00:01.000Z");
  });

  it("the first report (no previous one) and cgroup v1 cache fields", () => {
    const sample = toStatsSample({
      cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2] }, system_cpu_usage: 9 },
      precpu_stats: {},
      memory_stats: { usage: 100, limit: 500, stats: { total_inactive_file: 40 } },
    });
    expect(sample.cpuPercent).toBeGreaterThan(0);
    expect(sample.memoryBytes).toBe(60);
    const idle = toStatsSample({ cpu_stats: {}, precpu_stats: {}, memory_stats: {} });
    expect(idle).toMatchObject({ cpuPercent: 0, memoryBytes: 0, memoryLimitBytes: 0 });
  });
});
