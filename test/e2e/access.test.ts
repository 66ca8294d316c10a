import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  parseJson,
  runCli,
  loopbackPorts,
} from "../support/cli.js";
import {
  TEST_ENGINE,
  describeEngine,
  engineClient,
  execIn,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { DEVELOP_IMAGE, RUNTIME_IMAGE, tagFixtures } from "../support/fixture-names.js";

const execFileAsync = promisify(execFile);
const PREFIX = "e2eaccess";

/** The user's own ~/.ssh/config lines: they must survive every edit exactly. */
const USER_SSH_CONFIG = "# mine\nHost work\n  HostName work.example.com\n  User alice\n";

interface UpJson {
  ok: true;
  action: string;
  ports: { ssh: number; editor: number; http: number };
  ssh: {
    host: string;
    port: number;
    user: string;
    keyPath: string;
    command: string;
    configHost?: string;
    ready: boolean;
    check: string;
  };
  editor: { url: string; ready: boolean; developerMode: string };
  http: { port: number; ready: boolean };
  notes: string[];
  warnings: string[];
}

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

let bin = "";
let home = "";
const cli = (args: string[], input?: string): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home }, ...(input !== undefined ? { input } : {}) });

async function upArgs(name: string, image = DEVELOP_IMAGE): Promise<string[]> {
  return [
    "up",
    name,
    "--image",
    image,
    ...(await loopbackPorts()).args,
    "--no-default-mounts",
    "--pull",
    "never",
  ];
}

/** Runs a printed ssh command as a user would paste it, but never letting it prompt. */
async function sh(command: string): Promise<string> {
  const { stdout } = await execFileAsync("sh", ["-c", command], {
    env: { ...process.env, HOME: home },
    timeout: 30_000,
  });
  return stdout.trim();
}
const batch = (command: string) => command.replace(/^ssh /, "ssh -o BatchMode=yes ");

async function editorStatus(url: string): Promise<number> {
  // Bounded: something that accepts and never answers must not hold the test.
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return res?.status ?? 0;
}

/** A password login with OpenSSH through sshpass, the password on a pipe (fd 3), not in argv. */
function passwordLogin(port: number, knownHosts: string, password: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(
      "sshpass",
      [
        "-d",
        "3",
        "ssh",
        "-F",
        "/dev/null",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "PreferredAuthentications=password,keyboard-interactive",
        "-o",
        `UserKnownHostsFile=${knownHosts}`,
        "-o",
        "NumberOfPasswordPrompts=1",
        "-p",
        `${port}`,
        "root@127.0.0.1",
        "echo password-login-as-$(whoami)",
      ],
      { stdio: ["ignore", "pipe", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const fd3 = child.stdio[3] as NodeJS.WritableStream;
    fd3.end(`${password}\n`);
    child.on("error", (err) => resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 255, stdout, stderr }));
  });
}

/** Samples every process' argv and environment (`ps axeww`) until stopped. */
function watchProcessList(): { stop: () => Promise<string[]> } {
  const samples: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { stdout } = await execFileAsync("ps", ["axeww", "-o", "args="], {
        maxBuffer: 64 * 1024 * 1024,
      }).catch(() => ({ stdout: "" }));
      samples.push(stdout);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** The `Action` of each event the engine recorded for a container since `since` (unix s). */
/**
 * Every event of one container from now on, streamed live: the engine keeps only its last few
 * hundred events for `since` queries, which a busy engine overwrites within a minute.
 */
async function watchEngineEvents(container: string): Promise<{ stop: () => Promise<string[]> }> {
  const stream = await engineClient().getEvents({ filters: { container: [container] } });
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += String(chunk)));
  return {
    stop: async () => {
      // Events reach the stream a moment after the call that caused them.
      await new Promise((r) => setTimeout(r, 1000));
      (stream as unknown as { destroy: () => void }).destroy();
      return text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => (JSON.parse(l) as { Action?: string }).Action ?? "");
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describeEngine("SSH access and developer mode, as a user runs modelbox-dev", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    // The CLI's HOME: ~/.modelbox-dev and ~/.ssh/config of the real user are never touched.
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
    await execFileAsync("mkdir", ["-m", "700", join(home, ".ssh")]);
    writeFileSync(join(home, ".ssh", "config"), USER_SSH_CONFIG, { mode: 0o600 });
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("up prints a working ssh command and editor URL; ssh in, config entry, status; after stop and start the editor is back; rm cleans up", async () => {
    const name = uniqueName(PREFIX);
    const args = await upArgs(name);
    const r = await cli([...args, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const body = parseJson<UpJson>(r);
    const keyPath = join(home, ".modelbox-dev", "environments", name, "id_ed25519");
    expect(body.ssh).toMatchObject({
      host: "127.0.0.1",
      port: body.ports.ssh,
      user: "root",
      keyPath,
      configHost: `${name}.modelbox`,
      ready: true,
      check: "key-login",
    });
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(body.editor).toEqual({
      url: `http://127.0.0.1:${body.ports.editor}/editor/`,
      ready: true,
      developerMode: "running",
      allow: expect.arrayContaining(["127.0.0.1/8"]) as unknown,
      startsAtBoot: true,
    });
    expect(body.http).toMatchObject({ port: body.ports.http, ready: false });

    // A real OpenSSH login with the printed command and the generated key: no prompt at all.
    expect(await sh(`${batch(body.ssh.command)} 'echo logged-in-as-$(whoami)'`)).toBe(
      "logged-in-as-root",
    );
    // The managed entry works, and the user's own lines are untouched.
    const config = readFileSync(join(home, ".ssh", "config"), "utf8");
    expect(config.endsWith(`\n${USER_SSH_CONFIG}`)).toBe(true);
    expect(await sh(`ssh -F "$HOME/.ssh/config" -o BatchMode=yes ${name}.modelbox whoami`)).toBe(
      "root",
    );
    const viaTool = await cli(["ssh", name, "--", "echo", "via-modelbox-dev;", "exit", "3"]);
    expect(viaTool.stdout.trim()).toBe("via-modelbox-dev");
    expect(viaTool.code).toBe(3);

    // The editor URL answers from the host.
    expect(await editorStatus(body.editor.url)).toBe(200);

    // The human summary of a repeated up shows the same working command.
    const human = await cli(args);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${name} is already running`);
    expect(human.stdout).toContain(`ssh ${name}.modelbox`);
    expect(human.stdout).toContain(body.ssh.command);
    expect(human.stdout).toContain(`develop on: ${body.editor.url} answers`);

    const status = parseJson<UpJson>(await cli(["status", name, "--json"]));
    expect(status.ssh).toMatchObject({ command: body.ssh.command, keyPath, ready: true });
    expect(status.editor).toMatchObject({
      url: body.editor.url,
      ready: true,
      developerMode: "running",
    });
    expect(status.http).toMatchObject({ port: body.ports.http, ready: false });
    const develop = await cli(["develop", name, "--status", "--json"]);
    expect(parseJson<{ developerMode: string }>(develop).developerMode).toBe("running");

    expect((await cli(["stop", name])).code).toBe(0);
    expect(await editorStatus(body.editor.url)).toBe(0);
    const stopped = parseJson<UpJson>(await cli(["status", name, "--json"]));
    expect(stopped.editor.ready).toBe(false);
    expect(stopped.ssh.ready).toBe(false);
    const start = await cli(["start", name]);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain("developer mode is back on");
    expect(await editorStatus(body.editor.url)).toBe(200);

    // develop --stop, then develop brings it back.
    expect((await cli(["develop", name, "--stop"])).code).toBe(0);
    expect(await editorStatus(body.editor.url)).toBe(0);
    // `start` of a running environment leaves a server stopped on purpose alone.
    expect((await cli(["start", name])).code).toBe(0);
    expect(await editorStatus(body.editor.url)).toBe(0);
    const on = await cli(["develop", name]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain(body.editor.url);
    expect(await editorStatus(body.editor.url)).toBe(200);

    expect((await cli(["rm", "--force", name])).code).toBe(0);
    expect(readFileSync(join(home, ".ssh", "config"), "utf8")).toBe(USER_SSH_CONFIG);
    expect(() => statSync(join(home, ".modelbox-dev", "environments", name))).toThrow();
  });

  it("root passwords: up --password-stdin and passwd --password-stdin; password logins work; the secret is never in docker inspect, logs, files or the process list", async () => {
    const first = `first-${randomBytes(6).toString("hex")}`;
    const second = `second ${randomBytes(6).toString("hex")}!`;
    const name = uniqueName(PREFIX);
    const events = await watchEngineEvents(name);
    const ps = watchProcessList();
    const outputs: string[] = [];
    try {
      const r = await cli([...(await upArgs(name)), "--password-stdin", "--json"], `${first}\n`);
      outputs.push(r.stdout, r.stderr);
      expect(r.code, r.stderr).toBe(0);
      const body = parseJson<UpJson>(r);
      const knownHosts = join(home, ".modelbox-dev", "environments", name, "known_hosts");
      const login = await passwordLogin(body.ports.ssh, knownHosts, first);
      expect(login.stdout.trim(), login.stderr).toBe("password-login-as-root");

      const passwd = await cli(["passwd", name, "--password-stdin"], second);
      outputs.push(passwd.stdout, passwd.stderr);
      expect(passwd.code, passwd.stderr).toBe(0);
      expect(passwd.stdout).toContain("password");
      expect((await passwordLogin(body.ports.ssh, knownHosts, second)).stdout.trim()).toBe(
        "password-login-as-root",
      );
      expect((await passwordLogin(body.ports.ssh, knownHosts, first)).code).not.toBe(0);
    } finally {
      const samples = await ps.stop();
      expect(samples.length).toBeGreaterThan(5);
      // Only the program names of leaking processes: a sample holds every process' environment.
      const leaking = samples
        .flatMap((sample) => sample.split("\n"))
        .filter((line) => line.includes(first) || line.includes(second))
        .map((line) => line.split(" ")[0]);
      expect(leaking).toEqual([]);
    }
    const container = engineClient().getContainer(name);
    const details = await container.inspect();
    // Every exec the tool ran, with its command line, as the engine's event log recorded it.
    const execs = (await events.stop()).filter((e) => e.startsWith("exec_"));
    // Docker's event log names each exec's command; Podman's does not.
    if (TEST_ENGINE === "docker") {
      expect(execs.some((e) => e.startsWith("exec_create: chpasswd"))).toBe(true);
    }
    const inspect = JSON.stringify([details, execs]);
    const logs = (
      await engineClient().getContainer(name).logs({ stdout: true, stderr: true })
    ).toString();
    const files = filesUnder(home).map((f) => readFileSync(f, "utf8"));
    for (const haystack of [inspect, logs, ...files, ...outputs]) {
      expect(haystack).not.toContain(first);
      expect(haystack).not.toContain(second);
    }
  });

  it("develop --status says stopped when nothing answers, even with a pid file that names a live process; a server that cannot start makes develop exit 1 with the log lines of this start", async () => {
    const name = uniqueName(PREFIX);
    const r = await cli([...(await upArgs(name)), "--json", "--no-ssh-config"]);
    expect(r.code, r.stderr).toBe(0);
    const url = parseJson<UpJson>(r).editor.url;
    const container = engineClient().getContainer(name);
    const inside = async (script: string) =>
      (await execIn(container, ["sh", "-c", script])).stdout.trim();
    // What a container restart can leave behind: the server gone, its pid taken by another process.
    await inside("/root/modelbox-service/modelbox-manager stop");
    const other = await inside("setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!");
    await inside(`echo ${other} > /root/modelbox-service/run/modelbox.pid`);

    const status = await cli(["develop", name, "--status"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("the ModelBox server is stopped");
    expect(status.stdout).toContain(`modelbox service is running. pid ${other}`);
    expect(status.stdout).toContain("nothing answers on port 1104 inside the container");
    const json = parseJson<{ developerMode: string; editor: { ready: boolean } }>(
      await cli(["develop", name, "--status", "--json"]),
    );
    expect(json).toMatchObject({ developerMode: "stopped", editor: { ready: false } });

    // Something else holds the editor port inside: the server cannot listen.
    await inside(
      `setsid python3 -c "import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 1104)); s.listen(); time.sleep(600)" </dev/null >/dev/null 2>&1 &
      until ss -Hltn sport = :1104 | grep -q .; do sleep 0.2; done`,
    );
    const failed = await cli(["develop", name, "--timeout", "60"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The ModelBox server did not start");
    expect(failed.stderr).toMatch(/listen on 0\.0\.0\.0:1104 failed, Address already in use/);
    expect(failed.stderr).not.toMatch(/listening on 0\.0\.0\.0:1104/); // the earlier start's
    expect(await editorStatus(url)).toBe(0);
    // The process the stale pid file named was never signalled.
    expect(await inside(`kill -0 ${other} && echo alive`)).toBe("alive");
  });

  it("a runtime image has no sshd and no editor: skipped with a note, not an error", async () => {
    const name = uniqueName(PREFIX);
    const r = await cli([...(await upArgs(name, RUNTIME_IMAGE)), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const body = parseJson<UpJson & { ssh?: unknown; editor?: unknown }>(r);
    expect(body.ssh).toBeUndefined();
    expect(body.editor).toBeUndefined();
    expect(body.notes.join("\n")).toMatch(/SSH keys and developer mode are skipped/);
    const human = await cli(["status", name]);
    expect(human.stdout).not.toContain("ssh ");
    for (const [args, code] of [
      [["ssh", name], "NO_SSHD"],
      [["develop", name, "--json"], "NO_EDITOR"],
    ] as const) {
      const refused = await cli([...args, "--json"]);
      expect(refused.code).not.toBe(0);
      expect(parseJson<ErrorJson>(refused).error.code).toBe(code);
    }
  });

  const privateKeyDir = mkdtempSync(join(tmpdir(), "mbdev-e2e-keys-"));
  const badInputs: Array<[string, (name: string) => Promise<string[]>, string, string?]> = [
    [
      "an SSH key path that does not exist",
      async (n) => [...(await upArgs(n)), "--ssh-key", "/nonexistent/id_ed25519.pub"],
      "INVALID_SSH_KEY",
    ],
    [
      "an SSH key that is not a public key",
      async (n) => {
        writeFileSync(join(privateKeyDir, "id"), "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n");
        return [...(await upArgs(n)), "--ssh-key", join(privateKeyDir, "id")];
      },
      "INVALID_SSH_KEY",
    ],
    [
      "--ssh-key for an image without sshd",
      async (n) => [...(await upArgs(n, RUNTIME_IMAGE)), "--ssh-key", join(privateKeyDir, "id")],
      "NO_SSHD",
    ],
    [
      "an empty password",
      async (n) => [...(await upArgs(n)), "--password-stdin"],
      "INVALID_PASSWORD",
      "",
    ],
    [
      "an --editor-allow that is not a CIDR",
      async (n) => [...(await upArgs(n)), "--editor-allow", "somewhere"],
      "INVALID_OPTION",
    ],
  ];
  for (const [what, args, code, input] of badInputs) {
    it(`bad input, ${what}: ${code} with a hint, nothing created`, async () => {
      const name = uniqueName(PREFIX);
      const r = await cli([...(await args(name)), "--json"], input);
      expect(r.code).not.toBe(0);
      const body = parseJson<ErrorJson>(r);
      expect(body.error.code).toBe(code);
      expect(body.error.hint ?? "").not.toBe("");
      expect(
        await engineClient()
          .getContainer(name)
          .inspect()
          .then(
            () => true,
            () => false,
          ),
      ).toBe(false);
    });
  }

  it("passwd without a terminal and without --password-stdin is refused, and so is an empty one", async () => {
    const name = uniqueName(PREFIX);
    expect((await cli([...(await upArgs(name)), "--no-develop-mode"])).code).toBe(0);
    const noFlag = await cli(["passwd", name, "--json"], "piped-secret\n");
    expect(parseJson<ErrorJson>(noFlag).error.code).toBe("PASSWORD_REQUIRED");
    const empty = await cli(["passwd", name, "--password-stdin", "--json"], "\n");
    expect(parseJson<ErrorJson>(empty).error.code).toBe("INVALID_PASSWORD");
  });
});
