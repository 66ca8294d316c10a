import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { access, mkdtemp, readFile, readdir, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePorts } from "./fixture-names.js";

const exec = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Packs the project as npm would publish it and installs the tarball into a fresh prefix, so the
 * tests run the same `modelbox-dev` a user gets (package.json "files", bin, shebang and all).
 * Needs `npm run build` first (`npm test` does it).
 */
export async function installPackedCli(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mbdev-e2e-"));
  await exec("npm", ["pack", "--pack-destination", dir, "--ignore-scripts"], { cwd: projectRoot });
  const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack made no tarball");
  // Several e2e files install the same package: reuse an install of the very same tarball.
  const hash = createHash("sha256")
    .update(await readFile(join(dir, tarball)))
    .digest("hex")
    .slice(0, 16);
  const prefix = join(tmpdir(), `mbdev-e2e-install-${hash}`);
  const bin = join(prefix, "node_modules", ".bin", "modelbox-dev");
  if (
    await access(bin).then(
      () => true,
      () => false,
    )
  )
    return bin;
  const staging = `${prefix}.${process.pid}`;
  await exec(
    "npm",
    [
      "install",
      "--prefix",
      staging,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(dir, tarball),
    ],
    { cwd: dir },
  );
  await rename(staging, prefix).catch(() => undefined); // another worker may have won the race
  return bin;
}

let testHome: string | undefined;

/**
 * A HOME of the test run's own: the CLI writes keys under ~/.modelbox-dev and a block in
 * ~/.ssh/config, which must never be the real user's.
 */
export function testHomeDir(): string {
  testHome ??= mkdtempSync(join(tmpdir(), "mbdev-home-"));
  return testHome;
}

/**
 * A CLI call that outlives this is stopped with SIGTERM (what Ctrl-C's clean-up also answers):
 * below the tests' own 180 s, so a hang fails its test saying which call hung, and what the call
 * made is undone before the next test looks at the engine.
 */
const CALL_TIMEOUT_MS = 150_000;

/** Runs the installed CLI; never throws on a non-zero exit (the exit code is part of the result). */
export async function runCli(
  bin: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      bin,
      args,
      {
        env: { ...process.env, HOME: testHomeDir(), ...options.env },
        timeout: options.timeoutMs ?? CALL_TIMEOUT_MS,
        killSignal: "SIGTERM",
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        const stopped =
          err?.killed === true
            ? `\n[runCli] modelbox-dev ${args.join(" ")} did not end within ${(options.timeoutMs ?? CALL_TIMEOUT_MS) / 1000} s and was stopped with SIGTERM\n`
            : "";
        resolvePromise({ code, stdout, stderr: stderr + stopped });
      },
    );
    // A call that exits before reading its input (most do) closes the pipe first: EPIPE here is
    // not the call's failure, and unhandled it would fail whichever test runs next.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input ?? "");
  });
}

/** Parses the single JSON object a --json command prints on stdout. */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON object:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** Fresh host ports for one environment, and the flags that publish them on loopback only. */
export async function loopbackPorts(): Promise<{
  ssh: number;
  editor: number;
  http: number;
  args: string[];
}> {
  const [ssh = 0, editor = 0, http = 0] = await freePorts(3);
  return {
    ssh,
    editor,
    http,
    args: [
      "--bind",
      "127.0.0.1",
      "--ssh-port",
      `${ssh}`,
      "--editor-port",
      `${editor}`,
      "--http-port",
      `${http}`,
    ],
  };
}
