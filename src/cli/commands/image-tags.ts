import { ModelboxDevError } from "../../errors.js";

/** `images --tags NAME`: the tags a registry has for an image. */
export function run(_name: string, _flags: { json?: boolean }): Promise<number> {
  return Promise.reject(
    new ModelboxDevError(
      "INVALID_OPTION",
      "Listing registry tags is not available yet.",
      "See the README for what is supported.",
    ),
  );
}
