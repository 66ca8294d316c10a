import type { ApiError } from "../../protocol.js";

/** An error as the CLI shows it: the message, its details, and the hint. */
export function ErrorBox({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div class="error" role="alert">
      <p class="error-message">
        <strong>{title ?? "Error"}:</strong> {error.message}
      </p>
      {error.details?.length ? <pre class="error-details">{error.details.join("\n")}</pre> : null}
      {error.hint ? (
        <p class="error-hint">
          <strong>Hint:</strong> {error.hint}
        </p>
      ) : null}
      <p class="error-code">code {error.code}</p>
    </div>
  );
}
