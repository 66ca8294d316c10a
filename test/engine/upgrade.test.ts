/**
 * /root in a named volume, `upgrade`, and what `rm` keeps: on the real engine with the fixture
 * images, reached only through ports published on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { httpGet } from "../../src/access/http-probe.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { LABELS } from "../../src/labels.js";
import { ls } from "../../src/environment/ls.js";
import type { OperationEvent } from "../../src/environment/operation.js";
import { rm } from "../../src/environment/rm.js";
import { status } from "../../src/environment/status.js";
import { stop } from "../../src/environment/stop.js";
import { toContainerSpec } from "../../src/environment/to-container-spec.js";
import { up } from "../../src/environment/up.js";
import { upgrade } from "../../src/environment/upgrade.js";
import { ModelboxDevError } from "../../src/errors.js";
import type { UpOptions } from "../../src/plan/options.js";
import { planUp } from "../../src/plan/plan-up.js";
import { describeEngine, engineClient, removeContainers, uniqueName } from "../support/engine.js";
import { cpuOnlyFacts } from "../support/facts.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";
import { loopbackDevelopOptions, useTestHome } from "../support/up-settings.js";

const engine = new DockerEngine();
const context = { engine };
const PREFIX = "upgrade";
/** The fixture again with another release label: a new image id, as a real upgrade brings. */
const NEWER_IMAGE = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-upgrade-${process.pid}`;
const GRAPH = "/root/modelbox-service/graph";

async function options(name: string, extra: UpOptions = {}): Promise<UpOptions> {
  return {
    ...(await loopbackDevelopOptions(name)),
    gpus: "none",
    pull: "never",
    timeout: 90,
    sshConfig: false,
    developMode: false,
    ...extra,
  };
}

async function sh(id: string, script: string) {
  return engine.exec(id, ["sh", "-c", script], { user: "root", env: { HOME: "/root" } });
}

async function expectError(promise: Promise<unknown>, code: string): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  expect((err as ModelboxDevError).code).toBe(code);
  return err as ModelboxDevError;
}

const volumeOf = (name: string) => `modelbox-dev-home-${name}`;

async function volumeExists(name: string): Promise<boolean> {
  return (await engine.inspectVolume(name)) !== undefined;
}

describeEngine("/root in a volume, upgrade, and what rm keeps", () => {
  const savedHome = process.env.HOME;
  beforeAll(async () => {
    useTestHome();
    await tagFixtures();
    await removeContainers(PREFIX);
    execFileSync("docker", ["build", "-q", "-t", NEWER_IMAGE, "-"], {
      input: `FROM ${DEVELOP_IMAGE}\nLABEL org.opencontainers.image.version=1.6.0\n`,
      stdio: ["pipe", "ignore", "ignore"],
    });
  }, 180_000);
  afterAll(async () => {
    await removeContainers(PREFIX);
    await engineClient()
      .getImage(NEWER_IMAGE)
      .remove()
      .catch(() => undefined);
    process.env.HOME = savedHome;
  });

  it("a new environment's /root is a labelled volume, filled from the image, kept by --recreate", async () => {
    const name = uniqueName(PREFIX);
    const first = await up(await options(name), context);
    const volume = await engine.inspectVolume(volumeOf(name));
    expect(volume?.labels).toMatchObject({
      [LABELS.managed]: "true",
      [LABELS.name]: name,
      [LABELS.volume]: "home",
    });
    expect(first.settings.homeVolume).toBe(volumeOf(name));
    // Docker copied the image's /root into the new volume: the image's .bashrc is there.
    expect((await sh(first.id, "test -f /root/.bashrc && echo yes")).stdout.trim()).toBe("yes");
    await sh(first.id, "echo kept > /root/notes.txt");

    const again = await up(await options(name, { recreate: true }), context);
    expect(again.id).not.toBe(first.id);
    expect((await sh(again.id, "cat /root/notes.txt")).stdout.trim()).toBe("kept");
  });

  it("rm keeps the volume and says so; ls --volumes shows it; up uses it again; rm --volumes removes it", async () => {
    const name = uniqueName(PREFIX);
    const first = await up(await options(name), context);
    await sh(first.id, "echo history > /root/.bash_history");
    const removed = await rm({ name, force: true }, context);
    expect(removed.volumes).toEqual({ kept: [volumeOf(name)], removed: [] });
    const listed = await ls({ volumes: true }, context);
    expect(listed.orphanVolumes?.find((v) => v.name === volumeOf(name))).toMatchObject({
      environment: name,
      holds: "home",
    });

    const back = await up(await options(name), context);
    expect((await sh(back.id, "cat /root/.bash_history")).stdout.trim()).toBe("history");
    const listedAgain = await ls({ volumes: true }, context);
    expect(listedAgain.orphanVolumes?.some((v) => v.name === volumeOf(name))).toBe(false);

    const gone = await rm({ name, force: true, volumes: true }, context);
    expect(gone.volumes).toEqual({ kept: [], removed: [volumeOf(name)] });
    expect(await volumeExists(volumeOf(name))).toBe(false);
  });

  it("a failed first up removes the volume it made; --no-home-volume makes none", async () => {
    const name = uniqueName(PREFIX);
    // A runtime image has no sshd: waiting for SSH on it times out.
    const failing = await options(name, {
      image: DEVELOP_IMAGE.replace("develop", "runtime"),
      kind: "develop",
      timeout: 3,
    });
    await expectError(up(failing, context), "READINESS_TIMEOUT");
    expect(await volumeExists(volumeOf(name))).toBe(false);

    const plain = await up(await options(name, { homeVolume: false }), context);
    expect(plain.settings.homeVolume).toBeUndefined();
    expect(await volumeExists(volumeOf(name))).toBe(false);
  });

  it("a volume of that name that is not the environment's is refused before anything is made", async () => {
    const name = uniqueName(PREFIX);
    await engineClient().createVolume({ Name: volumeOf(name), Labels: { other: "yes" } });
    const err = await expectError(up(await options(name), context), "VOLUME_TAKEN");
    expect(err.hint).toContain("--no-home-volume");
    expect(await engine.inspectContainer(name)).toBeUndefined();
    expect((await engine.inspectVolume(volumeOf(name)))?.labels).toEqual({ other: "yes" });
  });

  it("upgrade: a new image, the recorded options, /root and developer mode kept, key login and password too", async () => {
    const name = uniqueName(PREFIX);
    const [tensorboard = 0] = await freePorts(1);
    const given = await options(name, {
      developMode: true,
      publish: [`127.0.0.1:${tensorboard}:6006`],
      env: ["MODE=debug", "EMPTY="],
      shmSize: "256m",
      ulimit: ["nofile=4096:8192"],
    });
    const before = await up(given, context);
    expect(before.editor?.ready).toBe(true);
    await sh(
      before.id,
      `echo work > /root/work.txt && mkdir -p ${GRAPH} && echo g > ${GRAPH}/mine.toml`,
    );
    await engine.exec(before.id, ["chpasswd"], { stdin: "root:upgrade-pass-1\n", user: "root" });

    const events: OperationEvent[] = [];
    const result = await upgrade(
      { name, image: NEWER_IMAGE, pull: "never", timeout: 90 },
      { engine, onEvent: (e) => events.push(e) },
    );
    expect(result.upgraded).toBe(true);
    expect(result.from).toMatchObject({ reference: DEVELOP_IMAGE, version: "1.5.3" });
    expect(result.to).toMatchObject({ reference: NEWER_IMAGE, version: "1.6.0" });
    expect(result.to.id).not.toBe(result.from.id);
    expect(result.to.cudaVersion).toBe("11.2.2");
    expect(result.homeVolume).toBe(volumeOf(name));
    const after = result.environment;
    if (!after) throw new Error("no environment in the result");
    expect(after.action).toBe("recreated");
    expect(after.id).not.toBe(before.id);
    // The steps ran again: the key installed and a real key login, developer mode back on.
    const steps = Object.fromEntries(after.steps.map((s) => [s.id, s.status]));
    expect(steps).toMatchObject({ "install-key": "done", "verify-key-login": "done" });
    expect(after.ssh?.check).toBe("key-login");
    expect(events.some((e) => e.type === "pull")).toBe(true);

    // What was under /root is still there, the editor answers, the options are the same.
    expect((await sh(after.id, `cat /root/work.txt ${GRAPH}/mine.toml`)).stdout).toBe("work\ng\n");
    const editor = await httpGet("127.0.0.1", Number(given.editorPort), "/editor/", 5_000);
    expect(editor?.status).toBe(200);
    expect(after.ports).toEqual(before.ports);
    expect(after.settings).toEqual(before.settings);
    const env = (await engine.inspectContainer(name))?.env ?? {};
    expect(env).toMatchObject({ MODE: "debug", EMPTY: "" });
    // Root's password came along (as its hash, over stdin).
    expect(after.passwordSet).toBe(true);
    const shadow = await sh(after.id, "passwd -S root | cut -d' ' -f2");
    expect(shadow.stdout.trim()).toBe("P");

    // The same image again: nothing to do.
    const same = await upgrade({ name, image: NEWER_IMAGE, pull: "never" }, context);
    expect(same.upgraded).toBe(false);
    expect((await engine.inspectContainer(name))?.id).toBe(after.id);
  });

  it("upgrade refuses to lose /root: without a volume it needs --force; without recorded options it cannot", async () => {
    const name = uniqueName(PREFIX);
    await up(await options(name, { homeVolume: false }), context);
    await stop({ name }, context);
    const err = await expectError(
      upgrade({ name, image: NEWER_IMAGE, pull: "never" }, context),
      "HOME_NOT_KEPT",
    );
    expect(err.message).toContain("--no-home-volume");
    const forced = await upgrade({ name, image: NEWER_IMAGE, pull: "never", force: true }, context);
    expect(forced.upgraded).toBe(true);
    expect(forced.warnings.join("\n")).toContain("/root");
    expect((await status({ name }, context)).image.reference).toBe(NEWER_IMAGE);

    // An environment made before options were recorded: made here from a plan without that label.
    const old = uniqueName(PREFIX);
    const plan = planUp(await options(old), cpuOnlyFacts());
    const labels = { ...plan.labels };
    delete labels[LABELS.options];
    await engine.createContainer({ ...toContainerSpec(plan), labels, volumes: [] });
    await expectError(upgrade({ name: old, pull: "never" }, context), "NOT_UPGRADABLE");
  });
});
