import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import type { ContainerEvent, TerminalSession } from "../../src/engine/types.js";
import { stats, terminal, watch } from "../../src/environment/observe.js";
import { LABELS } from "../../src/labels.js";
import {
  FIXTURE_RUNTIME_IMAGE,
  describeEngine,
  engineClient,
  execIn,
  removeContainers,
  uniqueName,
  waitFor,
} from "../support/engine.js";

const engine = new DockerEngine();

/** A plain process in the fixture image: enough for events, stats, logs and a shell. */
async function createContainer(name: string, managed: boolean): Promise<string> {
  const container = await engineClient().createContainer({
    name,
    Image: FIXTURE_RUNTIME_IMAGE,
    Entrypoint: ["/bin/sh", "-c", "echo observed-log-line; exec sleep infinity"],
    Labels: managed
      ? { [LABELS.managed]: "true", [LABELS.name]: name, "modelbox-dev-test": "1" }
      : {},
    HostConfig: { AutoRemove: false },
  });
  return container.id;
}

/** Waits for a condition on what has been collected so far. */
function until(what: string, check: () => boolean): Promise<boolean> {
  return waitFor(what, () => Promise.resolve(check()));
}

function terminalText(session: TerminalSession): () => string {
  let text = "";
  session.onOutput((chunk) => (text += chunk.toString("utf8")));
  return () => text;
}

describeEngine("watching environments on a real engine", () => {
  const managed = uniqueName("observe");
  const unmanaged = uniqueName("observe");

  beforeAll(async () => {
    await removeContainers("observe");
    await createContainer(managed, true);
    await createContainer(unmanaged, false);
    await engineClient().getContainer(managed).start();
    await engineClient().getContainer(unmanaged).start();
  });
  afterAll(async () => {
    await removeContainers("observe");
  });

  it("the event stream reports a managed environment stopping and starting, and nothing of others", async () => {
    const abort = new AbortController();
    const seen: ContainerEvent[] = [];
    const watching = (async () => {
      for await (const event of watch({ engine, signal: abort.signal })) seen.push(event);
    })();
    // The stream is open once the engine has answered; give it a moment, then act.
    await new Promise((r) => setTimeout(r, 500));
    await engineClient().getContainer(unmanaged).stop({ t: 0 });
    await engineClient().getContainer(managed).stop({ t: 0 });
    await engineClient().getContainer(managed).start();
    await until("the start event", () =>
      seen.some((e) => e.name === managed && e.action === "start"),
    );
    abort.abort();
    await watching;
    const actions = seen.filter((e) => e.name === managed).map((e) => e.action);
    expect(actions).toContain("die");
    expect(actions).toContain("start");
    expect(seen.some((e) => e.name === unmanaged)).toBe(false);
    expect(seen.every((e) => e.labels[LABELS.managed] === "true")).toBe(true);
  });

  it("a page that leaves at once ends the streams quietly, before the engine has answered", async () => {
    const abort = new AbortController();
    const events = watch({ engine, signal: abort.signal })[Symbol.asyncIterator]();
    const samples = stats({ name: managed }, { engine, signal: abort.signal })[
      Symbol.asyncIterator
    ]();
    const pending = [events.next(), samples.next()];
    abort.abort();
    for (const result of await Promise.all(pending)) expect(result.done).toBe(true);
  });

  it("stats give CPU and memory samples of a running environment", async () => {
    const abort = new AbortController();
    const samples = [];
    for await (const sample of stats({ name: managed }, { engine, signal: abort.signal })) {
      samples.push(sample);
      if (samples.length === 2) abort.abort();
    }
    expect(samples).toHaveLength(2);
    expect(samples[1]?.memoryBytes).toBeGreaterThan(0);
    expect(samples[1]?.memoryLimitBytes).toBeGreaterThan(samples[1]?.memoryBytes ?? 0);
    expect(samples[1]?.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it("a terminal runs commands, follows resizes, and closing it ends what runs in it", async () => {
    const session = await terminal({ name: managed, columns: 91, rows: 27 }, { engine });
    const output = terminalText(session);
    session.write("stty size; echo term-$TERM\n");
    await until("the first size", () => output().includes("27 91"));
    await until("TERM", () => output().includes("term-xterm-256color"));
    await session.resize({ columns: 120, rows: 40 });
    session.write("stty size\n");
    await until("the new size", () => output().includes("40 120"));
    session.write("sleep 7777\n");
    const container = engineClient().getContainer(managed);
    await waitFor("sleep running", async () =>
      (await execIn(container, ["ps", "ax"])).stdout.includes("sleep 7777"),
    );
    await session.close();
    await waitFor("the terminal's processes gone", async () => {
      const ps = (await execIn(container, ["ps", "ax"])).stdout;
      return !ps.includes("sleep 7777") && !/\bbash -l\b/.test(ps);
    });
    await session.exited;
  });

  it("terminal and stats refuse containers modelbox-dev does not manage", async () => {
    const size = { columns: 80, rows: 24 };
    await expect(terminal({ name: unmanaged, ...size }, { engine })).rejects.toMatchObject({
      code: "NOT_MANAGED",
    });
    const abort = new AbortController();
    const samples = stats({ name: unmanaged }, { engine, signal: abort.signal })[
      Symbol.asyncIterator
    ]();
    await expect(samples.next()).rejects.toMatchObject({ code: "NOT_MANAGED" });
  });

  it("a terminal needs a running environment", async () => {
    await engineClient().getContainer(managed).stop({ t: 0 });
    await expect(
      terminal({ name: managed, columns: 80, rows: 24 }, { engine }),
    ).rejects.toMatchObject({ code: "NOT_RUNNING" });
  });
});
