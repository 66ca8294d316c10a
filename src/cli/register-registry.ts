import type { Command } from "commander";
import type { ActionFactory } from "./program.js";

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const REGISTRY_HELP =
  "registry or mirror holding the ModelBox images, HOST[:PORT][/NAMESPACE]; repeatable, tried in order (default: the config file's, else docker.io/modelbox)";

/** Options this area adds to `up` (`--version` is shared with plan and script). */
export function addRegistryUpOptions(command: Command): Command {
  return command.option("--registry <host[/ns]>", REGISTRY_HELP, collect);
}

/** `images --tags NAME`: where to ask, and whether to skip the cache. */
export function addRegistryImagesOptions(command: Command): Command {
  return command
    .option("--registry <host[/ns]>", `with --tags: ${REGISTRY_HELP}`, collect)
    .option("--refresh", "with --tags: ask the registry even when the cached list is fresh");
}

/** The commands of this area. */
export function registerRegistryCommands(program: Command, run: ActionFactory): void {
  program
    .command("pull <image>")
    .description(
      "pull an image (a short name such as tensorflow_2.6.0-cuda_11.2, a ModelBox name or any reference) with progress, from the configured registries or mirrors",
    )
    .option("--version <tag>", "release tag to pull, e.g. 1.5.3")
    .option("--registry <host[/ns]>", REGISTRY_HELP, collect)
    .option("--json", "print one JSON object; progress as JSON lines on stderr")
    .action(run(() => import("./commands/pull.js")));

  program
    .command("outdated [name]")
    .description(
      "tell which environments run an image older than what its tag points to in the registry now",
    )
    .option(
      "--registry <host[/ns]>",
      "ask this registry instead of the one that served the image (repeatable)",
      collect,
    )
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/outdated.js")));

  const image = program
    .command("image")
    .description("move images between hosts without a registry (air-gapped hosts)");
  image
    .command("save <images...>")
    .description("write images to a tar file ('image load' on the other host reads it)")
    .requiredOption("-o, --output <file>", "file to write; a .gz or .tgz name is gzip-compressed")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/image-save.js")));
  image
    .command("load <file>")
    .description("load images from a tar file written by 'image save' or 'docker save'")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/image-load.js")));
}
