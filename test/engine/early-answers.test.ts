/**
 * `ls`'s list, asked for as the command line starts (cli/early-requests.ts), is what the engine
 * says and is taken by `ls` in place of its own call (which would otherwise ask again).
 */
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
  });
});
