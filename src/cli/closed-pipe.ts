/** The exit status a shell reports for a program ended by SIGPIPE (128 + 13), as `git log | head`. */
export const CLOSED_PIPE_EXIT = 141;

/**
 * Output into a pipe whose reader has gone (`modelbox-dev ls | head -1`) ends the process quietly,
 * as SIGPIPE ends a C program: nobody reads what is left, so neither a stack trace nor an error
 * message is due. Node ignores SIGPIPE and reports EPIPE on the stream instead; this handles it
 * for stdout and stderr alike, for every command, `--help` and streams piped to them (logs -f).
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") {
        process.exit(CLOSED_PIPE_EXIT);
      }
      throw err;
    });
  }
}
