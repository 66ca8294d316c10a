import { removeEnvironmentFiles } from "./access-record.js";
import { sshConfigPath } from "./paths.js";
import { editSshConfig, withoutEntry } from "./ssh-config-block.js";

/** After `rm` (or a failed first `up`): the ~/.ssh/config entry and ~/.modelbox-dev files go. */
export async function forgetEnvironment(name: string): Promise<void> {
  await editSshConfig(sshConfigPath(), (text) => withoutEntry(text, name));
  await removeEnvironmentFiles(name);
}
