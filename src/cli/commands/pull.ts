import { parseImageReference } from "../../catalog/image-reference.js";
import { resolveImageArgument, withReleaseTag } from "../../registry/image-source.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";
import { type RegistryFlags, pullForCli } from "../registry-hooks.js";

interface PullFlags extends RegistryFlags {
  version?: string;
}

/** `pull IMAGE`: always asks the registry, like `docker pull`, with progress and mirrors. */
export async function run(ref: string, flags: PullFlags): Promise<number> {
  let image = resolveImageArgument(ref);
  if (flags.version !== undefined) {
    // No tag written: --version replaces the implied :latest.
    image = withReleaseTag(image, flags.version, parseImageReference(ref).tag === undefined);
  }
  const pulled = await pullForCli(createEngine(), image, { ...flags, policy: "always" });
  const source = pulled.source;
  if (flags.json) {
    printJson({
      ok: true,
      image,
      id: pulled.id,
      ...(source?.repoDigest ? { digest: source.repoDigest } : {}),
      ...(source ? { registry: source.registry, pulledReference: source.reference } : {}),
    });
    return 0;
  }
  printLine(image);
  printLine(`  id      ${pulled.id}`);
  if (source?.repoDigest) printLine(`  digest  ${source.repoDigest}`);
  if (source) printLine(`  from    ${source.registry}`);
  return 0;
}
