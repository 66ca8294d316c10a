/**
 * Who may use the dashboard: whoever has the token it printed (as Jupyter does). The first
 * visit with `?token=` trades it for an HttpOnly, SameSite=Strict cookie; state-changing requests
 * and WebSocket upgrades must also come from the dashboard's own page (Origin), so another site
 * open in the same browser can neither drive it nor read from it.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Cookies are per host, not per port: two dashboards on one host must not share one. */
export function cookieName(port: number): string {
  return `modelbox-dev-dashboard-${port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isUpgrade(request: FastifyRequest): boolean {
  return (request.headers.upgrade ?? "").toLowerCase() === "websocket";
}

/** The page's own origin, as the browser names it: the scheme and the Host it asked for. */
function ownOrigin(request: FastifyRequest): string {
  return `http://${request.headers.host ?? ""}`;
}

function refuse(
  reply: FastifyReply,
  status: 401 | 403,
  code: string,
  message: string,
  hint: string,
) {
  return reply.code(status).send({ ok: false, error: { code, message, hint } });
}

export interface SecurityOptions {
  token: string;
  port: number;
}

/**
 * Every request: the token (cookie, `?token=` or `Authorization: Bearer`), then for requests that
 * change state or open a WebSocket, an Origin equal to the page's own. A bearer token is not
 * something a browser adds on its own, so requests carrying one need no Origin.
 */
export function installSecurity(app: FastifyInstance, options: SecurityOptions): void {
  app.addHook("onRequest", async (request, reply) => {
    const name = cookieName(options.port);
    const query = request.query as Record<string, string | undefined>;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const byBearer = sameToken(bearer, options.token);
    const byCookie = sameToken(request.cookies[name], options.token);
    const byQuery = sameToken(query.token, options.token);
    if (!byBearer && !byCookie && !byQuery) {
      return refuse(
        reply,
        401,
        "UNAUTHORIZED",
        "This dashboard needs the token it printed when it started.",
        "Open the URL that 'modelbox-dev dashboard' printed (it ends in ?token=…).",
      );
    }
    const changesState = !SAFE_METHODS.has(request.method) || isUpgrade(request);
    if (changesState && !byBearer && request.headers.origin !== ownOrigin(request)) {
      return refuse(
        reply,
        403,
        "FORBIDDEN_ORIGIN",
        `Requests from ${request.headers.origin ?? "an unknown origin"} may not change anything here.`,
        "Use the dashboard's own page.",
      );
    }
    if (byQuery && !byCookie) {
      reply.setCookie(name, options.token, {
        httpOnly: true,
        sameSite: "strict",
        path: "/",
      });
      // Pages drop the token from the address bar (and so from history and bookmarks).
      if (request.method === "GET" && !isUpgrade(request) && !request.url.startsWith("/api/")) {
        const url = new URL(request.url, "http://x");
        url.searchParams.delete("token");
        return reply.redirect(`${url.pathname}${url.search}`, 303);
      }
    }
  });
  // A refused upgrade's socket has left the HTTP server's care: end it, or it stays half-open.
  app.addHook("onResponse", async (request, reply) => {
    if (isUpgrade(request) && reply.statusCode >= 400) request.raw.socket.end();
  });
  app.addHook("onSend", async (_request, reply) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    reply.header(
      "Content-Security-Policy",
      // xterm.js sizes its rows with inline styles; everything else comes from this server.
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });
}
