import { useEffect, useState } from "preact/hooks";
import type { ApiError, CatalogImage, DoctorCheck } from "../../protocol.js";
import { ApiFailure, getJson, runOperation } from "../api.js";
import { ErrorBox } from "../components/error-box.js";
import { type PullState, PullProgress, foldPull } from "../components/progress-log.js";

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

function PullButton({ image, onPulled }: { image: CatalogImage; onPulled: () => void }) {
  const [pull, setPull] = useState<PullState | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const start = () => {
    setError(undefined);
    setPull({ layers: {}, status: "Starting…" });
    runOperation(
      "/ws/pull",
      { type: "pull", reference: image.reference },
      {
        onProgress: (e) => setPull((p) => foldPull(p ?? { layers: {}, status: "" }, e)),
        onResult: () => {
          setPull(undefined);
          onPulled();
        },
        onError: (e) => {
          setPull(undefined);
          setError(e);
        },
      },
    );
  };
  return (
    <>
      {pull ? (
        <PullProgress state={pull} label={`Pulling ${image.reference}`} />
      ) : (
        <button type="button" onClick={start} aria-label={`Pull ${image.reference}`}>
          {image.present ? "Pull again" : "Pull"}
        </button>
      )}
      {error ? <ErrorBox error={error} title={`Pulling ${image.reference}`} /> : null}
    </>
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
  if (error) return <ErrorBox error={error} title="Cannot read the catalogue" />;
  if (!images) return <p>Reading the catalogue…</p>;
  return (
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
