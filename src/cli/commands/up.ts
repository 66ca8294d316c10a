import { ModelboxDevError } from "../../errors.js";
import { up } from "../../environment/up.js";
import { accessSettingsForUp } from "../access-hooks.js";
import { parseTimeoutSeconds } from "../parse-timeout.js";
import { createEngine, portReacher, reachOf } from "../context.js";
import { registrySettingsForUp } from "../registry-hooks.js";
import { accessInfo, shortId } from "../describe-environment.js";
import { logLine, printJson, printLine } from "../output.js";
import { loadFacts, toEnvironmentOptions, type UpFlags } from "../up-options.js";
import type { PullPolicy } from "../../registry/obtain-image.js";

interface UpCommandFlags extends UpFlags {
  pull: PullPolicy;
  timeout: string;
  keepOnFailure?: boolean;
  recreate?: boolean;
  hostAddress?: string;
}

export async function run(name: string | undefined, flags: UpCommandFlags): Promise<number> {
  const timeoutSeconds = parseTimeoutSeconds(flags.timeout);
  const engine = createEngine();
  const unreachable = reachOf(engine.connection, flags.bind).unreachable;
  if (unreachable) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--bind ${flags.bind ?? ""} cannot work from here: ${unreachable}.`,
      "Reach the engine over ssh (--host ssh://user@host, or a context with an ssh:// endpoint), which tunnels to its loopback; or publish on an address this machine reaches (--bind HOST_ADDRESS).",
    );
  }
  const log = flags.json ? () => undefined : logLine;
  let imageNote: { reason?: string; warnings: string[] } = { warnings: [] };
  const result = await up(
    engine,
    {
      ...(name ? { name } : {}),
      // The image may be chosen for this host, so the options are a function of its facts.
      options: (facts) => {
        const resolved = toEnvironmentOptions(name, flags, facts);
        imageNote = {
          ...(resolved.imageReason ? { reason: resolved.imageReason } : {}),
          warnings: resolved.imageWarnings,
        };
        if (resolved.imageReason) log(`Image: ${resolved.imageReason}`);
        return resolved.options;
      },
    },
    {
      pull: flags.pull,
      timeoutSeconds,
      keepOnFailure: flags.keepOnFailure ?? false,
      recreate: flags.recreate ?? false,
      probeFacts: (extraPorts) => loadFacts(engine, flags, extraPorts),
      reachPort: portReacher(engine),
      log,
      ...registrySettingsForUp(engine, flags as unknown as Record<string, unknown>),
      ...accessSettingsForUp(flags as unknown as Record<string, unknown>),
    },
  );
  const c = result.container;
  const access = accessInfo(c, reachOf(engine.connection, c.ports[0]?.hostIp, flags.hostAddress));
  const warnings = [...new Set([...imageNote.warnings, ...result.warnings.map((w) => w.message)])];
  // What afterReady reported (ssh/editor readiness) refines the generic access info.
  const { summaryLines, ...reportForJson } = result.report as { summaryLines?: string[] };
  if (flags.json) {
    printJson({
      ok: true,
      action: result.action,
      name: c.name,
      id: c.id,
      image: result.plan.image,
      state: c.status,
      ports: access.ports,
      ...(access.ssh ? { ssh: access.ssh } : {}),
      ...(access.editor ? { editor: access.editor } : {}),
      ...(access.http ? { http: access.http } : {}),
      ...(imageNote.reason ? { imageReason: imageNote.reason } : {}),
      warnings,
      notes: result.plan.notes,
      ...reportForJson,
    });
    return 0;
  }
  const verb = {
    created: "created and running",
    recreated: "recreated and running",
    started: "started",
    "already-running": "already running",
  }[result.action];
  printLine(`${c.name} is ${verb} (${shortId(c.id)})`);
  printLine(`  image   ${result.plan.image}`);
  // The access steps print the login that really works (key, known_hosts); else the plain one.
  if (access.ssh && !summaryLines) printLine(`  ssh     ${access.ssh.command}`);
  if (access.editor) {
    const forward = access.editor.forward
      ? `   (on the engine's host's loopback: run '${access.editor.forward}' to reach it from here)`
      : "";
    printLine(`  editor  ${access.editor.url}${forward}`);
  }
  if (access.http)
    printLine(`  http    port ${access.http.port} → container port ${access.http.containerPort}`);
  for (const line of summaryLines ?? []) printLine(line);
  for (const w of warnings) printLine(`warning: ${w}`);
  if (access.ssh && !summaryLines) {
    printLine(
      `Root has no password yet: set one with 'docker exec -it ${c.name} passwd', or log in with a key.`,
    );
  }
  return 0;
}
