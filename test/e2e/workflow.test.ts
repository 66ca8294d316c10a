import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  loopbackPorts,
  parseJson,
  runCli,
} from "../support/cli.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const PREFIX = "e2ework";

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string };
}

let bin = "";
let home = "";
let work = "";
let name = "";
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home, ...env } });

/** Every file under `dir` with the sha256 of its contents, as `sha256sum` prints them. */
function checksums(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const sum = createHash("sha256").update(readFileSync(path)).digest("hex");
        out.push(`${sum}  ${relative(dir, path)}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** The CLI as a long-running process (ssh -N, forward), with its output collected. */
function startCli(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(bin, args, {
    env: { ...process.env, HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (text += c.toString()));
  return { child, output: () => text };
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function httpStatus(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return res?.status ?? 0;
}

/** Polls until `url` answers 200 (the forward is up), or gives up after `ms`. */
async function answers(url: string, ms = 60_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await httpStatus(url)) === 200) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

describeEngine("files, the IDE and SSH forwarding, as a user runs modelbox-dev", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
    work = mkdtempSync(join(tmpdir(), "mbdev-e2e-work-"));
    name = uniqueName(PREFIX);
    const up = await cli([
      "up",
      name,
      "--image",
      DEVELOP_IMAGE,
      ...(await loopbackPorts()).args,
      "--no-default-mounts",
      "--pull",
      "never",
    ]);
    expect(up.code, up.stderr).toBe(0);
    const project = join(work, "project");
    mkdirSync(join(project, "graph"), { recursive: true });
    writeFileSync(join(project, "graph", "detect.toml"), '[graph]\nformat = "graphviz"\n');
    writeFileSync(join(project, "model.bin"), Buffer.alloc(300_000, 3));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("cp copies a tree into the environment and back out, contents intact", async () => {
    const into = await cli(["cp", join(work, "project"), `${name}:/root/`, "--json"]);
    expect(into.code, into.stderr).toBe(0);
    expect(parseJson(into)).toMatchObject({ ok: true, path: "/root/project" });
    const inside = await cli([
      "exec",
      name,
      "--",
      "sh",
      "-c",
      "cd /root/project && sha256sum $(find . -type f | sort)",
    ]);
    expect(
      inside.stdout
        .replace(/ {2}\.\//g, "  ")
        .trim()
        .split("\n")
        .sort(),
    ).toEqual(checksums(join(work, "project")));

    const human = await cli(["cp", `${name}:/root/project`, join(work, "back")]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Copied .* to .*back \(/);
    expect(checksums(join(work, "back"))).toEqual(checksums(join(work, "project")));

    const file = await cli([
      "cp",
      `${name}:/root/project/graph/detect.toml`,
      join(work, "one.toml"),
    ]);
    expect(file.code).toBe(0);
    expect(readFileSync(join(work, "one.toml"), "utf8")).toContain("graphviz");
  });

  it("cp refuses what docker cp refuses: a sentence, a hint, a non-zero exit", async () => {
    const missing = await cli(["cp", `${name}:/root/nope`, work, "--json"]);
    expect(missing.code).not.toBe(0);
    expect(parseJson<ErrorJson>(missing).error).toMatchObject({ code: "PATH_NOT_FOUND" });
    const noParent = await cli(["cp", join(work, "one.toml"), `${name}:/root/no/such/x`]);
    expect(noParent.code).not.toBe(0);
    expect(noParent.stderr).toMatch(/error: The directory \/root\/no\/such does not exist/);
    expect(noParent.stderr).toContain(
      `hint: Create it first: 'modelbox-dev exec ${name} -- mkdir -p /root/no/such'`,
    );
  });

  it("ssh NAME -- cmd runs the command; ssh NAME -L … really forwards a port", async () => {
    const run = await cli([
      "ssh",
      name,
      "--",
      "echo",
      "from-$(hostname)-as-$(whoami);",
      "exit",
      "7",
    ]);
    expect(run.stdout.trim()).toMatch(/^from-.*-as-root$/);
    expect(run.code).toBe(7);

    const [local = 0] = await freePorts(1);
    const url = `http://127.0.0.1:${local}/editor/`;
    const ssh = startCli(["ssh", name, "-N", "-L", `127.0.0.1:${local}:127.0.0.1:1104`]);
    try {
      expect(await answers(url), ssh.output()).toBe(true);
    } finally {
      ssh.child.kill("SIGTERM");
    }
    await exitOf(ssh.child);
    // ssh went with it: nothing listens on the port any more.
    expect(await httpStatus(url)).toBe(0);
  });

  it("forward prints a URL that answers, and Ctrl-C ends it with status 130", async () => {
    const [local = 0] = await freePorts(1);
    const fwd = startCli(["forward", name, `${local}:1104`, "--json"]);
    let url = "";
    const deadline = Date.now() + 60_000;
    while (!url && Date.now() < deadline && fwd.child.exitCode === null) {
      const match = /"url": "([^"]+)"/.exec(fwd.output());
      url = match?.[1] ?? "";
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, fwd.output()).toBe(`http://127.0.0.1:${local}/editor/`);
    // The ssh it runs gives up on a connection that stops answering (shown in its command).
    expect(fwd.output()).toContain("-o ServerAliveInterval=15 -o ServerAliveCountMax=4");
    expect(await httpStatus(url)).toBe(200);
    fwd.child.kill("SIGINT");
    expect(await exitOf(fwd.child)).toBe(130);
    expect(await httpStatus(url)).toBe(0);
  });

  it("forward to a local port something else holds is refused before ssh starts", async () => {
    const [local = 0] = await freePorts(1);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(local, "127.0.0.1", resolve));
    try {
      const r = await cli(["forward", name, `${local}:1104`, "--json"]);
      expect(r.code).toBe(1);
      const body = parseJson<ErrorJson>(r);
      expect(body.error.code).toBe("PORT_IN_USE");
      expect(body.error.hint).toContain(`:1104'`);
    } finally {
      holder.close();
    }
  });

  it("code runs `code --remote ssh-remote+NAME.modelbox PATH`, through the ssh config entry", async () => {
    const fakeBin = mkdtempSync(join(tmpdir(), "mbdev-fake-code-"));
    const record = join(fakeBin, "args");
    writeFileSync(join(fakeBin, "code"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    chmodSync(join(fakeBin, "code"), 0o755);
    const r = await cli(["code", name, "/root/project"], {
      PATH: `${fakeBin}:${process.env.PATH ?? ""}`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(record, "utf8").trim().split("\n")).toEqual([
      "--remote",
      `ssh-remote+${name}.modelbox`,
      "/root/project",
    ]);
    const config = readFileSync(join(home, ".ssh", "config"), "utf8");
    expect(config).toContain(`Host ${name}.modelbox`);

    const printed = await cli(["code", name, "--print"]);
    expect(printed.stdout.trim().split("\n")).toEqual([
      `code --remote ssh-remote+${name}.modelbox /root`,
      `vscode://vscode-remote/ssh-remote+${name}.modelbox/root`,
    ]);
  });

  it("code without VS Code says what to install, and fails", async () => {
    // Node stays reachable (the CLI runs on it), `code` does not.
    const path = `${dirname(process.execPath)}:/usr/bin:/bin`;
    const r = await cli(["code", name], { PATH: path });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("error: VS Code's 'code' command was not found on PATH.");
    expect(r.stderr).toContain("ms-vscode-remote.remote-ssh");
    const json = await cli(["code", name, "--json"], { PATH: path });
    expect(parseJson<ErrorJson>(json).error.code).toBe("VSCODE_MISSING");
  });
});
