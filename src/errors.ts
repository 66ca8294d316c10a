import { homedir } from "node:os";
import { modelboxDevHome } from "./state-dir.js";

/**
 * Every failure a user can meet is a ModelboxDevError: a stable code for scripts, a sentence
 * saying what went wrong, and a hint saying what to do about it.
 */
export type ErrorCode =
  | "INVALID_NAME"
  | "INVALID_PORT"
  | "PORT_CONFLICT"
  | "PORT_IN_USE"
  | "ADDRESS_NOT_ON_HOST"
  | "INVALID_MOUNT"
  | "INVALID_IMAGE"
  | "INVALID_OPTION"
  | "INVALID_FACTS"
  | "IMAGE_NOT_FOUND"
  | "PULL_FAILED"
  | "ENGINE_UNAVAILABLE"
  | "ENGINE_ERROR"
  | "NAME_TAKEN"
  | "NOT_MANAGED"
  | "NOT_FOUND"
  | "SPEC_CHANGED"
  | "NOT_RUNNING"
  | "IS_RUNNING"
  | "GPU_UNAVAILABLE"
  | "NPU_UNAVAILABLE"
  | "START_FAILED"
  | "ARCH_MISMATCH"
  | "CUDA_REQUIREMENT"
  | "DISK_FULL"
  | "READINESS_TIMEOUT"
  | "EXEC_FAILED"
  // SSH access, the root password and developer mode.
  | "INVALID_SSH_KEY"
  | "NO_SSHD"
  | "NO_EDITOR"
  | "SSH_CLIENT_MISSING"
  | "KEY_LOGIN_FAILED"
  | "SSH_CONFIG_FAILED"
  | "PASSWORD_REQUIRED"
  | "INVALID_PASSWORD"
  | "PASSWORD_FAILED"
  | "NO_MODELBOX_TOOL"
  | "DEVELOPER_MODE_FAILED"
  // Registries, mirrors and moving images between hosts.
  | "REGISTRY_UNREACHABLE"
  | "REGISTRY_AUTH"
  | "REGISTRY_ERROR"
  | "INVALID_CONFIG"
  | "INTERRUPTED"
  // Copying files, the editor, port forwards.
  | "PATH_NOT_FOUND"
  | "PATH_CONFLICT"
  | "PATH_NOT_COPYABLE"
  | "COPY_FAILED"
  | "VSCODE_MISSING"
  | "VSCODE_FAILED"
  | "NO_SSH_CONFIG_ENTRY"
  | "FORWARD_FAILED"
  // Environment variables, the home volume and upgrades.
  | "INVALID_ENV"
  | "VOLUME_TAKEN"
  | "NOT_UPGRADABLE"
  | "HOME_NOT_KEPT"
  | "IMAGE_SAVE_FAILED"
  | "IMAGE_LOAD_FAILED"
  // Shared servers and image names.
  | "NOT_OWNER"
  | "UNKNOWN_IMAGE"
  // ~/.modelbox-dev cannot be made or written (HOME a file, read-only, not this user's).
  | "STATE_UNWRITABLE"
  | "INTERNAL";

export class ModelboxDevError extends Error {
  override readonly name = "ModelboxDevError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown; details?: string[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details ?? [];
  }
  /** Extra lines shown under the message, e.g. the last container log lines. */
  readonly details: string[];
}

export function isModelboxDevError(value: unknown): value is ModelboxDevError {
  return value instanceof ModelboxDevError;
}

/** The file system's refusals that no retry mends, by their errno names. */
const STATE_REFUSALS = new Set(["EACCES", "EPERM", "ENOTDIR", "EROFS", "ENOENT", "EEXIST"]);

/**
 * A refusal of the file system under ~/.modelbox-dev, where the tool keeps its keys, locks and
 * caches: its own state, so the user's HOME is what to look at, not a bug to report.
 */
function stateRefusal(err: unknown): ModelboxDevError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || !e.code || !STATE_REFUSALS.has(e.code) || !e.path) return;
  const dir = modelboxDevHome();
  if (e.path !== dir && !e.path.startsWith(`${dir}/`)) return;
  return new ModelboxDevError(
    "STATE_UNWRITABLE",
    `Cannot ${e.syscall ?? "use"} ${e.path} (${e.code}): modelbox-dev keeps its keys, locks and caches in ${dir}.`,
    `Run it with a HOME that is a directory you can write (HOME is ${homedir()}), or fix that directory's owner and permissions.`,
    { cause: err },
  );
}

/** Any failure as a ModelboxDevError: ours as they are, anything else as INTERNAL with a hint. */
export function toModelboxDevError(err: unknown): ModelboxDevError {
  if (err instanceof ModelboxDevError) return err;
  const refused = stateRefusal(err);
  if (refused) return refused;
  const message = err instanceof Error ? err.message : String(err);
  return new ModelboxDevError(
    "INTERNAL",
    `Unexpected failure: ${message}`,
    "Run again with MODELBOX_DEV_DEBUG=1 for the stack trace, and report it with 'modelbox-dev doctor --json'.",
    { cause: err },
  );
}
