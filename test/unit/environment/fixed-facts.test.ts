import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContainerDetails, ContainerSummary } from "../../../src/engine/types.js";
import {
  type FixedFacts,
  fixedFactsOf,
  isFixedFacts,
  withFixedFacts,
} from "../../../src/environment/fixed-facts.js";
import { readFixedFacts, writeFixedFacts } from "../../../src/environment/fixed-facts-cache.js";
import { knownAcceleratorsInUse } from "../../../src/environment/known-facts.js";
import type { ContainerEngine } from "../../../src/engine/types.js";
import { probeAcceleratorsInUse } from "../../../src/host/probe-host.js";

const summary: ContainerSummary = {
  id: "c1",
  name: "env",
  status: "exited",
  image: "sha256:1234",
  labels: {},
  created: new Date("2026-12-01T10:00:00.000Z"),
  ports: [],
};

function details(extra: Partial<ContainerDetails>): ContainerDetails {
  return {
    ...summary,
    image: "modelbox/dev:1",
    created: new Date("2026-12-01T10:00:00.123Z"),
    imageId: "sha256:1234",
    exitCode: 0,
    hostConfig: {},
    env: {},
    volumes: [],
    limits: { ulimits: [] },
    ...extra,
  };
}

const binding = { hostIp: "127.0.0.1", hostPort: 50022, containerPort: 22 };

describe("fixed facts", () => {
  it("keep what the list lacks: the image as created, created to the ms, bindings, devices", () => {
    const facts = fixedFactsOf(
      details({
        bindings: [binding],
        hostConfig: { DeviceRequests: [{ Driver: "nvidia", DeviceIDs: ["1"] }] },
      }),
    );
    expect(facts).toEqual({
      image: "modelbox/dev:1",
      created: "2026-12-01T10:00:00.123Z",
      bindings: [binding],
      held: { gpus: ["1"], npuChips: [] },
    });
    const completed = withFixedFacts(summary, facts);
    expect(completed.image).toBe("modelbox/dev:1");
    expect(completed.created.toISOString()).toBe("2026-12-01T10:00:00.123Z");
    expect(completed.ports).toEqual([binding]);
  });

  it("a running container's live ports win over its bindings", () => {
    const live = { ...binding, hostPort: 40001 };
    const facts = fixedFactsOf(details({ bindings: [binding] }));
    expect(withFixedFacts({ ...summary, status: "running", ports: [live] }, facts).ports).toEqual([
      live,
    ]);
  });

  it("refuse a broken entry", () => {
    expect(isFixedFacts({ image: "x", created: "not a date", bindings: [], held: {} })).toBe(false);
    expect(isFixedFacts(fixedFactsOf(details({})))).toBe(true);
  });
});

describe("fixed facts cache", () => {
  const savedHome = process.env.HOME;
  beforeEach(() => {
    process.env.HOME = mkdtempSync(join(tmpdir(), "mbdev-facts-"));
  });
  afterEach(() => {
    process.env.HOME = savedHome;
  });

  it("reads back what it wrote, per engine, and treats a broken file or entry as a miss", async () => {
    const facts: FixedFacts = fixedFactsOf(details({ bindings: [binding] }));
    expect((await readFixedFacts("unix:///a.sock")).size).toBe(0);
    await writeFixedFacts("unix:///a.sock", new Map([["c1", facts]]));
    expect((await readFixedFacts("unix:///a.sock")).get("c1")).toEqual(facts);
    expect((await readFixedFacts("unix:///b.sock")).size).toBe(0);

    const dir = join(process.env.HOME ?? "", ".modelbox-dev", "cache", "containers");
    const [file] = readdirSync(dir);
    const path = join(dir, file ?? "");
    const content = JSON.parse(readFileSync(path, "utf8")) as {
      containers: Record<string, unknown>;
    };
    content.containers.c2 = { image: 1 };
    writeFileSync(path, JSON.stringify(content));
    expect([...(await readFixedFacts("unix:///a.sock")).keys()]).toEqual(["c1"]);
    writeFileSync(path, "{not json");
    expect((await readFixedFacts("unix:///a.sock")).size).toBe(0);
  });

  it("keeps an engine whose address is too long for a file name (hashed) apart from others", async () => {
    const facts: FixedFacts = fixedFactsOf(details({ bindings: [binding] }));
    const long = (n: number) => `ssh://builder@${"h".repeat(300)}.example:${n}`;
    await writeFixedFacts(long(22), new Map([["c1", facts]]));
    expect((await readFixedFacts(long(22))).get("c1")).toEqual(facts);
    expect((await readFixedFacts(long(2222))).size).toBe(0);
    const dir = join(process.env.HOME ?? "", ".modelbox-dev", "cache", "containers");
    expect(readdirSync(dir).every((f) => f.length <= 255)).toBe(true);
  });

  it("say what running environments hold, inspecting each only the first time", async () => {
    const managed = { "io.modelbox-dev.managed": "true", "io.modelbox-dev.owner": "ann" };
    const gpuHolder = details({
      id: "g1",
      name: "gpu-env",
      status: "running",
      labels: managed,
      hostConfig: { DeviceRequests: [{ Driver: "nvidia", DeviceIDs: ["0", "1"] }] },
    });
    const plain = details({ id: "p1", name: "plain", status: "running", labels: managed });
    const stopped = details({
      id: "s1",
      name: "stopped",
      labels: managed,
      hostConfig: { DeviceRequests: [{ Driver: "nvidia", DeviceIDs: ["2"] }] },
    });
    const foreign = details({ id: "f1", name: "foreign", status: "running" });
    const all = [gpuHolder, plain, stopped, foreign];
    const inspected: string[] = [];
    // Only what the function asks of an engine: its address and inspections.
    const engine = {
      connection: { url: "unix:///held.sock" },
      inspectContainer: (id: string) => {
        inspected.push(id);
        return Promise.resolve(all.find((c) => c.id === id));
      },
    } as unknown as ContainerEngine;
    const list: ContainerSummary[] = all.map((c) => ({ ...summary, ...c }));
    const expected = [{ environment: "gpu-env", owner: "ann", gpus: ["0", "1"], npuChips: [] }];

    expect(await knownAcceleratorsInUse(engine, list)).toEqual(expected);
    expect(inspected.sort()).toEqual(["g1", "p1"]);
    // The same answer as inspecting every time, with no inspection now.
    inspected.length = 0;
    expect(await knownAcceleratorsInUse(engine, list)).toEqual(expected);
    expect(inspected).toEqual([]);
    expect(await probeAcceleratorsInUse(engine, list)).toEqual(expected);
  });
});
