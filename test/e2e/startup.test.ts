import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { installPackedCli } from "../support/cli.js";

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
