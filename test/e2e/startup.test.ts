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

  it("loads ssh2 when an ssh:// engine is used, and the call reaches it", async () => {
    const useSsh = `
const engine = new DockerEngine({ protocol: "ssh", host: "127.0.0.1", port: 1, username: "nobody" });
await engine.version().then(() => { throw new Error("reached an engine on port 1"); }, () => undefined);`;
    const { stdout } = await run(process.execPath, [
      "--input-type=module",
      "-e",
      probe(packageDir, useSsh),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ ssh2: true, engine: "function" });
  });
});
