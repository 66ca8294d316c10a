/** Talking to the dashboard's server: JSON requests and WebSockets, errors as the CLI's. */
import type { ApiError, ClientMessage, ProgressEvent, ServerMessage } from "../protocol.js";

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const payload = (await response.json().catch(() => undefined)) as
    { ok?: boolean; error?: ApiError } | undefined;
  if (!response.ok) {
    throw new ApiFailure(
      payload?.error ?? { code: `HTTP_${response.status}`, message: response.statusText },
    );
  }
  return payload as T;
}

export const getJson = <T>(path: string) => request<T>("GET", path);
export const postJson = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
export const deleteJson = <T>(path: string) => request<T>("DELETE", path);

/** A WebSocket to this server (the cookie and the page's origin go along by themselves). */
export function openSocket(path: string): WebSocket {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return new WebSocket(`${scheme}//${location.host}${path}`);
}

export function parseMessage(event: MessageEvent): ServerMessage | undefined {
  if (typeof event.data !== "string") return undefined;
  try {
    return JSON.parse(event.data) as ServerMessage;
  } catch {
    return undefined;
  }
}

export interface OperationHandlers {
  onProgress: (event: ProgressEvent) => void;
  onResult(result: object): void;
  onError: (error: ApiError) => void;
}

/** Runs a long operation over a WebSocket; the returned function cancels it. */
export function runOperation(
  path: string,
  start: ClientMessage,
  handlers: OperationHandlers,
): () => void {
  const socket = openSocket(path);
  let finished = false;
  socket.addEventListener("open", () => socket.send(JSON.stringify(start)));
  socket.addEventListener("message", (event) => {
    const message = parseMessage(event);
    if (message?.type === "progress") handlers.onProgress(message.event);
    else if (message?.type === "result") {
      finished = true;
      handlers.onResult(message.result);
    } else if (message?.type === "error") {
      finished = true;
      handlers.onError(message.error);
    }
  });
  socket.addEventListener("close", () => {
    if (!finished) {
      handlers.onError({
        code: "DISCONNECTED",
        message: "The connection to the dashboard closed before the operation finished.",
        hint: "Is 'modelbox-dev dashboard' still running? Check the environment list.",
      });
    }
  });
  return () => socket.close();
}
