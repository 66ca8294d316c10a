import { type ChildProcess, spawn } from "node:child_process";

export interface RunningDashboard {
  /** The URL it printed, with its token. */
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Ctrl-C, then its exit status. */
  interrupt(): Promise<number | null>;
}

/** Starts `modelbox-dev dashboard` as a user would and waits for the URL it prints. */
export async function startDashboard(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<RunningDashboard> {
  const child = spawn(bin, ["dashboard", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr:\n${stderr}`)), 30_000);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      const found = /(http:\/\/\S+\?token=\S+)/.exec(stdout)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    void exited.then((code) => reject(new Error(`dashboard exited (${code}):\n${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get("token") ?? "",
    process: child,
    stderr: () => stderr,
    stdout: () => stdout,
    interrupt: () => {
      child.kill("SIGINT");
      return exited;
    },
  };
}
