import { Command, Option } from "commander";
import { toolVersion } from "../tool-version.js";
import { registerAccessCommands } from "./register-access.js";
import { registerHostCommands } from "./register-host.js";
import { registerWorkflowCommands } from "./register-workflow.js";
import {
  addRegistryImagesOptions,
  addRegistryUpOptions,
  registerRegistryCommands,
} from "./register-registry.js";
import { addUpOptions } from "./environment-flags.js";
import { addKubernetesOptions } from "./kubernetes-flags.js";

/** Wraps a lazily loaded command module's `run` as a commander action. */
export type ActionFactory = (
  load: () => Promise<{ run: (...args: never[]) => Promise<number> }>,
) => (...args: unknown[]) => Promise<void>;

/**
 * One file declares every command; each command's code lives in its own module, loaded only
 * when that command runs, so --help and --version stay fast.
 */
export function buildProgram(setExitCode: (code: number) => void, json = false): Command {
  const program = new Command("modelbox-dev")
    .description("Start and manage ModelBox development containers, right for this host.")
    .version(toolVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions()
    // Subcommands copy these settings when created, so they must come first: parse errors
    // become exceptions that main.ts reports (as JSON with --json) instead of exiting here.
    .exitOverride()
    .option(
      "-H, --host <url>",
      "the engine to use: unix://…, tcp://host:2375, ssh://user@host (as DOCKER_HOST)",
    )
    .option("-c, --context <name>", "the Docker context to use (as 'docker --context')")
    .hook("preAction", async (_program, command) => {
      const { checkCommandLine } = await import("./check-arguments.js");
      checkCommandLine(program);
      checkCommandLine(command);
      const { setEngineFlags } = await import("./context.js");
      const options = program.opts<{ host?: string; context?: string }>();
      setEngineFlags({
        ...(options.host ? { host: options.host } : {}),
        ...(options.context ? { context: options.context } : {}),
      });
    });
  if (json) program.configureOutput({ writeErr: () => undefined });

  const run: ActionFactory =
    (load) =>
    async (...args: unknown[]) => {
      const mod = await load();
      setExitCode(await (mod.run as (...a: unknown[]) => Promise<number>)(...args));
    };

  const imagesCommand = program
    .command("images")
    .description("list the published ModelBox images, and which are present on the engine")
    .option("--engine <name>", "tensorflow, libtorch, tensorrt or mindspore")
    .option("--accel <kind>", "cuda, ascend (cann) or cpu")
    .option("--os <name>", "ubuntu or openeuler")
    .option("--arch <arch>", "x86_64 or aarch64")
    .option("--kind <kind>", "develop or runtime")
    .option("--all", "include superseded releases")
    .option("--for-host", "mark each image usable or not on this host, and why")
    .option("--facts <file>", "with --for-host: judge by host facts from a JSON file")
    .option("--tags <name>", "list the tags a registry has for this image name")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/images.js")));
  addRegistryImagesOptions(imagesCommand);

  addUpOptions(
    program
      .command("up [name]")
      .description("create and start an environment (or start/report an existing one)"),
  )
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/up.js")));

  // `plan` and `script` take every option `up` takes, so an `up` command line can be pasted.
  addUpOptions(
    program
      .command("plan [name]")
      .description("print what `up` would do on this host, every step, without doing it"),
  )
    .option("--facts <file>", "take host facts from a JSON file instead of probing")
    .option("--json", "print the plan as JSON")
    .action(run(() => import("./commands/plan.js")));

  addKubernetesOptions(
    addUpOptions(
      program
        .command("script [name]")
        .description("print the one-click bash script (or Kubernetes manifests) for the plan"),
    ),
  )
    .option(
      "--explain",
      "comment every docker option (or manifest field), and the steps after start as commands",
    )
    .option("--facts <file>", "take host facts from a JSON file instead of probing")
    .option("--json", "print the script inside one JSON object")
    .action(run(() => import("./commands/script.js")));

  program
    .command("ls")
    .description(
      "list environments (running ones; --all for every one) with their owner, GPUs and chips",
    )
    .option("-a, --all", "include stopped environments")
    .option("--mine", "only the environments you made (under sudo: the user who ran sudo)")
    .option("--all-contexts", "list every configured Docker context's engine (a HOST column)")
    .option("--volumes", "also list the volumes (/root) whose environment is gone")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/ls.js")));

  program
    .command("status <name>")
    .description("show one environment: state, image, ports, how to connect")
    .option("--host-address <addr>", "host address to print in the ssh command and editor URL")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/status.js")));

  program
    .command("start <name>")
    .description("start a stopped environment (developer mode comes back on)")
    .option("--timeout <seconds>", "how long to wait for the editor to answer", "120")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/start.js")));

  program
    .command("stop <name>")
    .description("stop an environment (systemd shuts down cleanly)")
    .option("--force", "stop it even when it belongs to someone else")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/stop.js")));

  program
    .command("rm <name>")
    .description("remove an environment (host directories it mounted and its /root volume stay)")
    .option("-f, --force", "remove even when running, or when it belongs to someone else")
    .option("-v, --volumes", "remove its volumes too (root's home: the editor's graphs, history…)")
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/rm.js")));

  addRegistryUpOptions(
    program
      .command("upgrade <name>")
      .description(
        "pull a newer image and make the environment again with its options, keeping /root",
      )
      .option("--image <ref>", "the new image (default: the environment's image, pulled again)")
      .option("--version <tag>", "release tag of the new image, e.g. 1.6.0")
      .addOption(
        new Option("--pull <policy>", "when to pull the new image")
          .choices(["always", "missing", "never"])
          .default("always"),
      )
      .option("--timeout <seconds>", "how long to wait for the environment to be ready", "120")
      .option("--force", "upgrade even when /root is not in a volume (it is then lost)")
      .option("--keep-on-failure", "keep the new container when a step after create fails"),
  )
    .option("--json", "print one JSON object")
    .action(run(() => import("./commands/upgrade.js")));

  program
    .command("logs <name>")
    .description("print an environment's container log")
    .option("-f, --follow", "keep printing new lines")
    .option("--tail <n>", "only the last n lines")
    .action(run(() => import("./commands/logs.js")));

  program
    .command("exec <name> [command...]")
    .description("run a command in an environment: modelbox-dev exec NAME -- CMD ARGS...")
    .option("-t, --tty", "allocate a terminal (default when stdin is a terminal)")
    .passThroughOptions()
    .action(run(() => import("./commands/exec.js")));

  registerHostCommands(program, run);
  registerAccessCommands(program, run);
  registerRegistryCommands(program, run);
  registerWorkflowCommands(program, run);
  return program;
}
