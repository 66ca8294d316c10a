/**
 * `ls`'s list, asked for as the command line starts (cli/early-requests.ts), is what the engine
 * says and is taken by `ls` in place of its own call (which would otherwise ask again); an
 * engine's first looks go out before dockerode is made, and say what dockerode's would.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import {
  askEarly,
  containerListPath,
  takeEarlyAnswer,
} from "../../src/engine/docker/early-answers.js";
import { engineTarget } from "../../src/engine/select/choose-engine.js";
import { ls } from "../../src/environment/ls.js";
import { LABELS, MANAGED_FILTER } from "../../src/labels.js";
import {
  TEST_LABEL,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";
import { useTestHome } from "../support/up-settings.js";

const PREFIX = "earlyls";

describeEngine("ls from an early answer", () => {
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("an environment made just before is listed from the early answer, and the answer is used up", async () => {
    const { endpoint } = engineTarget();
    if (endpoint.transport !== "unix") throw new Error("the test engine is reached by a socket");
    const name = uniqueName(PREFIX);
    await engineClient().createContainer({
      Image: DEVELOP_IMAGE,
      name,
      Labels: { [TEST_LABEL]: "true", [LABELS.managed]: "true", [LABELS.name]: name },
    });
    const path = containerListPath({ all: true, labels: [MANAGED_FILTER] });
    await askEarly(endpoint.socketPath, path);

    const early = await ls({ all: true }, { engine: new DockerEngine() });
    expect(await takeEarlyAnswer(endpoint.socketPath, path)).toBeUndefined();
    const asked = await ls({ all: true }, { engine: new DockerEngine() });
    const mine = (r: typeof early) => r.environments.filter((e) => e.name.includes(PREFIX));
    expect(mine(early)).toEqual(mine(asked));
    expect(mine(early).map((e) => [e.name, e.state])).toEqual([[name, "created"]]);

    // Its inspection kept (the first ls made it), an ls answered early needs no dockerode
    // (~15-20 ms to load): none is made.
    await askEarly(endpoint.socketPath, path);
    const engine = new DockerEngine();
    expect(mine(await ls({ all: true }, { engine }))).toEqual(mine(early));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((engine as unknown as { dockerode?: unknown }).dockerode).toBeUndefined();
  });

  it("a new engine's first looks go out before dockerode is made, and answer as dockerode's do", async () => {
    const { endpoint, connection } = engineTarget();
    if (endpoint.transport !== "unix") throw new Error("the test engine is reached by a socket");
    const name = uniqueName(PREFIX);
    await engineClient().createContainer({
      Image: DEVELOP_IMAGE,
      name,
      Labels: { [TEST_LABEL]: "true" },
    });
    try {
      const early = new DockerEngine({ endpoint, connection });
      const looks = (engine: DockerEngine) =>
        Promise.all([
          engine.inspectContainer(name),
          engine.inspectContainer(`${name}-missing`),
          engine.inspectImage(DEVELOP_IMAGE),
          engine.inspectImage("modelbox-dev-fixture/none:missing"),
          engine.inspectVolume(`${name}-missing`),
          engine.version(),
          engine.info().then((info) => Object.keys(info).sort()),
        ]);
      const asked = looks(early);
      // Asked: from here on, dockerode (once made) would reach no engine. The looks must come
      // from the answers to the requests already on their way.
      (early as unknown as { options: object }).options = {
        socketPath: join(tmpdir(), "mbdev-no-engine.sock"),
        host: undefined,
        port: undefined,
        protocol: "http",
      };
      const viaEarly = await asked;
      await expect(early.listImages()).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });

      // The same looks through dockerode, made first by a look it cannot answer early.
      const plain = new DockerEngine({ endpoint, connection });
      await plain.listImages();
      // The engine lists a container's volumes in no set order, from one inspection to the next.
      const sorted = (all: Awaited<ReturnType<typeof looks>>) => {
        const container = all[0];
        return container
          ? [
              {
                ...container,
                volumes: [...container.volumes].sort((a, b) => (a.target < b.target ? -1 : 1)),
              },
              ...all.slice(1),
            ]
          : all;
      };
      expect(sorted(await looks(plain))).toEqual(sorted(viaEarly));
      expect(viaEarly[0]?.name).toBe(name);
      expect(viaEarly[1]).toBeUndefined();
      expect(viaEarly[3]).toBeUndefined();
      expect(viaEarly[4]).toBeUndefined();
    } finally {
      await engineClient().getContainer(name).remove({ force: true, v: true });
    }
  });
});
