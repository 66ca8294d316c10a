import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  loopbackPorts,
  parseJson,
  runCli,
} from "../support/cli.js";
import { describeEngine, engineClient, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

const PREFIX = "e2estale";

let bin = "";
let home = "";
const cli = (args: string[]): Promise<CliResult> => runCli(bin, args, { env: { HOME: home } });

describeEngine("ls and rm with local state whose container went behind modelbox-dev's back", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    rmSync(home, { recursive: true, force: true });
  });

  it("ls names the stale key directory and ssh config entry; rm NAME cleans them", async () => {
    const name = uniqueName(PREFIX);
    const made = await cli([
      "up",
      name,
      "--image",
      DEVELOP_IMAGE,
      ...(await loopbackPorts()).args,
      "--no-default-mounts",
      "--no-develop-mode",
      "--pull",
      "never",
      "--json",
    ]);
    const { id } = parseJson<{ id: string }>(made);
    await engineClient().getContainer(id).remove({ force: true, v: true });
    const keyDirectory = join(home, ".modelbox-dev", "environments", name);

    const listed = await cli(["ls", "--all"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/Stale .*'modelbox-dev rm NAME'/);
    expect(listed.stdout).toContain(
      `${name}: key directory ${keyDirectory} and ~/.ssh/config entry ${name}.modelbox`,
    );
    const json = parseJson<{ stale: { name: string }[] }>(await cli(["ls", "--json"]));
    expect(json.stale.map((s) => s.name)).toContain(name);

    const removed = await cli(["rm", name]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`${name} had no container; removed its key directory`);
    expect(existsSync(keyDirectory)).toBe(false);
    expect((await cli(["ls", "--all"])).stdout).not.toContain(name);
    const again = await cli(["rm", name]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/No environment named/);
  });
});
