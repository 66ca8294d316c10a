import { ModelboxDevError } from "../errors.js";

/**
 * OpenSSH's own option letters (ssh.c's getopt string, OpenSSH 9.x): these take an argument,
 * those are flags. Anything else is refused here rather than handed to ssh as a remote command.
 */
const WITH_ARGUMENT = new Set("bceilmopBDEFIJLOPQRSwW".split(""));
const FLAGS = new Set("12346afgknqstvxACGKMNTVXYy".split(""));

export interface SshArguments {
  /** Options for ssh, before the destination (-L 8080:127.0.0.1:8080, -A, -v …). */
  options: string[];
  /** The remote command, after the destination. */
  command: string[];
  /** The caller's own flags found among the options (e.g. "--json"), left out of `options`. */
  own: string[];
}

const USAGE = "modelbox-dev ssh NAME [ssh options] [-- command]";

/** Reads one option word ("-NL8080:…", "-v", "-o" …); returns how many words it used. */
function readOption(args: string[], index: number, options: string[]): number {
  const word = args[index] ?? "";
  if (word.startsWith("--")) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `ssh takes no long options like ${JSON.stringify(word)}.`,
      `Usage: ${USAGE}; 'modelbox-dev ssh --help' shows this command's help.`,
    );
  }
  for (let i = 1; i < word.length; i++) {
    const letter = word[i] ?? "";
    if (FLAGS.has(letter)) continue;
    if (!WITH_ARGUMENT.has(letter)) {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        `ssh has no option -${letter} (in ${JSON.stringify(word)}).`,
        `Usage: ${USAGE}; see 'man ssh' for its options.`,
      );
    }
    // The rest of the word is the argument ("-L8080:…"), or else the next word is.
    if (i + 1 < word.length) {
      options.push(word);
      return 1;
    }
    const value = args[index + 1];
    if (value === undefined) {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        `ssh's option -${letter} needs an argument.`,
        `Usage: ${USAGE}, e.g. '-L 8080:127.0.0.1:8080'.`,
      );
    }
    options.push(word, value);
    return 2;
  }
  options.push(word);
  return 1;
}

/**
 * Splits what follows the environment's name the way ssh reads its own command line: options
 * first, then the remote command (everything after "--", or from the first word that is not an
 * option). Words in `ownFlags` among the options belong to the caller, not to ssh.
 */
export function splitSshArguments(args: string[], ownFlags: string[] = []): SshArguments {
  const options: string[] = [];
  const own: string[] = [];
  let index = 0;
  while (index < args.length) {
    const word = args[index] ?? "";
    if (word === "--") return { options, command: args.slice(index + 1), own };
    if (ownFlags.includes(word)) {
      own.push(word);
      index += 1;
      continue;
    }
    if (!word.startsWith("-") || word === "-") break;
    index += readOption(args, index, options);
  }
  return { options, command: args.slice(index), own };
}
