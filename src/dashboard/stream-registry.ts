import type { WebSocket } from "@fastify/websocket";
import type { ClientMessage, ServerMessage } from "./protocol.js";

type Closer = () => unknown;

/**
 * Everything open on behalf of a page (engine streams, terminals, running operations), so that
 * shutting down closes each of them instead of leaving execs and requests behind.
 */
export class StreamRegistry {
  private readonly open = new Set<Closer>();
  private closed = false;

  /**
   * Registers a closer; the returned function unregisters it (once the stream ended itself).
   * Once shutting down, a stream opened meanwhile (a page reconnecting) is closed at once: left
   * open, its engine request would keep the process alive.
   */
  add(close: Closer): () => void {
    if (this.closed) {
      void Promise.resolve().then(close);
      return () => undefined;
    }
    this.open.add(close);
    return () => this.open.delete(close);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const closers = [...this.open];
    this.open.clear();
    await Promise.allSettled(closers.map((close) => Promise.resolve().then(close)));
  }
}

/** Sends one message if the socket is still open (the page may have gone meanwhile). */
export function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * An AbortController tied to a socket and to shutdown: aborted when the page goes away or the
 * server stops, whichever comes first.
 */
export function abortWith(socket: WebSocket, streams: StreamRegistry): AbortController {
  const controller = new AbortController();
  const unregister = streams.add(() => controller.abort());
  socket.on("close", () => {
    controller.abort();
    unregister();
  });
  controller.signal.addEventListener("abort", () => {
    unregister();
    if (socket.readyState === socket.OPEN) socket.close(1001, "closing");
  });
  return controller;
}

/** A message from the page; undefined for anything that is not JSON. */
export function parseClientMessage(
  raw: Buffer | ArrayBuffer | Buffer[],
): ClientMessage | undefined {
  try {
    const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    return JSON.parse(bytes.toString("utf8")) as ClientMessage;
  } catch {
    return undefined;
  }
}
