import { ModelboxDevError } from "../../errors.js";

/** One side of `cp`: a path in an environment, a host path, or a tar stream ("-"). */
export type CopyEndpoint =
  | { kind: "environment"; name: string; path: string }
  | { kind: "host"; path: string }
  | { kind: "stream" };

export type CopyRoute =
  | {
      direction: "to-environment";
      name: string;
      /** Absolute path in the environment, "/" and "/." endings kept. */
      containerPath: string;
      from: { kind: "host"; path: string } | { kind: "stream" };
    }
  | {
      direction: "from-environment";
      name: string;
      containerPath: string;
      to: { kind: "host"; path: string } | { kind: "stream" };
    };

const EXAMPLE =
  "e.g. 'modelbox-dev cp ./model.onnx mybox:/root/' or 'modelbox-dev cp mybox:/root/out .'";

/**
 * `docker cp`'s reading of an argument: an absolute path is a host path; "NAME:PATH" names an
 * environment, unless what precedes the colon starts with "." (so "./a:b" is a host path).
 */
export function parseCopyEndpoint(arg: string): CopyEndpoint {
  if (arg === "-") return { kind: "stream" };
  if (arg.startsWith("/")) return { kind: "host", path: arg };
  const colon = arg.indexOf(":");
  const name = arg.slice(0, colon);
  if (colon < 0 || name.startsWith(".")) return { kind: "host", path: arg };
  if (name === "") {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `${JSON.stringify(arg)} has no environment name before ':'.`,
      `Write NAME:PATH, or './${arg}' for a host path with a colon.`,
    );
  }
  const path = arg.slice(colon + 1);
  if (path === "") {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `No path after '${name}:'.`,
      `Write the path in the environment, e.g. '${name}:/root/'.`,
    );
  }
  // As docker cp: environment paths are relative to "/".
  return { kind: "environment", name, path: path.startsWith("/") ? path : `/${path}` };
}

/** Which way the copy goes; exactly one side must be an environment. */
export function parseCopyRoute(source: string, destination: string): CopyRoute {
  for (const [what, value] of [
    ["source", source],
    ["destination", destination],
  ] as const) {
    if (value === "") {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        `The ${what} is empty.`,
        `Give SRC and DST, ${EXAMPLE}.`,
      );
    }
  }
  const from = parseCopyEndpoint(source);
  const to = parseCopyEndpoint(destination);
  if (to.kind === "environment") {
    if (from.kind === "environment") {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        "Copying between two environments is not supported.",
        `Copy through the host: 'modelbox-dev cp ${from.name}:${from.path} ./x && modelbox-dev cp ./x ${to.name}:${to.path}'.`,
      );
    }
    return { direction: "to-environment", name: to.name, containerPath: to.path, from };
  }
  if (from.kind === "environment") {
    return { direction: "from-environment", name: from.name, containerPath: from.path, to };
  }
  throw new ModelboxDevError(
    "INVALID_OPTION",
    "Neither side of the copy is an environment.",
    `Write the environment's side as NAME:PATH, ${EXAMPLE}.`,
  );
}
