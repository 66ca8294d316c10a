/**
 * A terminal in the browser: a shell with a TTY in a managed, running environment. Output goes
 * to the page as binary frames (xterm.js decodes UTF-8 across chunk boundaries); keystrokes and
 * window sizes come back as JSON messages.
 */
import type { FastifyInstance } from "fastify";
import { toApiError } from "../errors.js";
import type { DashboardOperations } from "../operations.js";
import type { ClientMessage } from "../protocol.js";
import { type StreamRegistry, parseClientMessage, send } from "../stream-registry.js";

interface TerminalQuery {
  columns?: string;
  rows?: string;
}

function dimension(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 1000 ? n : fallback;
}

export function registerTerminal(
  app: FastifyInstance,
  ops: DashboardOperations,
  streams: StreamRegistry,
): void {
  app.get<{ Params: { name: string }; Querystring: TerminalQuery }>(
    "/ws/environments/:name/terminal",
    { websocket: true },
    (socket, req) => {
      const size = {
        columns: dimension(req.query.columns, 80),
        rows: dimension(req.query.rows, 24),
      };
      // Keystrokes typed while the shell starts are kept, in order.
      const early: ClientMessage[] = [];
      let handle: ((message: ClientMessage) => void) | undefined;
      socket.on("message", (raw) => {
        const message = parseClientMessage(raw);
        if (!message) return;
        if (handle) handle(message);
        else early.push(message);
      });
      let gone = false;
      socket.on("close", () => (gone = true));
      ops.terminal(req.params.name, size).then(
        (session) => {
          const unregister = streams.add(() => session.close());
          const finish = () => {
            unregister();
            void session.close();
          };
          if (gone) return finish();
          socket.on("close", finish);
          session.onOutput((chunk) => {
            if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
          });
          handle = (message) => {
            if (message.type === "input") session.write(message.data);
            else if (message.type === "resize") {
              void session.resize({
                columns: dimension(String(message.columns), size.columns),
                rows: dimension(String(message.rows), size.rows),
              });
            }
          };
          early.splice(0).forEach(handle);
          void session.exited.then((code) => {
            send(socket, { type: "exit", code });
            socket.close(1000, "exited");
          });
        },
        (err: unknown) => {
          send(socket, { type: "error", error: toApiError(err) });
          socket.close(1011, "no terminal");
        },
      );
    },
  );
}
