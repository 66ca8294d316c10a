import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { up } from "../../src/environment/up.js";
import { ModelboxDevError } from "../../src/errors.js";
import { candidatePorts, probeHost } from "../../src/host/probe-host.js";
import { testUpOptions } from "../support/up-settings.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const engine = new DockerEngine();

describeEngine("preflight against the real image (R13)", () => {
  beforeAll(async () => {
    await tagFixtures();
  });
  afterAll(async () => {
    await removeContainers("preflight");
  });

  it("the image's NVIDIA_REQUIRE_CUDA is checked against the driver before anything is created", async () => {
    const name = uniqueName("preflight");
    const [ssh, editor, http] = await freePorts(3);
    // This machine has no GPU: the real facts get a GPU with an old driver injected.
    const real = await probeHost(engine, { ports: candidatePorts([50022, 1104, 8080]) });
    const facts = {
      ...real,
      nvidia: {
        smi: "ok" as const,
        driverVersion: "450.80.02",
        cudaVersion: "11.0",
        gpus: [{ index: 0, name: "GeForce RTX 3090" }],
        toolkitPresent: true,
      },
    };
    const err = await up(
      testUpOptions(
        {
          name,
          image: DEVELOP_IMAGE,
          gpus: "all",
          bind: "127.0.0.1",
          sshPort: ssh,
          editorPort: editor,
          httpPort: http,
        },
        { facts },
      ),
      { engine },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelboxDevError);
    expect((err as ModelboxDevError).code).toBe("CUDA_REQUIREMENT");
    expect((err as ModelboxDevError).details.join("\n")).toContain("cuda>=11.2");
    expect(await engine.inspectContainer(name)).toBeUndefined();
  });
});
