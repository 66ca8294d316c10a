/**
 * The one place where the dashboard meets the library: each route calls one of these, and each
 * of these is one library operation with the options the CLI would pass for the same request.
 * Results are what the CLI prints with --json; events are the library's own, passed through.
 * Nothing here decides anything about environments.
 */
import {
  type PlanResult,
  type ContainerEngine,
  type OperationContext,
  type DoctorResult,
  type LsResult,
  type OperationEvent,
  type StatusResult,
  type UpgradeResult,
  type TerminalSession,
  type TerminalSize,
  type UpOptions,
  createEngine,
  develop,
  doctor,
  images,
  logs,
  ls,
  plan,
  pull,
  rm,
  script,
  start,
  stats,
  status,
  stop,
  terminal,
  up,
  upgrade,
  watch,
} from "../index.js";
import { toolVersion } from "../tool-version.js";
import type {
  CreateOptions,
  DoctorCheck as PageDoctorCheck,
  EnvironmentRow,
  EnvironmentStatus,
  PlanPreview,
  ProgressEvent,
  StatsSample,
  UpgradeOutcome,
  UpgradeRequest,
} from "./protocol.js";

/** The library's events are the page's: this fails to compile the day they part. */
export const toPage = (event: OperationEvent): ProgressEvent => event;
// Likewise the results the page reads.
export const rowsForPage = (r: LsResult): EnvironmentRow[] => r.environments;
export const statusForPage = (r: StatusResult): EnvironmentStatus => r;
export const checksForPage = (r: DoctorResult): PageDoctorCheck[] => r.checks;
export const upgradeForPage = (r: UpgradeResult): UpgradeOutcome => r;
export const planForPage = (r: PlanResult, script: string): PlanPreview => ({
  plan: r.plan,
  ...(r.imageReason === undefined ? {} : { imageReason: r.imageReason }),
  script,
});

/** What a request gives an operation: the library's context, less the engine (the server's). */
export type RequestContext = Omit<OperationContext, "engine">;

/** What `--json` prints for the operation. */
type Result = object;

/** The form's options as `up` takes them (the CLI's flags in camelCase). */
function upOptions(options: CreateOptions): UpOptions {
  return { ...options };
}

export class DashboardOperations {
  constructor(readonly engine: ContainerEngine = createEngine()) {}

  private context(context: RequestContext = {}): OperationContext {
    return { ...context, engine: this.engine };
  }

  /** `ls --all [--mine]`. */
  ls(options: { mine?: boolean } = {}): Promise<LsResult> {
    return ls({ all: true, mine: options.mine ?? false }, this.context());
  }

  status(name: string): Promise<Result> {
    return status({ name }, this.context());
  }

  start(name: string): Promise<Result> {
    return start({ name }, this.context());
  }

  /** `stop NAME [--force]` (force: someone else's). */
  stop(name: string, options: { force: boolean }): Promise<Result> {
    return stop({ name, ...options }, this.context());
  }

  /** `rm NAME [--force] [--volumes]`. */
  rm(name: string, options: { force: boolean; volumes: boolean }): Promise<Result> {
    return rm({ name, ...options }, this.context());
  }

  develop(name: string): Promise<Result> {
    return develop({ name }, this.context());
  }

  /** What `up` would do (`plan --json`) and the same as a script (`script`). */
  async plan(options: CreateOptions): Promise<PlanPreview> {
    const [planned, text] = await Promise.all([
      plan(upOptions(options), this.context()),
      script(upOptions(options), this.context()),
    ]);
    return planForPage(planned, text);
  }

  up(options: CreateOptions, context?: RequestContext): Promise<Result> {
    return up(upOptions(options), this.context(context));
  }

  pull(reference: string, context?: RequestContext): Promise<Result> {
    return pull({ image: reference }, this.context(context));
  }

  images(): Promise<Result> {
    return images({ forHost: true }, this.context());
  }

  doctor(): Promise<Result> {
    return doctor({}, this.context());
  }

  /**
   * `upgrade NAME [--image I] [--version V] [--pull P] [--registry R]... [--force]`: made again
   * with a new image, /root kept.
   */
  async upgrade(request: UpgradeRequest, context?: RequestContext): Promise<UpgradeOutcome> {
    return upgradeForPage(await upgrade({ ...request }, this.context(context)));
  }

  watch(signal: AbortSignal) {
    return watch({ engine: this.engine, signal });
  }

  async *stats(name: string, signal: AbortSignal): AsyncIterable<StatsSample> {
    for await (const s of stats({ name }, { engine: this.engine, signal })) {
      yield { ...s, time: s.time.toISOString() };
    }
  }

  /** `logs NAME` (with `follow`, new text as it comes until `signal` aborts). */
  async logs(
    name: string,
    options: { tail?: number; follow: boolean },
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const result = await logs(
      {
        name,
        follow: options.follow,
        ...(options.tail === undefined ? {} : { tail: options.tail }),
      },
      {
        engine: this.engine,
        signal,
        onEvent: (event) => {
          if (event.type === "output") onText(event.text);
        },
      },
    );
    if (result.text) onText(result.text);
  }

  terminal(name: string, size: TerminalSize): Promise<TerminalSession> {
    return terminal({ name, ...size }, { engine: this.engine });
  }

  version(): string {
    return toolVersion();
  }
}
