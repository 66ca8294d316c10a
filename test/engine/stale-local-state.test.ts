/**
 * Local state follows the engine: the key directory and ~/.ssh/config entry of an environment
 * whose container was removed or renamed with docker are listed by `ls` as stale and cleaned by
 * `rm NAME`; a container of that name that is not modelbox-dev's is left alone.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { environmentFiles, sshConfigPath } from "../../src/access/paths.js";
import { hasEntry, readSshConfig } from "../../src/access/ssh-config-block.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { ls } from "../../src/environment/ls.js";
import { rm } from "../../src/environment/rm.js";
import { up } from "../../src/environment/up.js";
import { ModelboxDevError } from "../../src/errors.js";
import {
  TEST_LABEL,
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";
import { loopbackDevelopOptions, useTestHome } from "../support/up-settings.js";

const engine = new DockerEngine();
const PREFIX = "stalestate";

async function upWithLocalState(name: string): Promise<string> {
  const result = await up(
    {
      ...(await loopbackDevelopOptions(name)),
      developMode: false,
      pull: "never",
      timeout: 90,
    },
    { engine },
  );
  expect(result.ssh?.configHost).toBe(`${name}.modelbox`);
  return result.id;
}

async function hasLocalState(name: string): Promise<{ keys: boolean; entry: boolean }> {
  return {
    keys: existsSync(environmentFiles(name).dir),
    entry: hasEntry(await readSshConfig(sshConfigPath()), name),
  };
}

describeEngine("local state follows the engine", () => {
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("removed with docker: ls lists its key directory and entry as stale, rm NAME cleans them", async () => {
    const name = uniqueName(PREFIX);
    const id = await upWithLocalState(name);
    expect((await ls({ all: true }, { engine })).stale.map((s) => s.name)).not.toContain(name);

    await engineClient().getContainer(id).remove({ force: true, v: true });
    const stale = (await ls({}, { engine })).stale.find((s) => s.name === name);
    expect(stale).toEqual({
      name,
      keyDirectory: environmentFiles(name).dir,
      sshConfigEntry: `${name}.modelbox`,
    });

    const removed = await rm({ name }, { engine });
    expect(removed).toMatchObject({ name, removed: false, forgotten: stale });
    expect(removed.id).toBeUndefined();
    expect(await hasLocalState(name)).toEqual({ keys: false, entry: false });
    expect((await ls({ all: true }, { engine })).stale.map((s) => s.name)).not.toContain(name);
    // Nothing left: rm NAME now says there is no such environment.
    await expect(rm({ name }, { engine })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("renamed with docker: the old name's state is stale, the container is listed under its new name and left alone by rm OLD", async () => {
    const name = uniqueName(PREFIX);
    const renamed = uniqueName(PREFIX);
    const id = await upWithLocalState(name);
    await engineClient().getContainer(id).rename({ name: renamed });

    const listed = await ls({ all: true }, { engine });
    expect(listed.stale.map((s) => s.name)).toContain(name);
    expect(listed.environments.find((e) => e.id === id)?.name).toBe(renamed);

    const removed = await rm({ name }, { engine });
    expect(removed.removed).toBe(false);
    expect(await hasLocalState(name)).toEqual({ keys: false, entry: false });
    expect((await engineClient().getContainer(id).inspect()).State.Running).toBe(true);
    await rm({ name: renamed, force: true }, { engine });
  });

  it("a container of that name that is not modelbox-dev's: rm cleans the state and leaves the container", async () => {
    const name = uniqueName(PREFIX);
    const id = await upWithLocalState(name);
    await engineClient().getContainer(id).remove({ force: true, v: true });
    const foreign = await engineClient().createContainer({
      name,
      Image: DEVELOP_IMAGE,
      Labels: { [TEST_LABEL]: "true" },
    });

    expect((await ls({ all: true }, { engine })).stale.map((s) => s.name)).toContain(name);
    const removed = await rm({ name }, { engine });
    expect(removed.removed).toBe(false);
    expect(removed.note).toMatch(/left alone/);
    expect(await hasLocalState(name)).toEqual({ keys: false, entry: false });
    expect((await foreign.inspect()).Id).toBe(foreign.id);
    // Without local state, such a name is still refused as not ours.
    const again = await rm({ name }, { engine }).catch((err: unknown) => err);
    expect(again).toBeInstanceOf(ModelboxDevError);
    expect((again as ModelboxDevError).code).toBe("NOT_MANAGED");
  });
});
