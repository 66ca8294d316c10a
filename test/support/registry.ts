/**
 * A real image registry for tests: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1:<free port> with its own temporary storage. Docker treats 127.0.0.0/8 registries as
 * insecure-allowed, so the engine pushes and pulls over plain HTTP.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { type Server, type Socket, createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { engineClient, waitFor } from "./engine.js";
import { freePorts } from "./fixture-names.js";

const exec = promisify(execFile);
export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface RegistryUser {
  username: string;
  password: string;
}

/** A bcrypt hash for htpasswd, from libxcrypt through Perl (perl-base is essential on Debian). */
async function bcrypt(password: string): Promise<string> {
  // bcrypt's salt alphabet is ./A-Za-z0-9; 22 characters.
  const alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const salt = [...randomBytes(22)].map((b) => alphabet[b % 64] ?? ".").join("");
  const { stdout } = await exec("perl", [
    "-e",
    "print crypt($ARGV[0], $ARGV[1])",
    password,
    `$2b$05$${salt}`,
  ]);
  if (!stdout.startsWith("$2b$")) throw new Error("perl crypt() does not support bcrypt here");
  return stdout;
}

/**
 * Starts a registry; with `user`, it requires HTTP basic auth (htpasswd), as a private mirror
 * would. Stop it in afterAll.
 */
export async function startRegistry(options: { user?: RegistryUser } = {}): Promise<TestRegistry> {
  await access(REGISTRY_BINARY, constants.X_OK).catch(() => {
    throw new Error(`${REGISTRY_BINARY} is missing: install the Debian package docker-registry`);
  });
  const dir = await mkdtemp(join(tmpdir(), "mbdev-registry-"));
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error("no free port");
  const auth = options.user
    ? `auth:\n  htpasswd:\n    realm: modelbox-dev-test\n    path: ${join(dir, "htpasswd")}\n`
    : "";
  if (options.user) {
    await writeFile(
      join(dir, "htpasswd"),
      `${options.user.username}:${await bcrypt(options.user.password)}\n`,
    );
  }
  await writeFile(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "storage")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString("hex")}`,
      auth,
    ].join("\n"),
  );
  const child: ChildProcess = spawn(REGISTRY_BINARY, ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.on("error", (err) => (stderr += String(err)));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `the registry on port ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
        const r = await fetch(`${url}/v2/`);
        // 401 is an answer too: the registry is up and wants a login.
        return r.status === 200 || r.status === 401;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface PushEvent {
  error?: string;
  aux?: { Digest?: string };
}

/**
 * Pushes local image `source` to the registry as `target` (a full reference with the
 * registry), then removes the temporary local name. Returns the manifest digest.
 */
export async function pushImage(
  source: string,
  target: string,
  auth?: RegistryUser & { serveraddress: string },
): Promise<string> {
  const docker = engineClient();
  const colon = target.lastIndexOf(":");
  await docker.getImage(source).tag({ repo: target.slice(0, colon), tag: target.slice(colon + 1) });
  try {
    // The push endpoint insists on an X-Registry-Auth header, even an empty one.
    const stream = await docker.getImage(target).push({ authconfig: auth ?? {} });
    const events = await new Promise<PushEvent[]>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, out: PushEvent[]) =>
        err ? reject(err) : resolve(out),
      );
    });
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`push of ${target} failed: ${failed.error}`);
    const digest = events.find((e) => e.aux?.Digest)?.aux?.Digest;
    if (!digest) throw new Error(`push of ${target} reported no digest`);
    return digest;
  } finally {
    await removeImageName(target);
  }
}

/** Removes one image name (untags; the image itself goes only when nothing else names it). */
export async function removeImageName(ref: string): Promise<void> {
  try {
    await engineClient().getImage(ref).remove({ noprune: false });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

/**
 * A small image of its own (one layer of random bytes), so a pull really downloads: the
 * fixture images' layers are always present locally. Returns its local name.
 */
export async function makeRandomImage(
  repo: string,
  tag: string,
  megabytes: number,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mbdev-img-"));
  try {
    await writeFile(join(dir, "payload.bin"), randomBytes(megabytes * 1024 * 1024));
    await writeFile(join(dir, "marker"), `${repo}:${tag}\n`);
    await exec("tar", ["-C", dir, "-cf", join(dir, "layer.tar"), "payload.bin", "marker"]);
    const stream = await engineClient().importImage(join(dir, "layer.tar"), { repo, tag });
    await new Promise<void>((resolve, reject) => {
      engineClient().modem.followProgress(stream, (err: Error | null) =>
        err ? reject(err) : resolve(),
      );
    });
    return `${repo}:${tag}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A TCP relay to `target` that sends at most `bytesPerSecond` towards the client: a slow
 * registry, so a pull lasts long enough to be interrupted.
 */
export async function startSlowProxy(
  targetPort: number,
  bytesPerSecond: number,
): Promise<{ port: number; host: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const chunk = Math.max(1, Math.floor(bytesPerSecond / 10));
    upstream.on("data", (data: Buffer) => {
      upstream.pause();
      let offset = 0;
      const sendNext = () => {
        if (client.destroyed) return;
        client.write(data.subarray(offset, offset + chunk));
        offset += chunk;
        if (offset < data.length) setTimeout(sendNext, 100);
        else upstream.resume();
      };
      sendNext();
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("end", () => client.end());
  });
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error("no free port");
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    host: `127.0.0.1:${port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens: a registry that is down. */
export async function deadRegistryHost(): Promise<string> {
  const [port] = await freePorts(1);
  return `127.0.0.1:${port}`;
}

/**
 * Removes every image name (tags and digests) under `registryHost/`, and the listed extra
 * names: what a test pulled or pushed through its own registry, and nothing else.
 */
export async function removeImagesOf(registryHost: string, extra: string[] = []): Promise<void> {
  const docker = engineClient();
  const names = new Set(extra);
  for (const image of await docker.listImages({ all: false, digests: true })) {
    for (const ref of [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])]) {
      if (ref.startsWith(`${registryHost}/`)) names.add(ref);
    }
  }
  for (const ref of names) await removeImageName(ref);
}

/** A tag no other test run uses. */
export function uniqueTag(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}${randomBytes(3).toString("hex")}`;
}
