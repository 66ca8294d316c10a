/**
 * A dockerd of the test's own, to stop and start again: the engine other tests (and other people)
 * use is never restarted. It has its own socket, data root, exec root (so its own containerd),
 * pid file, config file and bridge, touches no iptables rules (published ports go through
 * docker-proxy, which is all that loopback clients need) and puts its containers' cgroups under a
 * parent of their own.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";

const exec = promisify(execFile);

const BRIDGE = "mbdev-dr0";
const BRIDGE_CIDR = "10.213.9.1/24";
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 120_000;

/** Why a private dockerd cannot run here (not root, no dockerd, no `ip`), or undefined. */
export async function privateDockerdUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "needs root (it starts a dockerd and adds a bridge)";
  for (const tool of ["dockerd", "ip"]) {
    try {
      await exec("sh", ["-c", `command -v ${tool}`]);
    } catch {
      return `needs ${tool} on PATH`;
    }
  }
  return undefined;
}

export class PrivateDockerd {
  readonly host: string;
  readonly client: Docker;
  private child: ChildProcess | undefined;
  private readonly socket: string;

  constructor(private readonly dir: string) {
    this.socket = join(dir, "docker.sock");
    this.host = `unix://${this.socket}`;
    this.client = new Docker({ socketPath: this.socket });
  }

  private get log(): string {
    return join(this.dir, "dockerd.log");
  }

  private args(): string[] {
    return [
      "--host",
      this.host,
      "--config-file",
      join(this.dir, "daemon.json"),
      "--data-root",
      join(this.dir, "data"),
      "--exec-root",
      join(this.dir, "exec"),
      "--pidfile",
      join(this.dir, "dockerd.pid"),
      "--bridge",
      BRIDGE,
      "--iptables=false",
      "--ip-masq=false",
      "--ip-forward=false",
      "--cgroup-parent",
      "/modelbox-dev-restart-test",
    ];
  }

  /** Starts dockerd (the first time: its directory and bridge too) and waits until it answers. */
  async start(): Promise<void> {
    if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Its own (empty) config: the host's /etc/docker/daemon.json belongs to the main engine.
    writeFileSync(join(this.dir, "daemon.json"), "{}\n");
    await ensureBridge();
    const out = openSync(this.log, "a");
    const child = spawn("dockerd", this.args(), { stdio: ["ignore", out, out] });
    this.child = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the private dockerd exited at start:\n${this.logTail()}`);
      }
      if (
        await this.client.ping().then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline) {
        throw new Error(`the private dockerd did not answer within 90 s:\n${this.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Stops dockerd as a service manager does (SIGTERM) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), STOP_TIMEOUT_MS);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === "late") {
      child.kill("SIGKILL");
      await exited;
      throw new Error(`the private dockerd did not stop within 120 s:\n${this.logTail()}`);
    }
  }

  /** Removes every container, stops dockerd, deletes its directory and bridge. */
  async destroy(): Promise<void> {
    if (this.child) {
      const list = await this.client.listContainers({ all: true }).catch(() => []);
      for (const c of list) {
        await this.client
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
      }
      await this.stop();
    }
    rmSync(this.dir, { recursive: true, force: true });
    await exec("ip", ["link", "del", BRIDGE]).catch(() => undefined);
  }

  /** Copies an image from another engine into this one (docker save | docker load). */
  async copyImageFrom(source: Docker, image: string): Promise<void> {
    const archive = await source.getImage(image).get();
    const response = await this.client.loadImage(archive, { quiet: true });
    await new Promise<void>((resolve, reject) => {
      response.on("error", reject);
      response.on("end", resolve);
      response.resume();
    });
    await this.client.getImage(image).inspect();
  }

  logTail(lines = 30): string {
    if (!existsSync(this.log)) return "(no log)";
    return readFileSync(this.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  }
}

/** The private dockerd's bridge: the host's docker0 belongs to the main dockerd. */
async function ensureBridge(): Promise<void> {
  const shown = await exec("ip", ["-o", "addr", "show", "dev", BRIDGE]).catch(() => undefined);
  if (!shown) await exec("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  if (!shown?.stdout.includes(`${BRIDGE_CIDR.split("/")[0]}/`)) {
    await exec("ip", ["addr", "add", BRIDGE_CIDR, "dev", BRIDGE]);
  }
  await exec("ip", ["link", "set", BRIDGE, "up"]);
}
