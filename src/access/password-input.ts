import { readSync } from "node:fs";
import { ModelboxDevError } from "../errors.js";
import { validatePassword } from "./root-password.js";

/** What --password-stdin received: one trailing line break is not part of the password. */
export function passwordFromStdinText(text: string): string {
  return validatePassword(text.replace(/\r?\n$/, ""));
}

const tooLarge = () =>
  new ModelboxDevError(
    "INVALID_PASSWORD",
    "More than 4 KiB arrived on stdin for --password-stdin.",
    "Pipe just the password, e.g. 'printf %s \"$PW\" | modelbox-dev passwd NAME --password-stdin'.",
  );

/**
 * Reads stdin to its end, synchronously: `up` must refuse a bad password before it creates
 * anything, and its option hook cannot wait. A non-blocking stdin answers EAGAIN until data
 * arrives, so that is waited out.
 */
export function readStdinSync(limit = 4096): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1024);
  let total = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 20);
        continue;
      }
      // EOF (Windows) or a closed stdin: nothing was given.
      if (code === "EOF" || code === "EBADF") break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw tooLarge();
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a stream to its end (the password, from a pipe). */
export async function readStream(stream: NodeJS.ReadableStream, limit = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/**
 * Asks for a secret on a terminal without echoing it. Ctrl-C aborts, backspace edits, Enter
 * ends. The prompt goes to `output` (stderr), never stdout.
 */
export function promptHidden(
  prompt: string,
  input: TerminalInput,
  output: NodeJS.WritableStream,
): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    input.setRawMode?.(true);
    input.resume();
    let value = "";
    const finish = (error?: Error) => {
      input.removeListener("data", onData);
      input.setRawMode?.(false);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") {
          return finish(
            new ModelboxDevError(
              "PASSWORD_REQUIRED",
              "Interrupted: no password was set.",
              "Run the command again to set one, or leave the password out to log in with the SSH key only.",
            ),
          );
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on("data", onData);
  });
}
