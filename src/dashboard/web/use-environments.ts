import { useEffect, useState } from "preact/hooks";
import type { ApiError, EnvironmentRow } from "../protocol.js";
import { openSocket, parseMessage } from "./api.js";

export interface EnvironmentList {
  environments: EnvironmentRow[] | undefined;
  error: ApiError | undefined;
  connected: boolean;
}

/**
 * The environment list, pushed by the server whenever the engine reports a change; reconnects
 * when the connection drops (the dashboard restarted, the laptop slept). `mine`: only the
 * environments of the user the dashboard runs as (`ls --mine`).
 */
export function useEnvironments(mine = false): EnvironmentList {
  const [state, setState] = useState<EnvironmentList>({
    environments: undefined,
    error: undefined,
    connected: false,
  });
  useEffect(() => {
    setState({ environments: undefined, error: undefined, connected: false });
    let socket: WebSocket | undefined;
    let retry: number | undefined;
    let stopped = false;
    const connect = () => {
      socket = openSocket(`/ws/environments${mine ? "?mine=true" : ""}`);
      socket.addEventListener("open", () => setState((s) => ({ ...s, connected: true })));
      socket.addEventListener("message", (event) => {
        const message = parseMessage(event);
        if (message?.type === "environments") {
          setState({ environments: message.environments, error: undefined, connected: true });
        } else if (message?.type === "error") {
          setState((s) => ({ ...s, error: message.error }));
        }
      });
      socket.addEventListener("close", () => {
        setState((s) => ({ ...s, connected: false }));
        if (!stopped) retry = window.setTimeout(connect, 2000);
      });
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      socket?.close();
    };
  }, [mine]);
  return state;
}
