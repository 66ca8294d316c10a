/**
 * The dashboard's web server: the built page, a JSON API and WebSocket streams, each a thin
 * adapter over one library operation (see operations.ts). It never exposes the Engine API.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import { isModelboxDevError } from "../errors.js";
import { httpStatusOf, toApiError } from "./errors.js";
import type { DashboardOperations } from "./operations.js";
import { registerApiRoutes } from "./routes/api.js";
import { registerProgressStreams } from "./routes/progress.js";
import { registerStreams } from "./routes/streams.js";
import { registerTerminal } from "./routes/terminal.js";
import { installSecurity } from "./security.js";
import { StreamRegistry } from "./stream-registry.js";

/**
 * The built page, dist/dashboard/web: named from the parent directory so that it is found from
 * this module (dist/dashboard/) and from the bundled command line's chunks (dist/bin/) alike.
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../dashboard/web/", import.meta.url));

export interface DashboardServerOptions {
  operations: DashboardOperations;
  token: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  webRoot?: string;
}

export interface DashboardServer {
  app: FastifyInstance;
  port: number;
  /** Closes every stream, terminal and pending operation, then the server. */
  close(): Promise<void>;
}

export async function startDashboardServer(
  options: DashboardServerOptions,
): Promise<DashboardServer> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const streams = new StreamRegistry();
  // The port is known once listening; the security hook reads it then (cookie name).
  const security = { token: options.token, port: options.port };
  await app.register(fastifyCookie);
  installSecurity(app, security);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 1024 * 1024 },
    // Shutting down ends every page's sockets at once instead of waiting for their goodbyes.
    preClose: (done) => {
      for (const client of app.websocketServer.clients) client.terminate();
      app.websocketServer.close(() => done());
    },
  });
  app.setErrorHandler((err, _request, reply) => {
    // Fastify's own errors (bad JSON, too large) keep their status; ours map by code.
    const fastifyStatus = (err as { statusCode?: unknown }).statusCode;
    if (!isModelboxDevError(err) && typeof fastifyStatus === "number" && fastifyStatus < 500) {
      const message = err instanceof Error ? err.message : String(err);
      return reply.code(fastifyStatus).send({
        ok: false,
        error: { code: "INVALID_REQUEST", message },
      });
    }
    const error = toApiError(err);
    return reply.code(httpStatusOf(error)).send({ ok: false, error });
  });
  registerApiRoutes(app, options.operations);
  registerStreams(app, options.operations, streams);
  registerTerminal(app, options.operations, streams);
  registerProgressStreams(app, options.operations, streams);
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, index: ["index.html"] });
  }
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  security.port = port;
  return {
    app,
    port,
    close: async () => {
      await streams.closeAll();
      await app.close();
    },
  };
}
