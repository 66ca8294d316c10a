import { type Command, Option } from "commander";
import {
  DEFAULT_HOME_SIZE,
  NODE_CGROUPS,
  NPU_TYPES,
  SERVICE_TYPES,
} from "../plan/kubernetes/options.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** What `script` takes for `--target kubernetes`. */
export function addKubernetesOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--target <target>", "shell: the docker run script; kubernetes: manifests")
        .choices(["shell", "kubernetes"])
        .default("shell"),
    )
    .addOption(
      new Option(
        "--k8s-cgroup <mode>",
        "kubernetes: the nodes' cgroup: v1, v2-privileged, or v2-writable (containerd 2.1+ cgroup_writable)",
      ).choices([...NODE_CGROUPS]),
    )
    .addOption(
      new Option("--k8s-service <type>", "kubernetes: Service type (default ClusterIP)").choices([
        ...SERVICE_TYPES,
      ]),
    )
    .addOption(
      new Option(
        "--k8s-npu-type <type>",
        "kubernetes: Ascend device plugin chip type (default: from the image name)",
      ).choices([...NPU_TYPES]),
    )
    .option("--namespace <name>", "kubernetes: namespace of every object")
    .option("--storage-class <name>", "kubernetes: storage class of the home volume claim")
    .option(
      "--pvc-size <size>",
      `kubernetes: size of the home volume claim (default ${DEFAULT_HOME_SIZE})`,
    )
    .option(
      "--node-selector <key=value>",
      "kubernetes: node label to run on (repeatable)",
      collect,
      [],
    )
    .option(
      "--toleration <key[=value][:effect]>",
      "kubernetes: tolerate a node taint (repeatable)",
      collect,
      [],
    );
}
