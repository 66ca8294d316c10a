/**
 * Read-only streams: the environment list as the engine's events change it, an environment's
 * log, and its CPU and memory. Each is one library stream passed through as it comes.
 */
import type { FastifyInstance } from "fastify";
import { toApiError } from "../errors.js";
import { type DashboardOperations, rowsForPage } from "../operations.js";
import { type StreamRegistry, abortWith, send } from "../stream-registry.js";

interface NameParams {
  name: string;
}

export function registerStreams(
  app: FastifyInstance,
  ops: DashboardOperations,
  streams: StreamRegistry,
): void {
  // The list now, then again after every change the engine reports (no polling, no reloads).
  // `?mine=true`: `ls --mine`, the environments of the user the dashboard runs as.
  app.get<{ Querystring: { mine?: string } }>(
    "/ws/environments",
    { websocket: true },
    (socket, req) => {
      const controller = abortWith(socket, streams);
      const mine = req.query.mine === "true";
      const sendList = async () => {
        const environments = rowsForPage(await ops.ls({ mine }));
        send(socket, { type: "environments", environments });
      };
      void (async () => {
        try {
          const changes = ops.watch(controller.signal)[Symbol.asyncIterator]();
          // Subscribe first, then list: a change between the two is not lost.
          const first = changes.next();
          // Handled below, after the list went out; a failure meanwhile must not go unhandled.
          first.catch(() => undefined);
          await sendList();
          for (let next = await first; !next.done; next = await changes.next()) await sendList();
        } catch (err) {
          if (!controller.signal.aborted) send(socket, { type: "error", error: toApiError(err) });
        }
      })();
    },
  );

  app.get<{ Params: NameParams; Querystring: { tail?: string } }>(
    "/ws/environments/:name/logs",
    { websocket: true },
    (socket, req) => {
      const controller = abortWith(socket, streams);
      const tail = Number(req.query.tail ?? "500");
      ops
        .logs(
          req.params.name,
          { follow: true, ...(Number.isInteger(tail) && tail >= 0 ? { tail } : {}) },
          (data) => send(socket, { type: "output", data }),
          controller.signal,
        )
        .catch((err: unknown) => send(socket, { type: "error", error: toApiError(err) }));
    },
  );

  app.get<{ Params: NameParams }>(
    "/ws/environments/:name/stats",
    { websocket: true },
    (socket, req) => {
      const controller = abortWith(socket, streams);
      void (async () => {
        try {
          for await (const sample of ops.stats(req.params.name, controller.signal)) {
            send(socket, { type: "stats", sample });
          }
        } catch (err) {
          if (!controller.signal.aborted) send(socket, { type: "error", error: toApiError(err) });
        }
      })();
    },
  );
}
