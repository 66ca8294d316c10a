import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError, ClientMessage } from "../../protocol.js";
import { openSocket, parseMessage } from "../api.js";
import { ErrorBox } from "./error-box.js";

/**
 * A shell in the environment: xterm.js over a WebSocket to an exec with a TTY. The terminal's
 * size follows the panel's, and the shell is told each new size.
 */
export function TerminalPanel({ name, onClose }: { name: string; onClose: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const [status, setStatus] = useState("Connecting…");
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      fontSize: 14,
      scrollback: 5000,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    const socket = openSocket(
      `/ws/environments/${encodeURIComponent(name)}/terminal?columns=${term.cols}&rows=${term.rows}`,
    );
    socket.binaryType = "arraybuffer";
    const sendMessage = (message: ClientMessage) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };
    socket.addEventListener("open", () => {
      setStatus("Connected");
      term.focus();
    });
    socket.addEventListener("message", (event) => {
      if (event.data instanceof ArrayBuffer) return term.write(new Uint8Array(event.data));
      const message = parseMessage(event);
      if (message?.type === "exit") setStatus(`The shell exited (status ${message.code}).`);
      else if (message?.type === "error") {
        setError(message.error);
        setStatus("Failed.");
      }
    });
    socket.addEventListener("close", () =>
      setStatus((s) => (s === "Connected" || s === "Connecting…" ? "Disconnected." : s)),
    );
    // Tab belongs to the shell (completion); Escape then Tab hands the focus back to the page.
    let escapeAt = 0;
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown") return true;
      if (e.key === "Escape") escapeAt = Date.now();
      else if (e.key === "Tab" && Date.now() - escapeAt < 1500) {
        e.preventDefault();
        closeButton.current?.focus();
        return false;
      }
      return true;
    });
    const input = term.onData((data) => sendMessage({ type: "input", data }));
    const resized = term.onResize(({ cols, rows }) =>
      sendMessage({ type: "resize", columns: cols, rows }),
    );
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      socket.close();
      term.dispose();
    };
  }, [name]);
  return (
    <div class="terminal-panel">
      <div class="toolbar">
        <button type="button" ref={closeButton} onClick={onClose}>
          Close terminal
        </button>
        <span class="muted small" role="status">
          {status}
        </span>
        <span class="muted small">
          Tab completes in the shell; Escape then Tab leaves the terminal.
        </span>
      </div>
      {error ? <ErrorBox error={error} title="The terminal could not open" /> : null}
      <div ref={host} class="terminal" aria-label={`Terminal in ${name}`} />
    </div>
  );
}
