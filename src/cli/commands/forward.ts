import { openTunnel } from "../../access/ssh-tunnel.js";
import { getEnvironment } from "../../environment/find.js";
import { ModelboxDevError } from "../../errors.js";
import { LABELS, parsePortsLabel } from "../../labels.js";
import { createEngine, reachOf } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";

/**
 * The editor (and the HTTP port) of an environment whose ports listen on a remote host's
 * loopback, brought here through the ssh:// engine's login: 127.0.0.1:PORT here reaches the
 * same port there, until Ctrl-C.
 */
export async function run(name: string, flags: { json?: boolean }): Promise<number> {
  const engine = createEngine();
  const c = await getEnvironment(engine, name);
  const reach = reachOf(engine.connection, c.ports[0]?.hostIp);
  if (!reach.proxyJump) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `${c.name}'s ports are reachable from here without a tunnel (at ${reach.hostAddress}).`,
      "forward is for environments on a remote host's loopback, reached through an ssh:// engine.",
    );
  }
  const ports = parsePortsLabel(c.labels[LABELS.ports]);
  const wanted = [ports.editor, ports.http].filter((p): p is number => p !== undefined);
  const tunnels = await Promise.all(
    wanted.map((port) =>
      openTunnel({
        jump: reach.proxyJump ?? "",
        target: { host: reach.connectAddress, port },
        localPort: port,
      }),
    ),
  );
  const urls = {
    ...(ports.editor !== undefined ? { editor: `http://127.0.0.1:${ports.editor}/editor/` } : {}),
    ...(ports.http !== undefined ? { http: `http://127.0.0.1:${ports.http}/` } : {}),
  };
  if (flags.json) printJson({ ok: true, name: c.name, through: reach.proxyJump, ...urls });
  else {
    printLine(`Forwarding ${c.name}'s ports through ${reach.proxyJump} (Ctrl-C ends it):`);
    if (urls.editor) printLine(`  editor  ${urls.editor}`);
    if (urls.http) printLine(`  http    ${urls.http}`);
  }
  const stop = () => tunnels.forEach((t) => t.close());
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await Promise.race(tunnels.map((t) => t.closed));
  stop();
  logLine("The tunnel closed.");
  return 0;
}
