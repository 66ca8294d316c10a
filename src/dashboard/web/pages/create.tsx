import { useEffect, useState } from "preact/hooks";
import type {
  ApiError,
  CatalogImage,
  PlanPreview as Preview,
  ProgressEvent,
} from "../../protocol.js";
import { ApiFailure, getJson, postJson, runOperation } from "../api.js";
import { type AccessResult, AccessLinks } from "../components/access-links.js";
import {
  CreateForm,
  EMPTY_FORM,
  type FormState,
  toCreateOptions,
} from "../components/create-form.js";
import { ErrorBox } from "../components/error-box.js";
import { PlanPreview } from "../components/plan-preview.js";
import {
  NO_PULL,
  type PullState,
  PullProgress,
  type StepLine,
  StepList,
  failPull,
  foldPull,
  foldSteps,
  stopSteps,
} from "../components/progress-log.js";
import { environmentHref } from "../router.js";

type Phase = "editing" | "planning" | "creating" | "done" | "failed";

const asError = (err: unknown): ApiError =>
  err instanceof ApiFailure ? err.error : { code: "NETWORK", message: String(err) };

/** Create: the form, then the plan and script, then `up`'s progress, then how to connect. */
export function CreatePage() {
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [images, setImages] = useState<CatalogImage[] | undefined>();
  const [catalogError, setCatalogError] = useState<ApiError | undefined>();
  const [phase, setPhase] = useState<Phase>("editing");
  const [preview, setPreview] = useState<{ key: string; value: Preview } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [steps, setSteps] = useState<StepLine[]>([]);
  const [pull, setPull] = useState<PullState | undefined>();
  const [result, setResult] = useState<(AccessResult & Record<string, unknown>) | undefined>();

  useEffect(() => {
    getJson<{ images: CatalogImage[] }>("/api/images").then(
      (r) => setImages(r.images),
      (err: unknown) => setCatalogError(asError(err)),
    );
  }, []);

  const options = toCreateOptions(form);
  const key = JSON.stringify(options);
  const planIsCurrent = preview?.key === key;

  const showPlan = async (event: Event) => {
    event.preventDefault();
    setPhase("planning");
    setError(undefined);
    try {
      const value = await postJson<Preview>("/api/plan", options);
      setPreview({ key, value });
      setPhase("editing");
      requestAnimationFrame(() => document.getElementById("plan-title")?.scrollIntoView());
    } catch (err) {
      setError(asError(err));
      setPhase("failed");
    }
  };

  const onProgress = (event: ProgressEvent) => {
    if (event.type === "pull") setPull((p) => foldPull(p ?? NO_PULL, event));
    else setSteps((s) => foldSteps(s, event));
  };

  const create = () => {
    setPhase("creating");
    setError(undefined);
    setSteps([]);
    setPull(undefined);
    setResult(undefined);
    runOperation(
      "/ws/up",
      { type: "up", options },
      {
        onProgress,
        onResult: (r) => {
          setResult(r as AccessResult & Record<string, unknown>);
          setPhase("done");
        },
        onError: (e) => {
          setPull((p) => failPull(p, e));
          setSteps(stopSteps);
          setError(e);
          setPhase("failed");
        },
      },
    );
  };

  // The outcome takes the focus, so it is what a screen reader reads next.
  useEffect(() => {
    if (phase === "done") document.getElementById("result-title")?.focus();
  }, [phase]);

  const again = () => {
    setPhase("editing");
    setSteps([]);
    setPull(undefined);
    setResult(undefined);
    setPreview(undefined);
    // Variables' values may be secrets: they do not stay in the page for the next one.
    setForm({ ...form, name: "", env: "" });
  };

  const busy = phase === "planning" || phase === "creating";
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Create an environment
      </h1>
      {catalogError ? (
        <ErrorBox error={catalogError} title="Cannot read the image catalogue" />
      ) : null}
      <form onSubmit={(e) => void showPlan(e)}>
        <CreateForm
          form={form}
          images={images}
          disabled={busy || phase === "done"}
          onChange={setForm}
        />
        <div class="buttons">
          <button type="submit" disabled={busy || phase === "done"}>
            {phase === "planning" ? "Planning…" : "Show plan"}
          </button>
          <button
            type="button"
            class="primary"
            disabled={!planIsCurrent || busy || phase === "done"}
            onClick={create}
            aria-describedby="create-help"
          >
            {phase === "creating" ? "Creating…" : "Create"}
          </button>
        </div>
        <p id="create-help" class="help">
          {planIsCurrent
            ? "Nothing is created until you press Create."
            : "Show the plan first: Create follows it."}
        </p>
      </form>
      {preview && planIsCurrent ? <PlanPreview preview={preview.value} /> : null}
      {phase === "creating" ||
      phase === "done" ||
      (phase === "failed" && (steps.length || pull)) ? (
        <section class="progress" aria-labelledby="progress-title">
          <h2 id="progress-title">Progress</h2>
          {pull ? <PullProgress state={pull} label="Pulling the image" /> : null}
          <StepList steps={steps} />
        </section>
      ) : null}
      {error ? (
        <ErrorBox
          error={error}
          title={phase === "failed" && (steps.length || pull) ? "Create failed" : "Error"}
        />
      ) : null}
      {result ? (
        <section class="result" aria-labelledby="result-title">
          <h2 id="result-title" tabIndex={-1}>
            {String(result.name)} is {String(result.state)}
          </h2>
          <AccessLinks result={result} />
          {Array.isArray(result.warnings) && result.warnings.length ? (
            <ul class="warnings">
              {(result.warnings as string[]).map((w, i) => (
                <li key={i}>Warning: {w}</li>
              ))}
            </ul>
          ) : null}
          <p>
            <a href={environmentHref(String(result.name))}>Open {String(result.name)}</a> ·{" "}
            <a href="#/">All environments</a>
          </p>
          <button type="button" onClick={again}>
            Create another
          </button>
        </section>
      ) : null}
    </section>
  );
}
