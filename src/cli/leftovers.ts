import type { LocalEnvironment } from "../access/local-environments.js";

/** "key directory ~/… and ~/.ssh/config entry NAME.modelbox" */
export function leftovers(local: LocalEnvironment): string {
  return [
    ...(local.keyDirectory ? [`key directory ${local.keyDirectory}`] : []),
    ...(local.sshConfigEntry ? [`~/.ssh/config entry ${local.sshConfigEntry}`] : []),
  ].join(" and ");
}
