import { useEffect, useState } from "preact/hooks";
import type { ApiError, CatalogImage, DoctorCheck } from "../../protocol.js";
import { ApiFailure, getJson, runOperation } from "../api.js";
import { ErrorBox } from "../components/error-box.js";
import {
  NO_PULL,
  type PullState,
  PullProgress,
  failPull,
  foldPull,
} from "../components/progress-log.js";

const asError = (err: unknown): ApiError =>
  err instanceof ApiFailure ? err.error : { code: "NETWORK", message: String(err) };

const MARK: Record<DoctorCheck["status"], string> = { pass: "pass", warn: "warning", fail: "FAIL" };

function Checks() {
  const [checks, setChecks] = useState<DoctorCheck[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    getJson<{ checks: DoctorCheck[] }>("/api/doctor").then(
      (r) => setChecks(r.checks),
      (err: unknown) => setError(asError(err)),
    );
  }, []);
  if (error) return <ErrorBox error={error} title="The checks could not run" />;
  if (!checks) return <p>Checking this host…</p>;
  return (
    <ul class="checks">
      {checks.map((c) => (
        <li key={c.id} class={`check-${c.status}`}>
          <span class={`badge badge-${c.status}`}>{MARK[c.status]}</span> <strong>{c.title}</strong>
          : {c.found}
          {c.fix ? (
            <p class="fix">
              Fix: <code>{c.fix}</code>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A pull over the WebSocket: its progress, and how it ended (failed: the bar stays, marked). */
function usePull(onPulled: () => void) {
  const [pull, setPull] = useState<PullState | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const running = pull !== undefined && pull.ended === undefined && error === undefined;
  const start = (reference: string) => {
    setError(undefined);
    setPull({ ...NO_PULL, status: "Starting…" });
    runOperation(
      "/ws/pull",
      { type: "pull", reference },
      {
        onProgress: (e) => setPull((p) => foldPull(p ?? NO_PULL, e)),
        onResult: () => {
          setPull(undefined);
          onPulled();
        },
        onError: (e) => {
          setPull((p) => failPull(p ?? NO_PULL, e));
          setError(e);
        },
      },
    );
  };
  return { pull, error, running, start };
}

function PullButton({ image, onPulled }: { image: CatalogImage; onPulled: () => void }) {
  const { pull, error, running, start } = usePull(onPulled);
  return (
    <>
      {pull ? <PullProgress state={pull} label={`Pulling ${image.reference}`} /> : null}
      {running ? null : (
        <button
          type="button"
          onClick={() => start(image.reference)}
          aria-label={`Pull ${image.reference}`}
        >
          {error ? "Try again" : image.present ? "Pull again" : "Pull"}
        </button>
      )}
      {error ? <ErrorBox error={error} title={`Pulling ${image.reference}`} /> : null}
    </>
  );
}

/** Any image by name, as `modelbox-dev pull IMAGE` takes it (a short name, or registry/name:tag). */
function PullAnyImage({ onPulled }: { onPulled: () => void }) {
  const [reference, setReference] = useState("");
  const [pulling, setPulling] = useState("");
  const [done, setDone] = useState("");
  const { pull, error, running, start } = usePull(() => {
    setDone(`Pulled ${pulling}.`);
    onPulled();
  });
  const submit = (event: Event) => {
    event.preventDefault();
    const image = reference.trim();
    if (!image) return;
    setDone("");
    setPulling(image);
    start(image);
  };
  return (
    <form class="pull-any" onSubmit={submit}>
      <div class="field">
        <label for="pull-image">Image to pull</label>
        <input
          id="pull-image"
          value={reference}
          spellcheck={false}
          placeholder="registry/name:tag"
          aria-describedby="pull-image-help"
          onInput={(e) => setReference(e.currentTarget.value)}
        />
        <p id="pull-image-help" class="help">
          A catalogue name or any image; from the configured registries or mirrors in order.
        </p>
      </div>
      <button type="submit" disabled={running || !reference.trim()}>
        {running ? "Pulling…" : "Pull"}
      </button>
      {pull ? <PullProgress state={pull} label={`Pulling ${pulling}`} /> : null}
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorBox error={error} title={`Pulling ${pulling}`} /> : null}
    </form>
  );
}

function Catalogue() {
  const [images, setImages] = useState<CatalogImage[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const load = () =>
    getJson<{ images: CatalogImage[] }>("/api/images").then(
      (r) => setImages(r.images),
      (err: unknown) => setError(asError(err)),
    );
  useEffect(() => {
    void load();
  }, []);
  const pullAny = <PullAnyImage onPulled={() => void load()} />;
  if (error) {
    return (
      <>
        <ErrorBox error={error} title="Cannot read the catalogue" />
        {pullAny}
      </>
    );
  }
  if (!images) return <p>Reading the catalogue…</p>;
  return (
    <>
      {pullAny}
      <table class="catalogue">
        <caption class="visually-hidden">Published ModelBox images, judged for this host</caption>
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Kind</th>
            <th scope="col">Accelerator</th>
            <th scope="col">Usable here</th>
            <th scope="col">Present</th>
            <th scope="col">Pull</th>
          </tr>
        </thead>
        <tbody>
          {images.map((i) => (
            <tr key={i.reference}>
              <th scope="row" data-label="Image" class="image">
                {i.reference}
              </th>
              <td data-label="Kind">{i.kind}</td>
              <td data-label="Accelerator">{`${i.accel} ${i.accelVersion}`}</td>
              <td data-label="Usable here">
                {i.usable ? "yes" : "no"}: <span class="muted small">{i.why}</span>
              </td>
              <td data-label="Present">
                {i.present === null ? "unknown" : i.present ? "yes" : "no"}
              </td>
              <td data-label="Pull">
                <PullButton image={i} onPulled={() => void load()} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Host: the doctor's checks with their fixes, and the image catalogue with pulls. */
export function HostPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        This host
      </h1>
      <h2>Checks</h2>
      <Checks />
      <h2>Images</h2>
      <Catalogue />
    </section>
  );
}
