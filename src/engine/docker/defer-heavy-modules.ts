/**
 * dockerode loads gRPC (for BuildKit sessions) and tar-fs (for build
 * contexts), and docker-modem loads ssh2 (for ssh:// hosts) as soon as they are imported: most of
 * dockerode's load time, paid by every command, although modelbox-dev builds no images and
 * reaches ssh:// engines through its own transport. Each is replaced in the CommonJS cache by a
 * stand-in that loads the real module on first use: a function for the modules that export one,
 * an object that forwards property reads for the others, before dockerode itself is required.
 * dockerode is required here, not imported: an import would be evaluated before this module's
 * body in a bundled build, where imports of packages are hoisted to the top of the chunk.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type Docker from "dockerode";

const require = createRequire(import.meta.url);

function deferFunctionModule(path: string): void {
  if (require.cache[path]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real;
  };
  const stub = function (this: unknown, ...args: unknown[]) {
    return load().apply(this, args);
  };
  require.cache[path] = {
    id: path,
    filename: path,
    loaded: true,
    exports: stub,
  } as unknown as NodeJS.Module;
}

function deferObjectModule(path: string): void {
  if (require.cache[path]) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const stub = new Proxy({}, { get: (_target, property) => load()[property] });
  require.cache[path] = {
    id: path,
    filename: path,
    loaded: true,
    exports: stub,
  } as unknown as NodeJS.Module;
}

let dockerode: typeof Docker | undefined;

/** dockerode's constructor, its heavy modules deferred first. */
export function loadDockerode(): typeof Docker {
  if (!dockerode) {
    deferHeavyModules();
    dockerode = require("dockerode") as typeof Docker;
  }
  return dockerode;
}

function deferHeavyModules(): void {
  try {
    const dockerode = dirname(require.resolve("dockerode/package.json"));
    const modem = dirname(require.resolve("docker-modem/package.json", { paths: [dockerode] }));
    deferFunctionModule(require.resolve("./lib/session.js", { paths: [dockerode] }));
    deferFunctionModule(require.resolve("./lib/ssh.js", { paths: [modem] }));
    // The stream of hijacked connections (exec with stdin, attach) and readable-stream under it.
    deferFunctionModule(require.resolve("./lib/http_duplex.js", { paths: [modem] }));
    deferObjectModule(require.resolve("tar-fs", { paths: [dockerode] }));
  } catch {
    // A layout we do not know (a bundled copy, a new major): load everything up front as usual.
  }
}
