/**
 * Engine calls whose answer depends on who got there first: two `up` of one name (or an `up` and
 * a `stop`) race at the engine, and the one that finds the work done must not fail for it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import {
  FIXTURE_RUNTIME_IMAGE,
  TEST_LABEL,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";

const engine = new DockerEngine();

describeEngine("engine calls that find their work already done", () => {
  const name = uniqueName("calls");
  let id = "";

  beforeAll(async () => {
    await removeContainers("calls");
    const container = await engineClient().createContainer({
      name,
      Image: FIXTURE_RUNTIME_IMAGE,
      Entrypoint: ["/bin/sh", "-c", "exec sleep infinity"],
      Labels: { [TEST_LABEL]: "1" },
    });
    id = container.id;
  });
  afterAll(async () => {
    await removeContainers("calls");
  });

  it("starting a container another client started is not an error; it runs", async () => {
    await engineClient().getContainer(id).start();
    // The engine answers 304 with no body here (dockerode: "container already started").
    await expect(engineClient().getContainer(id).start()).rejects.toMatchObject({
      statusCode: 304,
    });
    await expect(engine.startContainer(id)).resolves.toBeUndefined();
    expect((await engine.inspectContainer(id))?.status).toBe("running");
  });

  it("stopping a container another client stopped is not an error", async () => {
    await engineClient().getContainer(id).stop({ t: 0 });
    await expect(engine.stopContainer(id, 0)).resolves.toBeUndefined();
    expect((await engine.inspectContainer(id))?.status).toBe("exited");
  });
});
