import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ApiError } from "../../protocol.js";
import { ErrorBox } from "./error-box.js";
import { openSocket, parseMessage } from "../api.js";

const MAX_LINES = 5000;
// eslint-disable-next-line no-control-regex -- terminal colour codes in systemd's output
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The container log, followed live; search filters the lines, download saves the whole log. */
export function LogsPanel({ name }: { name: string }) {
  const [lines, setLines] = useState<string[]>([]);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<ApiError | undefined>();
  const view = useRef<HTMLPreElement>(null);
  const partial = useRef("");

  useEffect(() => {
    setLines([]);
    partial.current = "";
    const socket = openSocket(`/ws/environments/${encodeURIComponent(name)}/logs?tail=500`);
    socket.addEventListener("message", (event) => {
      const message = parseMessage(event);
      if (message?.type === "error") setError(message.error);
      if (message?.type !== "output") return;
      const text = partial.current + message.data.replace(ANSI, "");
      const parts = text.split(/\r?\n/);
      partial.current = parts.pop() ?? "";
      if (parts.length) setLines((old) => [...old, ...parts].slice(-MAX_LINES));
    });
    return () => socket.close();
  }, [name]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? lines.filter((l) => l.toLowerCase().includes(q)) : lines;
  }, [lines, query]);

  useEffect(() => {
    if (follow && view.current) view.current.scrollTop = view.current.scrollHeight;
  }, [shown, follow]);

  return (
    <div class="logs">
      <div class="toolbar">
        <label>
          Search the log{" "}
          <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.currentTarget.checked)}
          />
          Follow
        </label>
        <a
          class="button"
          href={`/api/environments/${encodeURIComponent(name)}/logs`}
          download={`${name}.log`}
        >
          Download log
        </a>
        <span class="muted small" aria-live="polite">
          {query ? `${shown.length} of ${lines.length} lines match` : `${lines.length} lines`}
        </span>
      </div>
      {error ? <ErrorBox error={error} title="The log stopped" /> : null}
      <pre ref={view} class="log-view" tabIndex={0} aria-label={`Log of ${name}`}>
        {shown.join("\n")}
      </pre>
    </div>
  );
}
