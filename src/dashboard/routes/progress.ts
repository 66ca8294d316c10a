/**
 * Long operations with progress: `up` (create), `upgrade` and `pull`. The page sends the options as the
 * first message; progress events stream back as the library reports them, then the result or
 * the error (the same message and hint as the CLI). Closing the page cancels the operation.
 */
import type { FastifyInstance } from "fastify";
import { toApiError } from "../errors.js";
import { type DashboardOperations, type RequestContext, toPage } from "../operations.js";
import type { ClientMessage } from "../protocol.js";
import { type StreamRegistry, abortWith, parseClientMessage, send } from "../stream-registry.js";

type Run = (message: ClientMessage, context: RequestContext) => Promise<object> | undefined;

function operationStream(app: FastifyInstance, path: string, streams: StreamRegistry, run: Run) {
  app.get(path, { websocket: true }, (socket) => {
    const controller = abortWith(socket, streams);
    socket.once("message", (raw) => {
      const message = parseClientMessage(raw);
      if (!message) return socket.close(1003, "not JSON");
      const context: RequestContext = {
        signal: controller.signal,
        onEvent: (event) => send(socket, { type: "progress", event: toPage(event) }),
      };
      const running = run(message, context);
      if (!running) return socket.close(1003, "unexpected message");
      running
        .then(
          (result) => send(socket, { type: "result", result }),
          (err: unknown) => send(socket, { type: "error", error: toApiError(err) }),
        )
        .finally(() => socket.close(1000, "done"));
    });
  });
}

export function registerProgressStreams(
  app: FastifyInstance,
  ops: DashboardOperations,
  streams: StreamRegistry,
): void {
  operationStream(app, "/ws/up", streams, (message, context) =>
    message.type === "up" ? ops.up(message.options ?? {}, context) : undefined,
  );
  operationStream(app, "/ws/upgrade", streams, (message, context) =>
    message.type === "upgrade" && typeof message.options?.name === "string"
      ? ops.upgrade(message.options, context)
      : undefined,
  );
  operationStream(app, "/ws/pull", streams, (message, context) =>
    message.type === "pull" ? ops.pull(message.reference, context) : undefined,
  );
}
