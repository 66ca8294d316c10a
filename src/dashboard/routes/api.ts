/** The JSON API: one route per library operation, its result as the CLI's --json prints it. */
import type { FastifyInstance } from "fastify";
import type { DashboardOperations } from "../operations.js";
import type { CreateOptions, DashboardInfo } from "../protocol.js";

interface NameParams {
  name: string;
}

/** GET /api/environments/:name/logs?tail=N: the log as a file to download. */
function attachmentName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.log`;
}

export function registerApiRoutes(app: FastifyInstance, ops: DashboardOperations): void {
  app.get("/api/info", (): DashboardInfo => {
    return { version: ops.version() };
  });
  app.get<{ Querystring: { mine?: string } }>("/api/environments", (req) =>
    ops.ls({ mine: req.query.mine === "true" }),
  );
  app.get<{ Params: NameParams }>("/api/environments/:name", (req) => ops.status(req.params.name));
  app.post<{ Params: NameParams }>("/api/environments/:name/start", (req) =>
    ops.start(req.params.name),
  );
  app.post<{ Params: NameParams; Querystring: { force?: string } }>(
    "/api/environments/:name/stop",
    (req) => ops.stop(req.params.name, { force: req.query.force === "true" }),
  );
  app.post<{ Params: NameParams }>("/api/environments/:name/develop", (req) =>
    ops.develop(req.params.name),
  );
  app.delete<{ Params: NameParams; Querystring: { force?: string; volumes?: string } }>(
    "/api/environments/:name",
    (req) =>
      ops.rm(req.params.name, {
        force: req.query.force === "true",
        volumes: req.query.volumes === "true",
      }),
  );
  app.get<{ Params: NameParams; Querystring: { tail?: string } }>(
    "/api/environments/:name/logs",
    async (req, reply) => {
      const tail = req.query.tail === undefined ? undefined : Number(req.query.tail);
      let text = "";
      const done = new AbortController();
      await ops.logs(
        req.params.name,
        { follow: false, ...(tail !== undefined && Number.isInteger(tail) ? { tail } : {}) },
        (chunk) => (text += chunk),
        done.signal,
      );
      return reply
        .type("text/plain; charset=utf-8")
        .header("Content-Disposition", `attachment; filename="${attachmentName(req.params.name)}"`)
        .send(text);
    },
  );
  app.post<{ Body: CreateOptions }>("/api/plan", (req) => ops.plan(req.body ?? {}));
  app.get("/api/images", () => ops.images());
  app.get("/api/doctor", () => ops.doctor());
}
