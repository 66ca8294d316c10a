/** How to reach a new environment: ssh, the editor, and VS Code's Remote-SSH. */
export interface AccessResult {
  name?: string;
  ssh?: { command: string; host?: string; port?: number; configHost?: string };
  editor?: { url: string; ready?: boolean };
}

/**
 * VS Code opens a Remote-SSH window from this link; the ~/.ssh/config entry names the host
 * (with its port and key), else user@host:port.
 */
export function vscodeLink(ssh: NonNullable<AccessResult["ssh"]>): string {
  const host = ssh.configHost ?? `root@${ssh.host ?? "127.0.0.1"}${ssh.port ? `:${ssh.port}` : ""}`;
  return `vscode://vscode-remote/ssh-remote+${host}/root`;
}

export function AccessLinks({ result }: { result: AccessResult }) {
  return (
    <dl class="facts access">
      {result.ssh ? (
        <>
          <dt>SSH</dt>
          <dd>
            <code class="ssh-command">
              {result.ssh.configHost ? `ssh ${result.ssh.configHost}` : result.ssh.command}
            </code>
            {result.ssh.configHost ? (
              <div class="muted small">
                <code>{result.ssh.command}</code>
              </div>
            ) : null}
          </dd>
          <dt>VS Code</dt>
          <dd>
            <a href={vscodeLink(result.ssh)}>Open in VS Code (Remote-SSH)</a>
          </dd>
        </>
      ) : null}
      {result.editor ? (
        <>
          <dt>Editor</dt>
          <dd>
            <a href={result.editor.url} target="_blank" rel="noopener noreferrer">
              {result.editor.url}
            </a>
            {result.editor.ready === false ? (
              <span class="muted small"> (not answering yet)</span>
            ) : null}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
