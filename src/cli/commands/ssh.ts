import { spawn } from "node:child_process";
import { constants } from "node:os";
import { sshLogin } from "../../environment/ssh-login.js";

/**
 * Logs in with the system ssh, the environment's key and host keys; the remote command, if any,
 * is handed to ssh as is (the remote shell runs it, as with plain ssh). Exits with ssh's status.
 */
export async function run(name: string, args: string[]): Promise<number> {
  // Options pass through untouched after the name, so the separator arrives too.
  const command = args[0] === "--" ? args.slice(1) : args;
  const login = await sshLogin({ name, command });
  const child = spawn(login.ssh, login.args, { stdio: "inherit" });
  // ssh handles Ctrl-C itself (remote side, or its own exit): this process only waits.
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) =>
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 127)),
      );
    });
  } finally {
    process.removeListener("SIGINT", ignore);
  }
}
