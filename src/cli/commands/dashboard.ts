import { spawn } from "node:child_process";
import { isIP } from "node:net";
import { DashboardOperations } from "../../dashboard/operations.js";
import { newToken } from "../../dashboard/security.js";
import { startDashboardServer } from "../../dashboard/server.js";
import { ModelboxDevError } from "../../errors.js";
import { parsePort, validateBindAddress } from "../../plan/validate.js";
import { logLine, printLine } from "../output.js";

interface DashboardFlags {
  port: string;
  listen: string;
  open?: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

function parseListen(address: string): string {
  if (address === "" || validateBindAddress(address) === "") {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--listen needs an IP address.",
      "E.g. --listen 127.0.0.1 (the default), or --listen 0.0.0.0 for every interface.",
    );
  }
  return address;
}

/** The URL as a browser on this host writes it: a wildcard address is reached on loopback. */
function urlFor(address: string, port: number, token: string): string {
  const host = address === "0.0.0.0" ? "127.0.0.1" : address === "::" ? "[::1]" : address;
  const shown = isIP(host) === 6 && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${shown}:${port}/?token=${token}`;
}

/** The desktop's own opener; no browser is bundled. Failing to open is only a note. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", () =>
    logLine(`note: could not open a browser (${command}); open the URL yourself.`),
  );
  child.unref();
}

/** `dashboard`: serves the web dashboard until Ctrl-C, then closes every stream and exec. */
export async function run(flags: DashboardFlags): Promise<number> {
  const port = flags.port.trim() === "0" ? 0 : parsePort(flags.port, "--port");
  const host = parseListen(flags.listen);
  if (!LOOPBACK.test(host)) {
    logLine(
      `warning: listening on ${host}: anyone who can reach this address and has the token can create, ` +
        "stop and remove environments and open a root shell in them, and plain HTTP carries the token unencrypted. " +
        "Prefer the default 127.0.0.1 with an SSH tunnel (ssh -L).",
    );
  }
  // A page that leaves mid-request must not take the server down with it.
  process.on("unhandledRejection", (reason) => {
    logLine(`warning: ${reason instanceof Error ? reason.message : String(reason)}`);
  });
  const token = newToken();
  const server = await startDashboardServer({
    operations: new DashboardOperations(),
    token,
    host,
    port,
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code === "EADDRINUSE") {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Port ${port} on ${host} is already in use.`,
        "Choose another with --port, or --port 0 for any free port.",
      );
    }
    throw err;
  });
  const url = urlFor(host, server.port, token);
  logLine("The dashboard is serving at:");
  printLine(`  ${url}`);
  logLine("Keep the URL to yourself: its token lets its holder manage your environments.");
  logLine("Press Ctrl-C to stop.");
  if (flags.open) openBrowser(url);
  const closedInTime = await new Promise<boolean>((resolve) => {
    const stop = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      logLine("Stopping the dashboard (closing terminals and streams)…");
      // A busy or stuck engine must not keep the dashboard alive: a deadline, and a second
      // Ctrl-C, end it anyway.
      const deadline = setTimeout(() => resolve(false), CLOSE_DEADLINE_MS);
      process.once("SIGINT", () => resolve(false));
      process.once("SIGTERM", () => resolve(false));
      void server.close().finally(() => {
        clearTimeout(deadline);
        resolve(true);
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  if (!closedInTime) {
    logLine("Some terminals or streams did not close in time; the dashboard exits anyway.");
    // Whatever is still open (an engine call that does not answer) would keep Node running.
    setImmediate(() => process.exit(0));
  }
  return 0;
}

/** How long Ctrl-C waits for terminals and engine streams to close. */
const CLOSE_DEADLINE_MS = 15_000;
