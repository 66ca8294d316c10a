/**
 * Engine facts from `docker info` (legacy text, `--format '{{json .}}'`, or the Engine API /info
 * JSON, which has the same keys) and from `podman info` (YAML or `--format json`). Pure: data in,
 * plain data out.
 */
import type { EngineFacts } from "./facts.js";

/** What `info` tells about an engine: EngineFacts minus what only /version or statfs can tell. */
export type EngineInfo = Partial<EngineFacts> &
  Pick<EngineFacts, "kind" | "runtimes" | "cgroupVersion" | "rootless"> & {
    /** Security option names: "apparmor", "seccomp", "cgroupns", "rootless", "userns"... */
    securityOptions: string[];
    kernelVersion?: string;
    /** Daemon warnings ("WARNING: No swap limit support"), for `doctor`. */
    warnings: string[];
    /** Set when the text shows the client could not reach the daemon. */
    serverError?: string;
  };

/** Engines spell architectures Go's way on some platforms (arm64 on macOS); ModelBox images use x86_64/aarch64. */
export function normalizeArch(arch: string): string {
  const a = arch.trim().toLowerCase();
  if (a === "amd64" || a === "x86_64" || a === "x64") return "x86_64";
  if (a === "arm64" || a === "aarch64") return "aarch64";
  return a;
}

/** "2" or 2 → 2; anything else, including absent (engines before API 1.40), → 1. */
function cgroupVersion(v: unknown): 1 | 2 {
  return v === 2 || (typeof v === "string" && v.trim() === "2") ? 2 : 1;
}

/** A positive byte count (MemTotal; podman's YAML gives it as text), else undefined. */
function bytes(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** "name=seccomp,profile=default" (API >= 1.25) or plain "seccomp" (older engines) → "seccomp". */
function securityOptionName(option: string): string {
  const m = /(?:^|,)name=([^,]+)/.exec(option);
  return (m ? (m[1] ?? "") : option).trim();
}

/** Drops undefined fields so results compare cleanly and serialise without nulls. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Facts from the Engine API /info object (or `docker info --format '{{json .}}'`).
 * CgroupVersion appeared in API 1.40 (Docker 19.03); older daemons only run on cgroup v1, so an
 * absent field means 1. Runtimes is an object keyed by runtime name.
 */
export function engineFactsFromInfoJson(
  info: Record<string, unknown>,
  apiVersion?: string,
  kind: EngineFacts["kind"] = "docker",
): EngineInfo {
  const runtimes =
    info.Runtimes && typeof info.Runtimes === "object" ? Object.keys(info.Runtimes) : [];
  const securityOptions = Array.isArray(info.SecurityOptions)
    ? info.SecurityOptions.filter((o): o is string => typeof o === "string").map(securityOptionName)
    : [];
  const arch = str(info.Architecture);
  const warnings = Array.isArray(info.Warnings)
    ? info.Warnings.filter((w): w is string => typeof w === "string")
    : [];
  return compact<EngineInfo>({
    kind,
    serverVersion: str(info.ServerVersion),
    apiVersion: str(apiVersion),
    runtimes,
    defaultRuntime: str(info.DefaultRuntime),
    cgroupVersion: cgroupVersion(info.CgroupVersion),
    cgroupDriver: str(info.CgroupDriver),
    rootless: securityOptions.includes("rootless"),
    arch: arch ? normalizeArch(arch) : undefined,
    os: str(info.OperatingSystem),
    dataRoot: str(info.DockerRootDir),
    memoryBytes: bytes(info.MemTotal),
    securityOptions,
    kernelVersion: str(info.KernelVersion),
    warnings,
  });
}

/**
 * Facts from the human `docker info` text. Two layouts exist: flat "Key: value" lines (before
 * Docker 17.x, e.g. 1.12 and 18.06 as recorded), and "Client:" / "Server:" sections with the
 * server's keys indented by one space. Nested lines ("  Profile: default", " Running: 0") belong to
 * the key above them. Only the server's part is read: the client can be another version.
 */
export function parseDockerInfoText(text: string): EngineInfo {
  const lines = text.split(/\r?\n/);
  const serverAt = lines.findIndex((l) => /^Server:\s*$/.test(l));
  const body = serverAt >= 0 ? lines.slice(serverAt + 1) : lines;

  const values = new Map<string, string>();
  const children = new Map<string, string[]>();
  const warnings: string[] = [];
  let serverError: string | undefined;
  let baseIndent: number | undefined;
  let current: string | undefined;

  for (const line of body) {
    if (line.trim() === "") continue;
    const trimmed = line.trim();
    if (/^WARNING:/.test(trimmed)) {
      warnings.push(trimmed);
      continue;
    }
    if (/^ERROR:|Cannot connect to the Docker daemon|error during connect/i.test(trimmed)) {
      serverError ??= trimmed.replace(/^ERROR:\s*/, "");
      continue;
    }
    const indent = line.length - line.trimStart().length;
    baseIndent ??= indent;
    if (indent <= baseIndent) {
      const m = /^([^:]+):\s*(.*)$/.exec(trimmed);
      if (!m) continue;
      current = m[1] ?? "";
      values.set(current, m[2] ?? "");
      children.set(current, []);
    } else if (current && indent === baseIndent + 1) {
      children.get(current)?.push(trimmed);
    }
  }

  const get = (key: string): string | undefined => str(values.get(key));
  // "Security Options: apparmor seccomp" (1.12) or one option per nested line; nested lines with
  // a colon are option details ("Profile: default"), one level deeper, and are not collected.
  const security = [
    ...(get("Security Options")?.split(/\s+/) ?? []),
    ...(children.get("Security Options") ?? []).filter((c) => !c.includes(":")),
  ].map(securityOptionName);
  const arch = get("Architecture");

  return compact<EngineInfo>({
    kind: "docker",
    serverVersion: get("Server Version"),
    runtimes: get("Runtimes")?.split(/\s+/) ?? [],
    defaultRuntime: get("Default Runtime"),
    cgroupVersion: get("Cgroup Version") === "2" ? 2 : 1,
    cgroupDriver: get("Cgroup Driver"),
    rootless: security.includes("rootless"),
    arch: arch ? normalizeArch(arch) : undefined,
    os: get("Operating System"),
    dataRoot: get("Docker Root Dir"),
    securityOptions: security,
    kernelVersion: get("Kernel Version"),
    warnings,
    serverError,
  });
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Facts from `podman info --format json` (or the YAML read by parsePodmanInfoText: same keys).
 * Podman lists no runtime table: only the OCI runtime in use (GPUs go through CDI, not a runtime).
 * version.APIVersion is libpod's own API version, not the Docker-compatible one, so apiVersion is
 * left for the caller to fill from the compat /version endpoint.
 */
export function engineFactsFromPodmanInfo(info: Record<string, unknown>): EngineInfo {
  const host = obj(info.host);
  const security = obj(host.security);
  const ociRuntime = obj(host.ociRuntime);
  const distribution = obj(host.distribution);
  const store = obj(info.store);
  const version = obj(info.version);
  const rootless = security.rootless === true || security.rootless === "true";
  const arch = str(host.arch);
  const runtime = str(ociRuntime.name);
  const distro = [str(distribution.distribution), str(distribution.version)].filter(Boolean);
  const securityOptions = [
    ...(security.apparmorEnabled === true || security.apparmorEnabled === "true"
      ? ["apparmor"]
      : []),
    ...(security.seccompEnabled === true || security.seccompEnabled === "true" ? ["seccomp"] : []),
    ...(security.selinuxEnabled === true || security.selinuxEnabled === "true" ? ["selinux"] : []),
    ...(rootless ? ["rootless"] : []),
  ];
  return compact<EngineInfo>({
    kind: "podman",
    serverVersion: str(version.Version),
    runtimes: runtime ? [runtime] : [],
    defaultRuntime: runtime,
    cgroupVersion: str(host.cgroupVersion) === "v2" || host.cgroupVersion === 2 ? 2 : 1,
    cgroupDriver: str(host.cgroupManager),
    rootless,
    arch: arch ? normalizeArch(arch) : undefined,
    os: distro.length > 0 ? distro.join(" ") : undefined,
    dataRoot: str(store.graphRoot),
    memoryBytes: bytes(host.memTotal),
    securityOptions,
    kernelVersion: str(host.kernel),
    warnings: [],
  });
}

/** `podman info` (its default YAML output). */
export function parsePodmanInfoText(text: string): EngineInfo {
  return engineFactsFromPodmanInfo(readSimpleYaml(text));
}

type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

/**
 * Just enough YAML for `podman info`: nested mappings by indentation, "- item" lists of scalars,
 * quoted and plain scalars, and block scalars ("|-") kept as text. Not a general YAML reader (no
 * flow collections, anchors or multi-documents) — podman info uses none of them.
 */
export function readSimpleYaml(text: string): Record<string, YamlValue> {
  const lines = text.split(/\r?\n/);
  const root: Record<string, YamlValue> = {};
  // Stack of open mappings with the indent of their keys.
  const stack: { indent: number; node: Record<string, YamlValue> }[] = [{ indent: -1, node: root }];
  let lastKey: { parent: Record<string, YamlValue>; key: string; indent: number } | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    const content = line.trim();

    if (content.startsWith("- ") || content === "-") {
      // List item under the last key (podman writes lists at the key's own indent).
      if (!lastKey) continue;
      const existing = lastKey.parent[lastKey.key];
      const list = Array.isArray(existing) ? existing : [];
      list.push(unquote(content.slice(1).trim()));
      lastKey.parent[lastKey.key] = list;
      continue;
    }

    const m = /^("[^"]*"|'[^']*'|[^:]+):(?:\s+(.*))?$/.exec(content);
    if (!m) continue;
    while (stack.length > 1 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.node ?? root;
    const key = unquote(m[1] ?? "") ?? "";
    const rest = (m[2] ?? "").trim();

    if (rest === "") {
      const child: Record<string, YamlValue> = {};
      parent[key] = child;
      stack.push({ indent, node: child });
    } else if (/^[|>][-+]?$/.test(rest)) {
      const block: string[] = [];
      while (i + 1 < lines.length) {
        const next = lines[i + 1] ?? "";
        const nextIndent = next.length - next.trimStart().length;
        if (next.trim() !== "" && nextIndent <= indent) break;
        block.push(next.trim());
        i++;
      }
      parent[key] = block.join("\n").trimEnd();
    } else {
      parent[key] = unquote(rest);
    }
    lastKey = { parent, key, indent };
  }
  return root;
}

function unquote(s: string): string | null {
  if (s === "null" || s === "~") return null;
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) {
    return s.slice(1, -1);
  }
  return s;
}
