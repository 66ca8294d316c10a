import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { LABELS } from "../../src/labels.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { environmentFiles, sshConfigPath } from "../../src/access/paths.js";
import { hasEntry, readSshConfig } from "../../src/access/ssh-config-block.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import type { OperationEvent } from "../../src/environment/operation.js";
import { up } from "../../src/environment/up.js";
import { ModelboxDevError } from "../../src/errors.js";
import type { StepId } from "../../src/plan/types.js";
import type { UpOptions } from "../../src/plan/options.js";
import { loopbackDevelopOptions, useTestHome } from "../support/up-settings.js";
import { readBanner } from "../../src/environment/readiness.js";
import {
  describeEngine,
  engineClient,
  removeContainers,
  uniqueName,
  waitFor,
} from "../support/engine.js";
import { RUNTIME_IMAGE, tagFixtures } from "../support/fixture-names.js";

const run = promisify(execFile);
const engine = new DockerEngine();
const PREFIX = "recreate";

async function options(name: string): Promise<UpOptions> {
  return { ...(await loopbackDevelopOptions(name)), pull: "never", timeout: 90 };
}

/** An `up` that is interrupted (as Ctrl-C does) once the given step has finished. */
function upInterruptedAfter(step: StepId, given: UpOptions) {
  const controller = new AbortController();
  const onEvent = (event: OperationEvent) => {
    if (event.type === "step" && event.id === step && event.status !== "started") {
      controller.abort();
    }
  };
  return up(given, { engine, signal: controller.signal, onEvent }).then(
    () => undefined,
    (err: unknown) => err,
  );
}

/** A real login with the environment's key and host keys, as `modelbox-dev ssh` makes it. */
async function keyLogin(name: string, port: number): Promise<string> {
  const files = environmentFiles(name);
  const { stdout } = await run(
    "ssh",
    [
      "-F",
      "/dev/null",
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${files.knownHosts}`,
      "-i",
      files.privateKey,
      "-o",
      "IdentitiesOnly=yes",
      "-p",
      String(port),
      "root@127.0.0.1",
      "cat /etc/hostname",
    ],
    { timeout: 30_000 },
  );
  return stdout.trim();
}

/** Every container of this environment, whatever name it carries now. */
async function containersOf(name: string): Promise<string[]> {
  const list = await engineClient().listContainers({
    all: true,
    filters: { label: [`io.modelbox-dev.name=${name}`] },
  });
  return list.map((c) => (c.Names[0] ?? "").replace(/^\//, ""));
}

describeEngine("--recreate never leaves the user with less; interruptions leave nothing", () => {
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("interrupted after the new one's key login: the old one is back, running, and its login works", async () => {
    const name = uniqueName(PREFIX);
    const given = await options(name);
    const first = await up({ ...given, developMode: false }, { engine });
    const hostname = await keyLogin(name, Number(given.sshPort));
    const knownHosts = readFileSync(environmentFiles(name).knownHosts, "utf8");

    const err = await upInterruptedAfter("verify-key-login", {
      ...given,
      developMode: false,
      recreate: true,
    });
    expect(err).toBeInstanceOf(ModelboxDevError);
    expect((err as ModelboxDevError).code).toBe("INTERRUPTED");

    expect(await containersOf(name)).toEqual([name]);
    const back = await engine.inspectContainer(name);
    expect(back?.id).toBe(first.id);
    expect(back?.status).toBe("running");
    // The old host keys and key are in place again, so the old login works as before (once its
    // sshd is back up: it was stopped while the new one was made).
    expect(readFileSync(environmentFiles(name).knownHosts, "utf8")).toBe(knownHosts);
    await waitFor("the old sshd", async () =>
      (await readBanner("127.0.0.1", Number(given.sshPort), 3_000)).startsWith("SSH-"),
    );
    expect(await keyLogin(name, Number(given.sshPort))).toBe(hostname);
  });

  it("a new one that never gets ready: the old one is back; one that does replaces it", async () => {
    const name = uniqueName(PREFIX);
    const given = await options(name);
    const first = await up({ ...given, developMode: false }, { engine });
    // A runtime image told to be a develop image never answers on SSH.
    const failed = await up(
      { ...given, image: RUNTIME_IMAGE, kind: "develop", recreate: true, timeout: 5 },
      { engine },
    ).then(
      () => undefined,
      (e: unknown) => e as ModelboxDevError,
    );
    expect(failed?.code).toBe("READINESS_TIMEOUT");
    expect(failed?.details.join("\n")).toContain(`The old ${name} is back as it was (running).`);
    expect((await engine.inspectContainer(name))?.id).toBe(first.id);
    expect(await containersOf(name)).toEqual([name]);

    // Made again by someone else (under sudo): it stays whoever made it first.
    const madeBy = (await engine.inspectContainer(name))?.labels[LABELS.owner];
    expect(madeBy).toBeTruthy();
    const saved = process.env.SUDO_USER;
    process.env.SUDO_USER = `not-${madeBy}`;
    const second = await up({ ...given, developMode: false, recreate: true }, { engine }).finally(
      () => {
        if (saved === undefined) delete process.env.SUDO_USER;
        else process.env.SUDO_USER = saved;
      },
    );
    expect((await engine.inspectContainer(name))?.labels[LABELS.owner]).toBe(madeBy);
    expect(second.action).toBe("recreated");
    expect(second.id).not.toBe(first.id);
    expect(await containersOf(name)).toEqual([name]);
    expect(second.steps.map((s) => s.id)).toContain("remove-replaced");
  });

  it.each(["pull", "create", "start", "wait-sshd", "ssh-config"] as const)(
    "a first up interrupted after %s leaves no container, no key and no ~/.ssh/config entry",
    async (step) => {
      const name = uniqueName(PREFIX);
      const err = await upInterruptedAfter(step, await options(name));
      expect((err as ModelboxDevError).code).toBe("INTERRUPTED");
      expect(await containersOf(name)).toEqual([]);
      expect(existsSync(environmentFiles(name).dir)).toBe(false);
      expect(hasEntry(await readSshConfig(sshConfigPath()), name)).toBe(false);
      expect(existsSync(join(environmentFiles(name).dir, ".."))).toBe(true);
    },
  );
});
