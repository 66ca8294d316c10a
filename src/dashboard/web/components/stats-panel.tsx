import { useEffect, useState } from "preact/hooks";
import type { ApiError, StatsSample } from "../../protocol.js";
import { ErrorBox } from "./error-box.js";
import { openSocket, parseMessage } from "../api.js";

const MIB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;

/** CPU and memory as the engine reports them, about once a second, while the page is open. */
export function StatsPanel({ name, running }: { name: string; running: boolean }) {
  const [sample, setSample] = useState<StatsSample | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    setSample(undefined);
    setError(undefined);
    if (!running) return;
    const socket = openSocket(`/ws/environments/${encodeURIComponent(name)}/stats`);
    socket.addEventListener("message", (event) => {
      const message = parseMessage(event);
      if (message?.type === "stats") setSample(message.sample);
      else if (message?.type === "error") setError(message.error);
    });
    return () => socket.close();
  }, [name, running]);
  if (!running) return <p class="muted">Not running: no CPU or memory in use.</p>;
  if (error) return <ErrorBox error={error} title="No CPU and memory figures" />;
  if (!sample) return <p class="muted">Waiting for the first sample…</p>;
  const memoryShare = sample.memoryLimitBytes ? sample.memoryBytes / sample.memoryLimitBytes : 0;
  return (
    <dl class="facts stats">
      <dt>CPU</dt>
      <dd>
        <span class="stat-value" data-stat="cpu">
          {sample.cpuPercent.toFixed(1)}%
        </span>
        <meter min={0} max={100} value={Math.min(sample.cpuPercent, 100)} aria-label="CPU use" />
      </dd>
      <dt>Memory</dt>
      <dd>
        <span class="stat-value" data-stat="memory">
          {mib(sample.memoryBytes)} of {mib(sample.memoryLimitBytes)}
        </span>
        <meter min={0} max={1} value={memoryShare} aria-label="Memory use" />
      </dd>
    </dl>
  );
}
