/**
 * Support for tests that need a real Docker Engine and the fixture images built by
 * `bash test/fixture/build.sh` (see test/fixture/README.md).
 *
 * On a contributor's machine without an engine or without the fixture images, `describeEngine`
 * suites are skipped with a loud warning; with `CI=true` they fail instead, so CI can never pass
 * by skipping them.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { beforeAll, describe, it } from "vitest";
import { testEngineAddress, useTestEngine } from "./test-engine.js";
import { withTimeout } from "./with-timeout.js";

/** docker or podman (MODELBOX_TEST_ENGINE); DOCKER_HOST points at it from here on. */
export const TEST_ENGINE = useTestEngine();

/**
 * The fixture's content hash, computed as test/fixture/build.sh does (sha256sum of every file but
 * README.md, by name in C order, hashed again, 12 hex digits). Tests use the images tagged with
 * it, not `:latest`: on an engine shared by several checkouts, `:latest` is whichever checkout
 * built last.
 */
function fixtureHash(): string {
  const dir = resolve(import.meta.dirname, "../fixture");
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== "README.md")
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const sums = files
    .map(
      (f) =>
        `${createHash("sha256")
          .update(readFileSync(join(dir, f)))
          .digest("hex")}  ${f}\n`,
    )
    .join("");
  return createHash("sha256").update(sums).digest("hex").slice(0, 12);
}

export const FIXTURE_HASH = fixtureHash();
export const FIXTURE_DEVELOP_IMAGE = `modelbox-dev-fixture/develop:${FIXTURE_HASH}`;
export const FIXTURE_RUNTIME_IMAGE = `modelbox-dev-fixture/runtime:${FIXTURE_HASH}`;
export const FIXTURE_IMAGES = [FIXTURE_DEVELOP_IMAGE, FIXTURE_RUNTIME_IMAGE] as const;

/** Every container a test creates is named `mbdev-test-<prefix>-…` and carries this label. */
export const TEST_NAME_PREFIX = "mbdev-test-";
export const TEST_LABEL = "modelbox-dev-test";

const BUILD_HINT =
  "run `bash test/fixture/build.sh` (needs root for debootstrap, see test/fixture/README.md)";
const PING_TIMEOUT_MS = 5_000;

let client: Docker | undefined;

/** One dockerode client for the test process: DOCKER_HOST when set, else /var/run/docker.sock. */
export function engineClient(): Docker {
  client ??= new Docker();
  return client;
}

const engineAddress = testEngineAddress;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True when the engine answers a ping (DOCKER_HOST, or /var/run/docker.sock). */
export async function engineAvailable(): Promise<boolean> {
  try {
    await withTimeout(engineClient().ping(), PING_TIMEOUT_MS, "Docker Engine");
    return true;
  } catch {
    return false;
  }
}

export type EngineStatus = { ok: true } | { ok: false; reason: string };

let status: Promise<EngineStatus> | undefined;

/** Whether engine tests can run here: the engine answers and both fixture images exist. */
export function engineStatus(): Promise<EngineStatus> {
  status ??= (async (): Promise<EngineStatus> => {
    try {
      await withTimeout(engineClient().ping(), PING_TIMEOUT_MS, "Docker Engine");
    } catch (err) {
      return { ok: false, reason: `no Docker Engine at ${engineAddress()} (${message(err)})` };
    }
    const missing: string[] = [];
    for (const image of FIXTURE_IMAGES) {
      try {
        await engineClient().getImage(image).inspect();
      } catch {
        missing.push(image);
      }
    }
    if (missing.length > 0) {
      return { ok: false, reason: `fixture image(s) ${missing.join(", ")} missing: ${BUILD_HINT}` };
    }
    return { ok: true };
  })();
  return status;
}

function isCI(): boolean {
  return process.env.CI === "true";
}

function loudWarning(suite: string, reason: string): void {
  const bar = "!".repeat(100);
  console.warn(
    `\n${bar}\n!!! SKIPPING ENGINE TESTS "${suite}"\n!!! ${reason}\n` +
      `!!! These tests are NOT optional: CI (CI=true) fails here instead of skipping.\n${bar}\n`,
  );
}

/**
 * A `describe` for tests that need the engine and the fixture images. Without them it skips the
 * suite with a loud warning, or with `CI=true` fails it: one failing test says why, and a
 * throwing beforeAll stops the suite's own tests.
 */
export function describeEngine(name: string, fn: () => void): void {
  describe(name, async () => {
    const st = await engineStatus();
    if (st.ok) {
      fn();
    } else if (isCI()) {
      // The failing test makes the failure count in per-test summaries; beforeAll fails the rest.
      it("has a Docker Engine and the fixture images (required with CI=true)", () => {
        throw new Error(`engine tests cannot run in CI: ${st.reason}`);
      });
      describe("cannot run", () => {
        beforeAll(() => {
          throw new Error(`engine tests cannot run in CI: ${st.reason}`);
        });
        fn();
      });
    } else {
      loudWarning(name, st.reason);
      describe.skip(`SKIPPED (${st.reason})`, fn);
    }
  });
}

const runId = `${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
let counter = 0;

/** A fresh container name, `mbdev-test-<prefix>-<run>-<n>`; `removeContainers(prefix)` finds it. */
export function uniqueName(prefix: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(prefix)) {
    throw new Error(`invalid container name prefix: ${JSON.stringify(prefix)}`);
  }
  counter += 1;
  return `${TEST_NAME_PREFIX}${prefix}-${runId}-${counter}`;
}

/** A container of another run this old was left behind by an interrupted run. */
const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

/**
 * Force-removes (with their anonymous volumes) this run's containers named `mbdev-test-<prefix>-…`,
 * and ones of other runs old enough to have been left behind by an interrupted run, and then the
 * volumes modelbox-dev made for them (`modelbox-dev-home-mbdev-test-<prefix>-…`, which `rm`
 * keeps). Several checkouts share the engine: another run's live containers are never touched.
 * Returns the names removed.
 */
export async function removeContainers(prefix: string): Promise<string[]> {
  const docker = engineClient();
  const start = `${TEST_NAME_PREFIX}${prefix}-`;
  const ours = `${start}${runId}-`;
  const list = await docker.listContainers({ all: true, filters: { name: [start] } });
  const removed: string[] = [];
  for (const info of list) {
    const name = info.Names.map((n) => n.replace(/^\//, "")).find((n) => n.startsWith(start));
    if (name === undefined) continue;
    const stale = Date.now() - info.Created * 1000 > STALE_AFTER_MS;
    if (!name.startsWith(ours) && !stale) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed.push(name);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  await removeVolumes(prefix);
  return removed;
}

/** Removes the volumes named `modelbox-dev-home-mbdev-test-<prefix>-…` (none of them in use). */
export async function removeVolumes(prefix: string): Promise<string[]> {
  const docker = engineClient();
  const start = `modelbox-dev-home-${TEST_NAME_PREFIX}${prefix}-`;
  const { Volumes } = await docker.listVolumes({ filters: { name: [start] } });
  const removed: string[] = [];
  for (const volume of Volumes ?? []) {
    if (!volume.Name.startsWith(start)) continue;
    try {
      await docker.getVolume(volume.Name).remove();
      removed.push(volume.Name);
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      // 404: gone already; 409: still in use by a container another worker runs.
      if (code !== 404 && code !== 409) throw err;
    }
  }
  return removed;
}

/** This test process's run id (in every uniqueName): for other per-run names, such as image tags. */
export const TEST_RUN_ID = runId;

/**
 * HostConfig fields that let a systemd (PID 1) image boot on this engine, as ModelBox documents:
 * cgroup v1 → `-v /sys/fs/cgroup:/sys/fs/cgroup:ro` (non-recursively read-only: on Engine API
 * 1.44+ a plain `ro` bind is recursively read-only and systemd cannot create its cgroup);
 * cgroup v2 → `--cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw`. Plus tmpfs /tmp, /run,
 * /run/lock.
 */
export async function systemdHostConfig(): Promise<Docker.HostConfig & { CgroupnsMode?: string }> {
  const docker = engineClient();
  const info = (await docker.info()) as { CgroupVersion?: string };
  const version = (await docker.version()) as { ApiVersion?: string };
  const tmpfs = { Tmpfs: { "/tmp": "", "/run": "", "/run/lock": "" } };
  if (info.CgroupVersion === "2") {
    return { ...tmpfs, CgroupnsMode: "host", Binds: ["/sys/fs/cgroup:/sys/fs/cgroup:rw"] };
  }
  const [major = 0, minor = 0] = (version.ApiVersion ?? "1.0").split(".").map(Number);
  if (major > 1 || (major === 1 && minor >= 44)) {
    const mount = {
      Type: "bind",
      Source: "/sys/fs/cgroup",
      Target: "/sys/fs/cgroup",
      ReadOnly: true,
      BindOptions: { ReadOnlyNonRecursive: true },
    };
    return { ...tmpfs, Mounts: [mount as unknown as Docker.MountSettings] };
  }
  return { ...tmpfs, Binds: ["/sys/fs/cgroup:/sys/fs/cgroup:ro"] };
}

/** The host port the engine published `containerPort` (e.g. "22/tcp") on, on 127.0.0.1. */
export async function publishedPort(container: Docker.Container, containerPort: string) {
  const info = await container.inspect();
  const bindings = info.NetworkSettings.Ports[containerPort] ?? [];
  const binding = bindings.find((b) => b.HostIp === "127.0.0.1") ?? bindings[0];
  if (!binding) throw new Error(`${containerPort} is not published`);
  return Number(binding.HostPort);
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in a running container (no TTY), optionally feeding `stdin`. */
export async function execIn(
  container: Docker.Container,
  cmd: string[],
  options: { stdin?: string; env?: string[] } = {},
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    Env: options.env,
    AttachStdin: options.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: options.stdin !== undefined });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on("data", (c: Buffer) => chunks.out.push(c));
  err.on("data", (c: Buffer) => chunks.err.push(c));
  engineClient().modem.demuxStream(stream, out, err);
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  if (options.stdin !== undefined) stream.end(options.stdin);
  await ended;
  const { ExitCode } = await exec.inspect();
  return {
    exitCode: ExitCode ?? -1,
    stdout: Buffer.concat(chunks.out).toString("utf8"),
    stderr: Buffer.concat(chunks.err).toString("utf8"),
  };
}

/**
 * Calls `probe` until it returns something other than undefined/null/false, or throws when
 * `timeoutMs` runs out (a bound on waiting, not an assertion on speed).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const cause = last === undefined ? "" : ` (last error: ${message(last)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Whether a container of this name exists (in any state). */
export function containerExists(name: string): Promise<boolean> {
  return engineClient()
    .getContainer(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/**
 * A `describeEngine` that runs on Docker only, for what another engine cannot do at all: the
 * reason is printed where it is skipped.
 */
export function describeDockerOnly(name: string, whyNot: string, fn: () => void): void {
  if (TEST_ENGINE === "docker") describeEngine(name, fn);
  else describe.skip(`${name} (Docker only: ${whyNot})`, fn);
}
