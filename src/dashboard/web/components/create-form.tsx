import type { CatalogImage, CreateOptions } from "../../protocol.js";

export interface FormState {
  name: string;
  image: string;
  customImage: string;
  gpus: string;
  npu: string;
  mounts: string;
  defaultMounts: boolean;
  sshPort: string;
  editorPort: string;
  httpPort: string;
  bind: string;
  publish: string;
  env: string;
  homeVolume: boolean;
  debug: "none" | "ptrace" | "privileged";
}

export const EMPTY_FORM: FormState = {
  name: "",
  image: "",
  customImage: "",
  gpus: "auto",
  npu: "",
  mounts: "",
  defaultMounts: true,
  sshPort: "",
  editorPort: "",
  httpPort: "",
  bind: "",
  publish: "",
  env: "",
  homeVolume: true,
  debug: "none",
};

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** The form as `up`'s options (the CLI's flags in camelCase); blank fields are left out. */
export function toCreateOptions(form: FormState): CreateOptions {
  const trimmed = (v: string) => v.trim() || undefined;
  const image = trimmed(form.customImage) ?? trimmed(form.image);
  const options: CreateOptions = {
    name: trimmed(form.name),
    image,
    gpus: trimmed(form.gpus),
    npu: trimmed(form.npu),
    mount: lines(form.mounts),
    publish: lines(form.publish),
    env: lines(form.env),
    homeVolume: form.homeVolume,
    defaultMounts: form.defaultMounts,
    sshPort: trimmed(form.sshPort),
    editorPort: trimmed(form.editorPort),
    httpPort: trimmed(form.httpPort),
    bind: trimmed(form.bind),
    debug: form.debug,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

interface Props {
  form: FormState;
  images: CatalogImage[] | undefined;
  disabled: boolean;
  onChange: (form: FormState) => void;
}

function imageLabel(image: CatalogImage): string {
  const here = image.present ? "present" : "to pull";
  return `${image.reference} (${image.kind}, ${here})`;
}

/** Name, image (usable here or not, and why), accelerators, mounts, ports, debug mode. */
export function CreateForm({ form, images, disabled, onChange }: Props) {
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    onChange({ ...form, [key]: value });
  const text = (key: keyof FormState) => (e: Event) =>
    set(key, (e.currentTarget as HTMLInputElement).value as never);
  const selected = images?.find((i) => i.reference === form.image);
  const usable = images?.filter((i) => i.usable) ?? [];
  const unusable = images?.filter((i) => !i.usable) ?? [];
  return (
    <fieldset class="create-form" disabled={disabled}>
      <legend class="visually-hidden">Environment options</legend>
      <div class="field">
        <label for="f-name">Name</label>
        <input
          id="f-name"
          name="name"
          value={form.name}
          onInput={text("name")}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="f-name-help"
        />
        <p id="f-name-help" class="help">
          Letters, digits, '.', '_' and '-'. Blank: a name is made up.
        </p>
      </div>
      <div class="field">
        <label for="f-image">Image</label>
        <select
          id="f-image"
          name="image"
          value={form.image}
          onChange={text("image")}
          aria-describedby="f-image-help"
        >
          <option value="">Chosen for this host</option>
          <optgroup label="Usable on this host">
            {usable.map((i) => (
              <option key={i.reference} value={i.reference}>
                {imageLabel(i)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Not usable on this host">
            {unusable.map((i) => (
              <option key={i.reference} value={i.reference} disabled>
                {`${i.reference}: ${i.why}`}
              </option>
            ))}
          </optgroup>
        </select>
        <p id="f-image-help" class="help" aria-live="polite">
          {images === undefined
            ? "Loading the catalogue…"
            : selected
              ? `${selected.usable ? "Usable" : "Not usable"}: ${selected.why}`
              : "The image that fits this host's accelerators best."}
        </p>
        {unusable.length ? (
          <details class="help">
            <summary>Why {unusable.length} images are not usable here</summary>
            <ul>
              {unusable.map((i) => (
                <li key={i.reference}>
                  <code>{i.reference}</code>: {i.why}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <div class="field">
        <label for="f-custom">Other image (optional)</label>
        <input
          id="f-custom"
          name="customImage"
          value={form.customImage}
          onInput={text("customImage")}
          spellcheck={false}
          placeholder="registry/name:tag"
        />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="f-gpus">GPUs</label>
          <input
            id="f-gpus"
            name="gpus"
            value={form.gpus}
            onInput={text("gpus")}
            aria-describedby="f-gpus-help"
            spellcheck={false}
          />
          <p id="f-gpus-help" class="help">
            auto, all, none, or indices like 0,1
          </p>
        </div>
        <div class="field">
          <label for="f-npu">NPUs</label>
          <input
            id="f-npu"
            name="npu"
            value={form.npu}
            onInput={text("npu")}
            aria-describedby="f-npu-help"
            spellcheck={false}
          />
          <p id="f-npu-help" class="help">
            Ascend chips, e.g. 0-3 (blank: none)
          </p>
        </div>
        <div class="field">
          <label for="f-debug">Debug mode</label>
          <select id="f-debug" name="debug" value={form.debug} onChange={text("debug")}>
            <option value="none">none</option>
            <option value="ptrace">ptrace (gdb, strace)</option>
            <option value="privileged">privileged</option>
          </select>
        </div>
      </div>
      <div class="field">
        <label for="f-mounts">Mounts</label>
        <textarea
          id="f-mounts"
          name="mounts"
          rows={2}
          value={form.mounts}
          onInput={text("mounts")}
          aria-describedby="f-mounts-help"
          spellcheck={false}
        />
        <p id="f-mounts-help" class="help">
          One per line: /host/dir:/container/dir[:ro]
        </p>
        <label class="check">
          <input
            type="checkbox"
            name="defaultMounts"
            checked={form.defaultMounts}
            onChange={(e) => set("defaultMounts", e.currentTarget.checked)}
          />
          Keep /home and /opt/modelbox on the host (default mounts)
        </label>
      </div>
      <div class="field-row">
        {(["sshPort", "editorPort", "httpPort"] as const).map((key) => (
          <div class="field" key={key}>
            <label for={`f-${key}`}>
              {{ sshPort: "SSH port", editorPort: "Editor port", httpPort: "HTTP port" }[key]}
            </label>
            <input
              id={`f-${key}`}
              name={key}
              inputMode="numeric"
              value={form[key]}
              onInput={text(key)}
              placeholder="default"
            />
          </div>
        ))}
        <div class="field">
          <label for="f-bind">Publish on address</label>
          <input
            id="f-bind"
            name="bind"
            value={form.bind}
            onInput={text("bind")}
            placeholder="all interfaces"
            spellcheck={false}
          />
        </div>
      </div>
      <div class="field">
        <label for="f-publish">More published ports</label>
        <textarea
          id="f-publish"
          name="publish"
          rows={2}
          value={form.publish}
          onInput={text("publish")}
          aria-describedby="f-publish-help"
          spellcheck={false}
        />
        <p id="f-publish-help" class="help">
          One per line: [IP:]HOST:CONTAINER[/udp], e.g. 127.0.0.1:6006:6006 for TensorBoard
        </p>
      </div>
      <div class="field">
        <label for="f-env">Variables</label>
        <textarea
          id="f-env"
          name="env"
          rows={2}
          value={form.env}
          onInput={text("env")}
          aria-describedby="f-env-help"
          spellcheck={false}
        />
        <p id="f-env-help" class="help">
          One per line: NAME=value. Values reach the container only, never the plan or labels.
        </p>
        <label class="check">
          <input
            type="checkbox"
            name="homeVolume"
            checked={form.homeVolume}
            onChange={(e) => set("homeVolume", e.currentTarget.checked)}
          />
          Keep /root in a volume (kept by remove and upgrade)
        </label>
      </div>
    </fieldset>
  );
}
