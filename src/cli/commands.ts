import type { Command } from "./command.ts";

/** Every sub-command, in the order `dicomtls --help` lists them. */
export const commands: Command[] = [];
