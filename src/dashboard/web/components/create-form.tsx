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
  envFile: string;
  shmSize: string;
  memory: string;
  cpus: string;
  ulimit: string;
  restart: string;
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
  envFile: "",
  shmSize: "",
  memory: "",
  cpus: "",
  ulimit: "",
  restart: "",
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
    envFile: lines(form.envFile),
    shmSize: trimmed(form.shmSize),
    memory: trimmed(form.memory),
    cpus: trimmed(form.cpus),
    ulimit: lines(form.ulimit),
    restart: trimmed(form.restart),
    homeVolume: form.homeVolume,
    defaultMounts: form.defaultMounts,
    sshPort: trimmed(form.sshPort),
    editorPort: trimmed(form.editorPort),
    httpPort: trimmed(form.httpPort),
    bind: trimmed(form.bind),
    debug: form.debug,
  };
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined && !(Array.isArray(v) && !v.length)),
  );
}

/** `--memory`, `--cpus` and `--shm-size`: free text, checked by the library as the CLI's flags. */
const RESOURCE_FIELDS = [
  {
    key: "memory",
    label: "Memory limit",
    help: "e.g. 16g (--memory). Blank: no limit",
    placeholder: "no limit",
  },
  {
    key: "cpus",
    label: "CPUs",
    help: "e.g. 4 or 1.5 (--cpus). Blank: no limit",
    placeholder: "no limit",
  },
  {
    key: "shmSize",
    label: "Shared memory (/dev/shm)",
    help: "e.g. 8g (--shm-size). Blank: half the memory, at most 8g",
    placeholder: "default",
  },
] as const;

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
          autocomplete="off"
        />
        <p id="f-env-help" class="help">
          One per line: NAME=value (--env), or NAME alone for the dashboard's own value. Values may
          be secrets: they reach the container only, never the plan, the script, labels or logs.
        </p>
      </div>
      <div class="field">
        <label for="f-envFile">Variable files</label>
        <textarea
          id="f-envFile"
          name="envFile"
          rows={1}
          value={form.envFile}
          onInput={text("envFile")}
          aria-describedby="f-envFile-help"
          spellcheck={false}
        />
        <p id="f-envFile-help" class="help">
          One path per line, on the dashboard's host: NAME=value lines, docker's env-file format
          (--env-file).
        </p>
      </div>
      <div class="field-row">
        {RESOURCE_FIELDS.map(({ key, label, help, placeholder }) => (
          <div class="field" key={key}>
            <label for={`f-${key}`}>{label}</label>
            <input
              id={`f-${key}`}
              name={key}
              value={form[key]}
              onInput={text(key)}
              placeholder={placeholder}
              aria-describedby={`f-${key}-help`}
              spellcheck={false}
            />
            <p id={`f-${key}-help`} class="help">
              {help}
            </p>
          </div>
        ))}
      </div>
      <div class="field-row">
        <div class="field">
          <label for="f-ulimit">Process limits</label>
          <textarea
            id="f-ulimit"
            name="ulimit"
            rows={1}
            value={form.ulimit}
            onInput={text("ulimit")}
            aria-describedby="f-ulimit-help"
            spellcheck={false}
          />
          <p id="f-ulimit-help" class="help">
            One per line: NAME=SOFT[:HARD], e.g. nofile=65536:65536 (--ulimit)
          </p>
        </div>
        <div class="field">
          <label for="f-restart">Restart policy</label>
          <select id="f-restart" name="restart" value={form.restart} onChange={text("restart")}>
            <option value="">unless-stopped (default: back after a reboot)</option>
            <option value="no">no</option>
            <option value="always">always</option>
            <option value="on-failure">on-failure</option>
          </select>
        </div>
      </div>
      <label class="check">
        <input
          type="checkbox"
          name="homeVolume"
          checked={form.homeVolume}
          onChange={(e) => set("homeVolume", e.currentTarget.checked)}
        />
        Keep /root in a volume (kept by remove and upgrade)
      </label>
    </fieldset>
  );
}
