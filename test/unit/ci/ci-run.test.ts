/**
 * `.ci/run --check` on made-up hosts: a PATH of its own (the real `node`, `id`, `grep`, `dirname`
 * and fakes of `dpkg-query`, `docker`), an engine that is a socket answering /_ping, or none.
 * It installs nothing and starts nothing.
 */
import { execFile } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

const CI_RUN = resolve(import.meta.dirname, "../../../.ci/run");
const root = mkdtempSync(join(tmpdir(), "mbdev-ci-run-"));
let server: Server;
const socket = join(root, "engine.sock");

/** The real tool's path (an executable file on PATH). */
function which(tool: string): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const path = join(dir, tool);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  throw new Error(`${tool} not found on PATH`);
}

/** A bin directory with the real basics, the given fakes (name → sh body) and nothing else. */
function binDir(name: string, fakes: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const tool of ["id", "dirname", "grep", "node", "npm"]) {
    if (!(tool in fakes)) symlinkSync(which(tool), join(dir, tool));
  }
  for (const [tool, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, tool), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

/** dpkg-query that knows no installed package. */
const NOTHING_INSTALLED = { "dpkg-query": "exit 1" };

function check(path: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      "/bin/bash",
      [CI_RUN, "--check"],
      { env: { PATH: path, HOME: root, ...env } },
      (err, stdout, stderr) => {
        done({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
  });
}

const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  server = createServer((_req, res) => res.end("OK"));
  await new Promise<void>((r) => server.listen(socket, r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

it.runIf(isRoot)(
  "says Node.js 20 is needed, and how to get it, before installing anything",
  async () => {
    const path = binDir("old-node", {
      ...NOTHING_INSTALLED,
      node: 'if [ "$1" = --version ]; then echo v18.19.0; else echo 18; fi',
      "apt-get": "echo apt-get was run >&2; exit 9",
    });
    const result = await check(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Node\.js v18\.19\.0 is too old \(20 or newer is required\)/);
    expect(result.stderr).toMatch(/nodejs\.org/);
    expect(result.stderr).not.toMatch(/apt-get was run/);
  },
);

it.runIf(isRoot)("does not install docker.io where an engine already answers", async () => {
  const path = binDir("engine-answers", { ...NOTHING_INSTALLED, docker: "exit 0" });
  const result = await check(path, { DOCKER_HOST: `unix://${socket}` });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(`engine: answers (unix://${socket})`);
  expect(result.stdout).toMatch(/^install: .*debootstrap/m);
  expect(result.stdout).not.toMatch(/docker\.io/);
});

it.runIf(isRoot)(
  "an engine that answers without a docker CLI: says so, naming DOCKER_HOST",
  async () => {
    const path = binDir("no-cli", NOTHING_INSTALLED);
    const result = await check(path, { DOCKER_HOST: `unix://${socket}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /answers at unix:\/\/.*\(DOCKER_HOST\) but the docker CLI is missing/,
    );
  },
);

it.runIf(isRoot)(
  "installs docker.io only where no engine answers and no dockerd exists",
  async () => {
    const none = { DOCKER_HOST: `unix://${join(root, "absent.sock")}` };
    const bare = await check(binDir("bare", NOTHING_INSTALLED), none);
    expect(bare.stdout).toMatch(/^engine: install/m);
    expect(bare.stdout).toMatch(/^install: .*docker\.io/m);
    const withDockerd = await check(
      binDir("dockerd", { ...NOTHING_INSTALLED, dockerd: "exit 0" }),
      none,
    );
    expect(withDockerd.stdout).toMatch(/^engine: start/m);
    expect(withDockerd.stdout).not.toMatch(/docker\.io/);
  },
);
