/**
 * ModelBox developer mode (the server and its editor) as a systemd unit, so it comes back on
 * every boot of the environment: upstream's server is not a unit of its own, and after a restart
 * nothing starts it again. One text for every target that installs it.
 */
export const EDITOR_SERVICE_NAME = "modelbox-dev-editor.service";

/** Root's home in the ModelBox images; developer mode lives in its modelbox-service folder. */
const HOME = "/root";
const SERVICE_HOME = `${HOME}/modelbox-service`;

/**
 * The unit file. Its script, in order:
 * - takes PID 1's environment (the image's PATH, LD_LIBRARY_PATH, NVIDIA_* …), which systemd
 *   does not hand to services, as the images' bashrc does for SSH sessions;
 * - removes pid files a previous boot left in the home: nothing runs yet at boot, and a stale
 *   pid can name an unrelated live process that `modelbox stop` would signal;
 * - sets developer mode up when its home is missing (`modelbox-tool develop -s`; with no
 *   $SSH_CLIENT the editor admits 127.0.0.1/8 only), or restarts the server set up before.
 * `$$` is systemd's escape for a literal `$`.
 */
export function editorServiceUnit(): string {
  const script = [
    'while IFS= read -r -d "" kv; do export "$$kv"; done </proc/1/environ',
    `export HOME=${HOME}`,
    `rm -f ${SERVICE_HOME}/run/modelbox.pid ${SERVICE_HOME}/run/manager.pid`,
    `if [ -d ${SERVICE_HOME} ]; then exec ${SERVICE_HOME}/modelbox restart; fi`,
    "exec modelbox-tool develop -s",
  ].join("; ");
  return [
    "[Unit]",
    "Description=ModelBox developer mode: the server and its visual editor (modelbox-dev)",
    "After=network.target",
    "",
    "[Service]",
    // The server daemonizes; RemainAfterExit keeps it (and the unit) alive after the script ends.
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/bin/bash -c '${script}'`,
    "TimeoutStartSec=120",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
