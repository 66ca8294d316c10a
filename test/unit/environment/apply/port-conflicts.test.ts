import { describe, expect, it } from "vitest";
import type { ContainerEngine, ContainerSummary } from "../../../../src/engine/types.js";
import { EngineCallError } from "../../../../src/engine/types.js";
import {
  PortTakenError,
  assertPortsFree,
  takenPortIn,
} from "../../../../src/environment/apply/port-conflicts.js";
import { LABELS } from "../../../../src/labels.js";
import { planEnvironment } from "../../../../src/plan/plan-environment.js";
import { dockerFacts } from "../../../support/facts.js";

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";

/** An engine that knows only its containers: what naming a port's holder needs. */
function engineWith(containers: ContainerSummary[]): ContainerEngine {
  return {
    listContainers: () => Promise.resolve(containers),
    inspectContainer: () => Promise.resolve(undefined),
  } as unknown as ContainerEngine;
}

const web: ContainerSummary = {
  id: "abc",
  name: "web-1",
  status: "running",
  image: "nginx",
  labels: {},
  created: new Date(0),
  ports: [{ hostIp: "0.0.0.0", hostPort: 50022, containerPort: 80 }],
};
const takenOnly =
  (...taken: number[]) =>
  (port: number) =>
    Promise.resolve(!taken.includes(port));

describe("a port taken between the check and the start", () => {
  it("reads the port from the engine's refusals, old and new wording", () => {
    const allocated = new EngineCallError(
      "driver failed programming external connectivity on endpoint x (1a2b): Bind for 127.0.0.1:50023 failed: port is already allocated",
    );
    const bound = new EngineCallError(
      "driver failed programming external connectivity on endpoint x: Error starting userland proxy: listen tcp4 0.0.0.0:8081: bind: address already in use",
    );
    expect(takenPortIn(allocated)).toBe(50023);
    expect(takenPortIn(bound)).toBe(8081);
    expect(takenPortIn(new EngineCallError("no such image"))).toBeUndefined();
    expect(takenPortIn(new Error("Bind for 0.0.0.0:1 failed: port is already allocated"))).toBe(
      undefined,
    );
  });

  it("a default port is movable: up plans again with the next free one", async () => {
    const plan = planEnvironment({ image: IMAGE, name: "box" }, dockerFacts());
    const err = await assertPortsFree(engineWith([web]), plan, takenOnly(50022)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortTakenError);
    const taken = err as PortTakenError;
    expect(taken.movable).toBe(true);
    expect(taken.port).toMatchObject({ purpose: "ssh", hostPort: 50022, source: "default" });
    expect(taken.message).toContain("container web-1");
  });

  it("an explicit port stays an error that names its holder and says what to do", async () => {
    const plan = planEnvironment({ image: IMAGE, name: "box", editorPort: 1204 }, dockerFacts());
    const err = (await assertPortsFree(engineWith([]), plan, takenOnly(1204)).catch(
      (e: unknown) => e,
    )) as PortTakenError;
    expect(err.movable).toBe(false);
    expect(err.code).toBe("PORT_IN_USE");
    expect(err.message).toBe("Host port 1204 (--editor-port) is already in use by host process.");
    expect(err.hint).toContain("--editor-port 1205");
  });

  it("this up's own container never counts as the holder", async () => {
    const plan = planEnvironment({ image: IMAGE, name: "box" }, dockerFacts());
    const own: ContainerSummary = {
      ...web,
      name: "box",
      labels: { [LABELS.managed]: "true", [LABELS.ports]: "ssh=50022" },
      ports: [],
    };
    const err = (await assertPortsFree(engineWith([own]), plan, takenOnly(50022)).catch(
      (e: unknown) => e,
    )) as PortTakenError;
    expect(err.holder).toMatchObject({ port: 50022, by: "host" });
  });
});
