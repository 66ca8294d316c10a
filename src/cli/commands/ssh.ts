import { spawn } from "node:child_process";
import { constants } from "node:os";
import { sshLogin } from "../../environment/ssh-login.js";

/**
 * Logs in with the system ssh, the environment's key and host keys. OpenSSH options after the
 * name (-L, -R, -A, -N, -v …) go to ssh; the remote command, if any, is handed to ssh as is (the
 * remote shell runs it, as with plain ssh). Exits with ssh's status.
 */
export async function run(name: string, args: string[]): Promise<number> {
  const login = await sshLogin({ name, args });
  const child = spawn(login.ssh, login.args, { stdio: "inherit" });
  // ssh handles Ctrl-C itself (remote side, or its own exit): this process only waits. A
  // SIGTERM or SIGHUP meant for this process is passed on, so ssh never outlives it.
  const ignore = () => undefined;
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", ignore);
  process.on("SIGTERM", passOn);
  process.on("SIGHUP", passOn);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) =>
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 127)),
      );
    });
  } finally {
    process.removeListener("SIGINT", ignore);
    process.removeListener("SIGTERM", passOn);
    process.removeListener("SIGHUP", passOn);
  }
}
