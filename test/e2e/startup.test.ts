import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { installPackedCli, runCli } from "../support/cli.js";

const run = promisify(execFile);

/** Imports the installed package's engine in a fresh Node and reports which heavy modules loaded. */
const probe = (packageDir: string, afterImport: string) => `
import { createRequire } from "node:module";
const { DockerEngine } = await import(${JSON.stringify(join(packageDir, "dist/index.js"))});
const require = createRequire(${JSON.stringify(join(packageDir, "package.json"))});
const loaded = (part) => Object.keys(require.cache).some((k) => k.includes(part));
${afterImport}
console.log(JSON.stringify({ ssh2: loaded("/ssh2/"), grpc: loaded("/@grpc/"), engine: typeof DockerEngine }));
`;

describe("start-up of the installed package", () => {
  let packageDir: string;
  beforeAll(async () => {
    const bin = await installPackedCli();
    packageDir = join(dirname(dirname(bin)), "modelbox-dev");
  });

  it("loads neither ssh2 nor gRPC until they are used", async () => {
    const { stdout } = await run(process.execPath, [
      "--input-type=module",
      "-e",
      probe(packageDir, ""),
    ]);
    expect(JSON.parse(stdout)).toEqual({ ssh2: false, grpc: false, engine: "function" });
  });

  it("reaches an ssh:// engine through OpenSSH, still without ssh2", async () => {
    // Port 1 answers nothing: the call must fail, and fail through the ssh client.
    const useSsh = `
const { createEngine } = await import(${JSON.stringify(join(packageDir, "dist/index.js"))});
const sshEngine = createEngine({ host: "ssh://nobody@127.0.0.1:1" });
const failure = await sshEngine.version().then(() => "reached an engine on port 1", (e) => e.message);
if (!/ssh/i.test(failure)) throw new Error("not through ssh: " + failure);`;
    const { stdout } = await run(process.execPath, [
      "--input-type=module",
      "-e",
      probe(packageDir, useSsh),
    ]);
    expect(JSON.parse(stdout)).toEqual({ ssh2: false, grpc: false, engine: "function" });
  });
});

describe("NODE_EXTRA_CA_CERTS and the installed bin", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await installPackedCli();
  });
  const missing = "/nonexistent/modelbox-dev-test-ca.pem";
  const nodeWarning = `Ignoring extra certs from \`${missing}\``;

  it("is not read as the command line starts (Node reads it at every start of its own)", async () => {
    const env = { NODE_EXTRA_CA_CERTS: missing };
    const viaBin = await runCli(bin, ["--version"], { env });
    expect(viaBin).toMatchObject({ code: 0, stderr: "" });
    // The same file run by Node directly: Node's own reading, which warns of the missing file.
    const direct = await run(process.execPath, [bin, "--version"], {
      env: { ...process.env, ...env },
    });
    expect(direct.stderr).toContain(nodeWarning);
    expect(direct.stdout).toBe(viaBin.stdout);
  });

  it("is in the environment of the programs the command line runs, as it was set", async () => {
    // doctor runs nvidia-smi where PATH has one: this one notes what it was given.
    const dir = await mkdtemp(join(tmpdir(), "mbdev-fake-smi-"));
    try {
      const seen = join(dir, "seen");
      await writeFile(
        join(dir, "nvidia-smi"),
        `#!/bin/sh\necho "[\${NODE_EXTRA_CA_CERTS-unset}] [\${MODELBOX_DEV_DEFERRED_NODE_EXTRA_CA_CERTS-unset}]" >> ${seen}\nexit 9\n`,
      );
      await chmod(join(dir, "nvidia-smi"), 0o755);
      const env = { PATH: `${dir}:${process.env.PATH ?? ""}`, NODE_EXTRA_CA_CERTS: missing };
      await runCli(bin, ["doctor", "--json"], { env });
      const lines = (await readFile(seen, "utf8")).trim().split("\n");
      expect(lines.length).toBeGreaterThan(0);
      expect(new Set(lines)).toEqual(new Set([`[${missing}] [unset]`]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("stack traces of the installed bin", () => {
  it("with MODELBOX_DEV_DEBUG name the modules, not places in the minified bundle", async () => {
    const bin = await installPackedCli();
    const dir = await mkdtemp(join(tmpdir(), "mbdev-homefile-"));
    try {
      // A HOME that is a file: the name lock's mkdir fails (its stack comes with the error).
      const home = join(dir, "not-a-directory");
      await writeFile(home, "");
      const r = await runCli(bin, ["up", "stackbox"], {
        env: { HOME: home, MODELBOX_DEV_DEBUG: "1" },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: Cannot mkdir ${home}/.modelbox-dev/locks (ENOTDIR)`);
      expect(r.stderr).toMatch(/\n\s+at .*name-lock\.(ts|js):\d+:\d+/);
      expect(r.stderr).not.toContain("run-cli.cjs:");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
