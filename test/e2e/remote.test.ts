/**
 * Remote engines as a user meets them: a second engine host on this machine (its own filesystem,
 * data root and bridge) reached as tcp://127.0.0.2:2375 and as ssh://root@127.0.0.3:2222, started
 * by `bash test/remote/remote-host.sh`. Only 127.0.0.0/8 is used.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PROBE_LABEL } from "../../src/host/remote/engine-host.js";
import { type CliResult, installPackedCli, parseJson, runCli } from "../support/cli.js";
import { freePorts } from "../support/fixture-names.js";
import {
  REMOTE_ONLY_DIR,
  REMOTE_SSH,
  REMOTE_TCP,
  describeRemote,
  includeRemoteSshConfig,
  remoteClient,
} from "../support/remote-host.js";
import { withTimeout } from "../support/with-timeout.js";

const execFileAsync = promisify(execFile);
const IMAGE = "modelbox-dev-fixture/develop:latest";
const PREFIX = "mbdev-test-remote";

let bin = "";
let home = "";
let counter = 0;
const cli = (args: string[]): Promise<CliResult> => runCli(bin, args, { env: { HOME: home } });
const name = () => `${PREFIX}-${process.pid}-${++counter}`;

async function portArgs(bind: string): Promise<string[]> {
  const [ssh = 0, editor = 0, http = 0] = await freePorts(3);
  return [
    "--bind",
    bind,
    "--ssh-port",
    `${ssh}`,
    "--editor-port",
    `${editor}`,
    "--http-port",
    `${http}`,
  ];
}

/** Containers on the second engine: ours by name prefix, and any probe left behind. */
async function leftOnRemote(): Promise<string[]> {
  const list = await remoteClient().listContainers({ all: true });
  return list
    .filter(
      (c) =>
        c.Names.some((n) => n.startsWith(`/${PREFIX}-${process.pid}-`)) || c.Labels[PROBE_LABEL],
    )
    .map((c) => c.Names[0] ?? c.Id);
}

/** Forwards started by tests; any still running when the suite ends (a failed step) are killed. */
const forwards: ChildProcess[] = [];

/** TCP listeners held by a shared ssh login's master (`ssh: PATH [mux]`): tunnels left in one. */
async function listenersOfSshMasters(): Promise<string[]> {
  const { stdout } = await execFileAsync("ss", ["-ltnpH"]);
  return stdout.split("\n").filter((line) =>
    [...line.matchAll(/pid=(\d+)/g)].some((m) => {
      try {
        return readFileSync(`/proc/${m[1]}/cmdline`, "utf8").includes("[mux]");
      } catch {
        return false;
      }
    }),
  );
}

/** `ssh -O check` on each control socket of the tool's shared engine logins in this HOME. */
async function sharedEngineLogins(): Promise<string[]> {
  const dir = join(home, ".modelbox-dev", "ssh");
  const running: string[] = [];
  for (const socket of readdirSync(dir)) {
    const check = await execFileAsync(
      "ssh",
      ["-O", "check", "-o", `ControlPath=${join(dir, socket)}`, "x"],
      {
        timeout: 10_000,
      },
    ).catch(() => undefined);
    if (check) running.push(socket);
  }
  return running;
}

/** `modelbox-dev forward NAME --json` until its JSON line says it listens; then the URL. */
async function startForward(args: string[]): Promise<{
  result: { url: string; command: string };
  stop: () => Promise<number>;
  output: () => string;
}> {
  const child = spawn(bin, [...args, "--json"], {
    env: { ...process.env, HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  forwards.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  const result = await new Promise<{ url: string; command: string }>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      // One JSON object, printed once the forward listens.
      try {
        resolve(JSON.parse(out) as { url: string; command: string });
      } catch {
        // not complete yet
      }
    });
    void exited.then((code) => reject(new Error(`forward ended (${code}): ${out}${err}`)));
  });
  return {
    result,
    stop: () => {
      child.kill("SIGINT");
      return exited;
    },
    output: () => `${out}${err}`,
  };
}

/**
 * One step of a long test, bounded: a step that hangs fails the test naming itself (and what it
 * printed) instead of the whole test running into vitest's timeout without a word.
 */
async function step<T>(what: string, ms: number, run: () => Promise<T>, said?: () => string) {
  const started = Date.now();
  try {
    return await withTimeout(run(), ms, what, said);
  } finally {
    const took = Date.now() - started;
    if (took > ms / 4) console.warn(`[remote.test] ${what} took ${took} ms`);
  }
}

/** `up NAME` on `host` ("": the default engine) with the develop fixture, fresh ports on `bind`, JSON out. */
async function upArgs(host: string, env: string, bind: string, extra: string[] = []) {
  return [
    ...(host ? ["--host", host] : []),
    "up",
    env,
    "--image",
    IMAGE,
    "--pull",
    "never",
    ...extra,
    ...(await portArgs(bind)),
    "--json",
  ];
}

async function removeOurs(): Promise<void> {
  const list = await remoteClient().listContainers({ all: true });
  for (const c of list.filter((x) => x.Names.some((n) => n.startsWith(`/${PREFIX}-`)))) {
    await remoteClient()
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}

describeRemote("remote engines (a second engine host on 127.0.0.2 / 127.0.0.3)", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    home = mkdtempSync(join(tmpdir(), "mbdev-remote-home-"));
    includeRemoteSshConfig(home);
    // This user shares their logins to the engine's host (a common ~/.ssh/config): the tool's
    // tunnels must not go through that master, or their forwards would stay in it.
    appendFileSync(
      join(home, ".ssh", "config"),
      `\nHost 127.0.0.3\n  ControlMaster auto\n  ControlPath ${home}/cm-%C\n  ControlPersist 30\n`,
    );
    // Docker contexts as `docker context create` writes them, plus one for a host that is down.
    const env = { ...process.env, DOCKER_CONFIG: join(home, ".docker") };
    for (const [ctx, host] of [
      ["gpu-tcp", REMOTE_TCP],
      ["gpu-ssh", REMOTE_SSH],
      ["gone", "tcp://127.0.0.4:2375"],
    ] as const) {
      await execFileAsync("docker", ["context", "create", ctx, "--docker", `host=${host}`], {
        env,
      });
    }
    await removeOurs();
  });

  afterAll(async () => {
    for (const child of forwards) if (child.exitCode === null) child.kill("SIGKILL");
    await removeOurs();
  });

  it("doctor reports the engine's host, not this one: its Ascend chip, its engine, how it was chosen", async () => {
    const result = await cli(["--context", "gpu-tcp", "doctor", "--json"]);
    const out = parseJson<{
      facts: {
        engine: { connection: { url: string; via: string } };
        ascend?: { chips: number[]; chipName?: string };
        firewall?: { tool: string };
        remote?: { host: string; probe: string };
      };
    }>(result);
    expect(out.facts.engine.connection).toMatchObject({
      url: REMOTE_TCP,
      via: 'context "gpu-tcp" (--context)',
    });
    // /dev/davinci0 and npu-smi exist only in the second host's filesystem.
    expect(out.facts.ascend).toMatchObject({ chips: [0], chipName: "310P3" });
    expect(out.facts.remote).toMatchObject({ host: "127.0.0.2", probe: "container" });
    expect(out.facts.firewall?.tool).toBe("unknown");
    expect(await leftOnRemote()).toEqual([]);
    // This machine has neither: the same command against the local engine says so.
    const local = parseJson<{ facts: { ascend?: { chips: number[] } } }>(
      await cli(["doctor", "--json"]),
    );
    expect(local.facts.ascend?.chips ?? []).toEqual([]);
  });

  it("up over tcp:// mounts a directory that exists only there; the ssh command and key login go to 127.0.0.2", async () => {
    const env = name();
    const result = await cli(
      await upArgs(REMOTE_TCP, env, "127.0.0.2", ["--mount", `${REMOTE_ONLY_DIR}:/data:ro`]),
    );
    const out = parseJson<{ ok: boolean; ssh: { host: string; command: string; check: string } }>(
      result,
    );
    expect(out.ok).toBe(true);
    expect(out.ssh.host).toBe("127.0.0.2");
    expect(out.ssh.command).toContain("root@127.0.0.2");
    expect(out.ssh.check).toBe("key-login");
    const ssh = await execFileAsync("ssh", [
      "-F",
      join(home, ".ssh", "config"),
      `${env}.modelbox`,
      "cat",
      "/data/README",
    ]);
    expect(ssh.stdout).toContain("present only on the second engine host");
    expect((await cli(["--host", REMOTE_TCP, "rm", "-f", "--volumes", env])).code).toBe(0);
  });

  it("a mount source that exists here but not on the engine's host is refused, and nothing is left there", async () => {
    const localOnly = mkdtempSync(join(tmpdir(), "mbdev-local-only-"));
    const result = await cli(
      await upArgs(REMOTE_TCP, name(), "127.0.0.2", ["--mount", `${localOnly}:/data`]),
    );
    expect(result.code).toBe(1);
    const error = parseJson<{ error: { code: string; message: string } }>(result).error;
    expect(error.code).toBe("INVALID_MOUNT");
    expect(error.message).toContain("the engine's host 127.0.0.2");
    expect(await leftOnRemote()).toEqual([]);
  });

  it("up over ssh:// with ports on the remote loopback: ProxyJump in the ssh config entry, key login through it", async () => {
    const env = name();
    try {
      const args = await upArgs(REMOTE_SSH, env, "127.0.0.1");
      const result = await step("up", 150_000, () => cli(args));
      const out = parseJson<{
        ok: boolean;
        ssh: { command: string; check: string };
        editor: { url: string; forward?: string };
      }>(result);
      expect(out.ok).toBe(true);
      expect(out.ssh.command).toContain("-J root@127.0.0.3:2222");
      expect(out.ssh.check).toBe("key-login");
      expect(out.editor.forward).toBe(`modelbox-dev forward ${env}`);
      const config = readFileSync(join(home, ".ssh", "config"), "utf8");
      expect(config).toMatch(
        new RegExp(`Host ${env}\\.modelbox[\\s\\S]*?ProxyJump root@127\\.0\\.0\\.3:2222`),
      );
      const ssh = await step("ssh through the ProxyJump", 60_000, () =>
        execFileAsync("ssh", ["-F", join(home, ".ssh", "config"), `${env}.modelbox`, "hostname"], {
          timeout: 60_000,
        }),
      );
      expect(ssh.stdout.trim()).not.toBe("");
      // status looks through short-lived tunnels: sshd and the editor answer there.
      const status = parseJson<{
        ssh: { ready: boolean };
        editor: { ready: boolean; forward: string };
      }>(await step("status", 60_000, () => cli(["--host", REMOTE_SSH, "status", env, "--json"])));
      expect(status.ssh.ready).toBe(true);
      expect(status.editor).toMatchObject({ ready: true, forward: `modelbox-dev forward ${env}` });
      // The engine's connections shared one login (its master runs on, for the next command);
      // the tunnels of up and status had logins of their own, and no master kept their ports.
      expect(await sharedEngineLogins()).toHaveLength(1);
      expect(await listenersOfSshMasters()).toEqual([]);
      // forward goes through the environment's sshd, hopping through the engine's host. (Here that
      // host shares this machine's loopback, so the editor's own port is taken: another local one.)
      const [local = 0] = await freePorts(1);
      const forwardArgs = ["--host", REMOTE_SSH, "forward", env, `${local}:1104`];
      // A forward that ends before it listens rejects with its output; one that hangs says nothing.
      const forward = await step("forward starts listening", 60_000, () =>
        startForward(forwardArgs),
      );
      const said = forward.output;
      let stopped: number | undefined;
      try {
        expect(forward.result.url).toBe(`http://127.0.0.1:${local}/editor/`);
        expect(forward.result.command).toContain("-J root@127.0.0.3:2222");
        const answer = await step(
          "the editor through the forward",
          30_000,
          () => fetch(forward.result.url, { signal: AbortSignal.timeout(30_000) }),
          said,
        );
        expect(answer.status).toBe(200);
      } finally {
        stopped = await step("forward ends on Ctrl-C", 30_000, () => forward.stop(), said);
      }
      expect(stopped).toBe(130);
      expect(
        (await step("rm", 60_000, () => cli(["--host", REMOTE_SSH, "rm", "-f", "--volumes", env])))
          .code,
      ).toBe(0);
    } finally {
      // A step that failed must not leave the container for the next test's check to find.
      await remoteClient()
        .getContainer(env)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    }
  });

  it("a failed up leaves nothing on the remote engine", async () => {
    // A password for an image without sshd fails after the container was created.
    const result = await runCli(
      bin,
      [
        "--host",
        REMOTE_SSH,
        "up",
        name(),
        "--image",
        "modelbox-dev-fixture/runtime:latest",
        "--pull",
        "never",
        "--password-stdin",
        ...(await portArgs("127.0.0.1")),
        "--json",
      ],
      { env: { HOME: home }, input: "not-used-7\n" },
    );
    expect(result.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe("NO_SSHD");
    expect(await leftOnRemote()).toEqual([]);
  });

  it("ls --all-contexts shows the environments of both hosts and a line for the one that is down", async () => {
    const here = name();
    const there = name();
    for (const [host, env, bind] of [
      [REMOTE_TCP, there, "127.0.0.2"],
      ["", here, "127.0.0.1"],
    ] as const) {
      expect((await cli(await upArgs(host, env, bind, ["--no-develop-mode"]))).code).toBe(0);
    }
    try {
      const table = await cli(["ls", "--all-contexts"]);
      expect(table.code).toBe(0);
      const lines = table.stdout.split("\n");
      expect(lines[0]).toMatch(/^HOST\s+CONTEXT\s+NAME/);
      // The second host answers under both of its contexts (tcp:// and ssh://).
      const remoteLines = lines.filter((l) => l.includes(there));
      expect(remoteLines.some((l) => /^127\.0\.0\.2\s+gpu-tcp\s/.test(l))).toBe(true);
      expect(remoteLines.some((l) => /^127\.0\.0\.3\s+gpu-ssh\s/.test(l))).toBe(true);
      expect(lines.find((l) => l.includes(here))).toMatch(/^localhost\s+default\s/);
      expect(table.stdout).toMatch(
        /127\.0\.0\.4 \(context gone, tcp:\/\/127\.0\.0\.4:2375\): not answering/,
      );
    } finally {
      await cli(["rm", "-f", "--volumes", here]);
      await cli(["--host", REMOTE_TCP, "rm", "-f", "--volumes", there]);
    }
  });
});
