import { type Command, Option } from "commander";
import { DEFAULT_PORTS } from "../plan/options.js";
import { addAccessUpOptions } from "./register-access.js";
import { addRegistryUpOptions } from "./register-registry.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The options `up`, `plan` and `script` share: one list, so they cannot drift apart. */
export function addEnvironmentOptions(command: Command): Command {
  return command
    .option("--image <ref>", "image to start (default: the published image that fits this host)")
    .option(
      "--version <tag>",
      "release tag of the image, e.g. 1.5.3 ('images --tags NAME' lists them)",
    )
    .option(
      "--engine <name>",
      "inference engine when choosing an image: tensorflow, libtorch, tensorrt, mindspore",
    )
    .addOption(
      new Option("--accel <kind>", "accelerator when choosing an image").choices([
        "auto",
        "cuda",
        "ascend",
        "cpu",
      ]),
    )
    .option("--os <name>", "image OS when choosing an image: ubuntu or openeuler")
    .addOption(
      new Option("--kind <kind>", "image kind (develop has sshd and the editor)").choices([
        "develop",
        "runtime",
      ]),
    )
    .option(
      "--gpus <which>",
      "NVIDIA GPUs: auto, all, none, or a list such as 0,1 (--target kubernetes: a count)",
      "auto",
    )
    .option(
      "--npu <chips>",
      "Ascend chips (/dev/davinci<N> indices), e.g. 0-3,5 (--target kubernetes: a count)",
    )
    .addOption(
      new Option("--debug <mode>", "allow gdb: ptrace (narrow) or privileged").choices([
        "none",
        "ptrace",
        "privileged",
      ]),
    )
    .option(
      "--mount <src:dst[:ro]>",
      "bind-mount a host directory (absolute paths; repeatable)",
      collect,
      [],
    )
    .option("--no-default-mounts", "do not mount /opt/modelbox and /home from the host")
    .option(
      "--ssh-port <port>",
      `host port for SSH (default ${DEFAULT_PORTS.ssh}, or the next free one)`,
    )
    .option("--editor-port <port>", `host port for the editor (default ${DEFAULT_PORTS.editor})`)
    .option(
      "--http-port <port>",
      `host port for the HTTP flowunit, same inside (default ${DEFAULT_PORTS.http})`,
    )
    .option("--bind <address>", "host address to publish ports on (default: all interfaces)")
    .option(
      "--restart <policy>",
      "no, always, unless-stopped or on-failure[:N]: what the engine does when the container stops or the engine restarts (default unless-stopped: back after a daemon restart or reboot)",
    )
    .option(
      "-p, --publish <[ip:]host:container[/udp]>",
      "publish another port, e.g. 6006:6006 (TensorBoard) or 127.0.0.1:2345:2345 (gdbserver); repeatable",
      collect,
      [],
    )
    .option(
      "-e, --env <name=value>",
      "set a variable inside (repeatable); NAME alone passes this shell's value; values are never shown",
      collect,
      [],
    )
    .option(
      "--env-file <file>",
      "set the variables of FILE, NAME=value per line (docker's env-file format; repeatable)",
      collect,
      [],
    )
    .option(
      "--shm-size <size>",
      "size of /dev/shm, e.g. 16g (default: half the memory, at most 8g; Docker's is 64m)",
    )
    .option(
      "--memory <size>",
      "most memory the environment may use, e.g. 16g (k/m/g/t: powers of 1024)",
    )
    .option("--cpus <n>", "most CPU time the environment may use, in CPUs, e.g. 4 or 1.5")
    .option(
      "--ulimit <name=soft[:hard]>",
      "a process limit, e.g. nofile=65536:65536 or core=-1 (repeatable)",
      collect,
      [],
    )
    .option(
      "--no-home-volume",
      "keep /root in the container instead of a named volume (lost when it is made again)",
    );
}

/**
 * Every option of `up`: the environment's, how `up` runs, access and registries. `plan` and
 * `script` declare the same list, so they cannot drift apart.
 */
export function addUpOptions(command: Command): Command {
  addEnvironmentOptions(command)
    .addOption(
      new Option("--pull <policy>", "when to pull the image")
        .choices(["missing", "always", "never"])
        .default("missing"),
    )
    .option("--timeout <seconds>", "how long to wait for the environment to be ready", "120")
    .option(
      "--keep-on-failure",
      "keep the container when a step after create fails (to inspect it)",
    )
    .option("--recreate", "replace an existing environment (options changed, or a newer image)")
    .option("--host-address <addr>", "host address to print in the ssh command and editor URL");
  addAccessUpOptions(command);
  return addRegistryUpOptions(command);
}
