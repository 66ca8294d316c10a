/**
 * What `up` begins as soon as the container runs goes on beside the waits that follow: the login
 * key goes in with one exec that also reads sshd's host keys and root's password status, and
 * developer mode's `develop -s` runs while the key is still going in (at once: in a new container
 * with a new /root nothing needs a look first). Real engine, the develop
 * fixture; the engine is the real one with every exec recorded, and in one test the key's exec
 * held back until `develop -s` has begun: without the early work that never happens and `up`
 * fails, so the test proves what runs beside what without measuring time.
 */
import diagnostics from "node:diagnostics_channel";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { environmentFiles } from "../../src/access/paths.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import type { ContainerEngine } from "../../src/engine/types.js";
import { up } from "../../src/environment/up.js";
import { pollUntil } from "../../src/poll-until.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  FIXTURE_RUNTIME_IMAGE,
  describeEngine,
  removeContainers,
  removeVolumes,
  uniqueName,
} from "../support/engine.js";
import { tagFixtures } from "../support/fixture-names.js";
import { loopbackDevelopOptions, testUpOptions, useTestHome } from "../support/up-settings.js";

const PREFIX = "early";
const real = new DockerEngine();
const savedHome = process.env.HOME;

const isKeyInstall = (cmd: string[]) => cmd.some((a) => a.includes("authorized_keys"));
const isDevelopSetUp = (cmd: string[]) => cmd.join(" ").includes("modelbox-tool develop -s");
const asksForSshd = (cmd: string[]) => cmd.join(" ").includes("sshd");

/**
 * The real engine, recording each exec's command; `beforeExec` may hold an exec back. Only
 * `exec` is wrapped: every other call is the real engine's own.
 */
function recordingEngine(beforeExec: (cmd: string[]) => Promise<void> = () => Promise.resolve()) {
  const execs: string[][] = [];
  /** "begin N" and "end N" for exec N of `execs`, in the order they happened. */
  const timeline: string[] = [];
  const engine = new Proxy(real, {
    get(target, property) {
      if (property === "exec") {
        return async (...args: Parameters<ContainerEngine["exec"]>) => {
          const n = execs.push(args[1]) - 1;
          await beforeExec(args[1]);
          timeline.push(`begin ${n}`);
          try {
            return await target.exec(...args);
          } finally {
            timeline.push(`end ${n}`);
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { engine, execs, timeline };
}

/** `up`'s options; `image`: another image than the develop fixture's ModelBox name. */
async function options(name: string, developMode: boolean, image?: string) {
  const environment = {
    ...(await loopbackDevelopOptions(name)),
    ...(image ? { image } : {}),
    gpus: "none",
  };
  return testUpOptions(environment, { developMode, timeout: 90 });
}

describeEngine("up begins the key and developer mode while sshd boots", () => {
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers(PREFIX);
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
    await removeVolumes(PREFIX);
    process.env.HOME = savedHome;
  });

  it("one exec puts the key in and reads the host keys and root's password status", async () => {
    const name = uniqueName(PREFIX);
    const { engine, execs } = recordingEngine();
    const result = await up(await options(name, false), { engine });

    expect(result.ssh?.check).toBe("key-login");
    expect(result.passwordSet).toBe(false);
    expect(execs.filter(isKeyInstall)).toHaveLength(1);
    // Neither looked at again on its own.
    expect(execs.filter((c) => c.join(" ").includes("ssh_host_") && !isKeyInstall(c))).toEqual([]);
    expect(execs.filter((c) => c[0] === "passwd")).toEqual([]);
    // The known_hosts file holds exactly the container's host keys.
    const inside = await real.exec(result.id, ["sh", "-c", "cat /etc/ssh/ssh_host_*_key.pub"]);
    const hostKeys = inside.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/).slice(0, 2).join(" "));
    expect(hostKeys.length).toBeGreaterThan(0);
    const known = readFileSync(environmentFiles(name).knownHosts, "utf8");
    const listed = known
      .split("\n")
      .filter((l) => l.startsWith("* "))
      .map((l) => l.slice(2));
    expect(listed.sort()).toEqual(hostKeys.sort());
  }, 180_000);

  it("develop -s begins while the key is still going in, and up reports both", async () => {
    const name = uniqueName(PREFIX);
    let developStarted = false;
    const { engine, execs, timeline } = recordingEngine(async (cmd) => {
      if (isDevelopSetUp(cmd)) developStarted = true;
      if (!isKeyInstall(cmd)) return;
      // Held until developer mode has begun: in the plan's order it would begin only after.
      await pollUntil(() => Promise.resolve(developStarted || undefined), {
        deadline: Date.now() + 60_000,
        intervalMs: 50,
        onTimeout: () => new Error("develop -s did not begin while the key was going in"),
      });
    });
    const result = await up(await options(name, true), { engine });

    expect(result.ssh?.check).toBe("key-login");
    expect(result.editor).toMatchObject({
      ready: true,
      developerMode: "running",
      startsAtBoot: true,
    });
    // The boot unit went in while `develop -s` ran, not after it.
    const unit = execs.findIndex((c) => c.join(" ").includes("multi-user.target.wants"));
    expect(timeline.indexOf(`begin ${unit}`)).toBeLessThan(
      timeline.indexOf(`end ${execs.findIndex(isDevelopSetUp)}`),
    );
    expect(execs.filter(isDevelopSetUp)).toHaveLength(1);
    // A new container with a new /root: nothing to look at before `develop -s`.
    const firstQuery = execs.findIndex((c) => c.join(" ").includes("modelbox-tool develop -q"));
    const setUp = execs.findIndex(isDevelopSetUp);
    expect(firstQuery === -1 || firstQuery > setUp).toBe(true);
    expect(execs.filter(isKeyInstall)).toHaveLength(1);
    const steps = result.steps.map((s) => `${s.id}:${s.status}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        "install-key:done",
        "verify-key-login:done",
        "developer-mode:done",
        "wait-editor:done",
      ]),
    );
  }, 180_000);

  it("the editor's wait begins beside the ACL's read after develop -s, and counts when nothing is added", async () => {
    const name = uniqueName(PREFIX);
    const editorAsked: string[] = [];
    const onRequest = (message: unknown) => {
      const { request } = message as { request: { path: string } };
      if (request.path.startsWith("/editor")) editorAsked.push(request.path);
    };
    diagnostics.subscribe("http.client.request.start", onRequest);
    const isAclRead = (cmd: string[]) =>
      cmd[0] === "cat" && (cmd[1] ?? "").endsWith("modelbox.conf");
    const { engine, execs } = recordingEngine(async (cmd) => {
      if (!isAclRead(cmd)) return;
      // Held until the editor has been asked: in the old order the wait came only after it.
      await pollUntil(() => Promise.resolve(editorAsked.length > 0 || undefined), {
        deadline: Date.now() + 60_000,
        intervalMs: 50,
        onTimeout: () => new Error("the editor was not asked while the ACL was read"),
      });
    });
    try {
      const result = await up(await options(name, true), { engine });
      expect(result.editor).toMatchObject({ ready: true, developerMode: "running" });
      expect(execs.filter(isAclRead)).toHaveLength(1);
      // Nothing added to the ACL: no restart of the server.
      expect(execs.filter((c) => c.join(" ").includes('"$1/modelbox" restart'))).toEqual([]);
    } finally {
      diagnostics.unsubscribe("http.client.request.start", onRequest);
    }
  }, 180_000);

  it("an image whose name does not tell its kind: sshd is found in its files, not by an exec; the key goes in first", async () => {
    const name = uniqueName(PREFIX);
    const { engine, execs } = recordingEngine();
    const result = await up(await options(name, false, FIXTURE_DEVELOP_IMAGE), { engine });

    expect(result.ssh?.check).toBe("key-login");
    expect(execs.filter((c) => asksForSshd(c) && !isKeyInstall(c))).toEqual([]);
    expect(execs.filter(isKeyInstall)).toHaveLength(1);
    // A new container with a new /root and modelbox-tool in its files: not set up, told without
    // an exec; the key's is the only one.
    expect(result.editor?.developerMode).toBe("not-set-up");
    expect(execs.filter((c) => c.join(" ").includes("develop -q"))).toEqual([]);
    expect(execs).toHaveLength(1);
  }, 180_000);

  it("an image of unknown kind without sshd: the SSH steps are skipped and no key is made for it", async () => {
    const name = uniqueName(PREFIX);
    const { engine, execs } = recordingEngine();
    const result = await up(await options(name, false, FIXTURE_RUNTIME_IMAGE), { engine });

    expect(result.steps.find((s) => s.id === "install-key")?.status).toBe("skipped");
    expect(result.notes).toContain("SSH keys are skipped: the image has no sshd.");
    expect(execs.filter(isKeyInstall)).toEqual([]);
    expect(execs.filter(asksForSshd)).toEqual([]);
    expect(existsSync(environmentFiles(name).privateKey)).toBe(false);
    // No modelbox-tool in its files: the look (an exec) says so for the report.
    expect(result.editor?.developerMode).toBe("no-modelbox-tool");
  }, 180_000);

  it("an image of unknown kind without modelbox-tool: develop -s runs at once, its failure is told apart, nothing of ModelBox is left in it", async () => {
    const name = uniqueName(PREFIX);
    const { engine, execs } = recordingEngine();
    const result = await up(await options(name, true, FIXTURE_RUNTIME_IMAGE), { engine });

    expect(result.editor).toMatchObject({ ready: false, developerMode: "no-modelbox-tool" });
    expect(result.notes.join("\n")).toMatch(/modelbox-tool is not in this image/);
    // No look before `develop -s` (a new container with a new /root); one after its failure.
    const setUp = execs.findIndex(isDevelopSetUp);
    const look = execs.findIndex((c) => c.join(" ").includes("|| exit 127"));
    expect(setUp).toBeGreaterThanOrEqual(0);
    expect(look).toBeGreaterThan(setUp);
    const unit = await real.statPath(result.id, "/etc/systemd/system/modelbox-dev-editor.service");
    expect(unit).toBeUndefined();
  }, 180_000);
});
