import type { ContainerPathStat } from "../types.js";

/**
 * The Engine API reports a path's mode as Go's os.FileMode: permission bits below, the file type
 * as high bits (ModeDir = 1<<31, ModeSymlink = 1<<27, devices, pipes and sockets in between).
 * JavaScript's bit operators are 32-bit signed, so the bits are read with arithmetic.
 */
const GO_MODE = {
  dir: 31,
  symlink: 27,
  device: 26,
  namedPipe: 25,
  socket: 24,
  charDevice: 21,
  irregular: 19,
} as const;

function hasBit(mode: number, bit: number): boolean {
  return Math.floor(mode / 2 ** bit) % 2 === 1;
}

export function kindOfGoMode(mode: number): ContainerPathStat["kind"] {
  if (hasBit(mode, GO_MODE.dir)) return "directory";
  if (hasBit(mode, GO_MODE.symlink)) return "symlink";
  const special = [
    GO_MODE.device,
    GO_MODE.namedPipe,
    GO_MODE.socket,
    GO_MODE.charDevice,
    GO_MODE.irregular,
  ];
  return special.some((bit) => hasBit(mode, bit)) ? "other" : "file";
}

interface RawPathStat {
  name?: unknown;
  size?: unknown;
  mode?: unknown;
  mtime?: unknown;
  linkTarget?: unknown;
}

/**
 * Decodes the X-Docker-Container-Path-Stat header (base64 JSON: name, size, mode, mtime,
 * linkTarget) that HEAD and GET /containers/{id}/archive answer with.
 */
export function decodePathStat(header: string | string[] | undefined): ContainerPathStat {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new Error("the engine sent no X-Docker-Container-Path-Stat header");
  const raw = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as RawPathStat;
  const mode = typeof raw.mode === "number" ? raw.mode : 0;
  const mtime = typeof raw.mtime === "string" ? new Date(raw.mtime) : undefined;
  return {
    name: typeof raw.name === "string" ? raw.name : "",
    size: typeof raw.size === "number" ? raw.size : 0,
    mode: mode % 0o1000,
    kind: kindOfGoMode(mode),
    ...(typeof raw.linkTarget === "string" && raw.linkTarget !== ""
      ? { linkTarget: raw.linkTarget }
      : {}),
    ...(mtime && !Number.isNaN(mtime.getTime()) ? { mtime } : {}),
  };
}
