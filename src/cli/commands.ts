import type { Command } from "./command.ts";
import { pkiCommand } from "./pki.ts";
import { mergeCommand } from "./merge.ts";
import { validateCommand } from "./validate.ts";
import { serveCommand } from "./serve.ts";
import { echoCommand } from "./echo.ts";
import { storeCommand } from "./store.ts";
import { runCommand } from "./run.ts";
import { demoCommand } from "./demo.ts";

/** Every sub-command, in the order `dicomtls --help` lists them. */
export const commands: Command[] = [
  pkiCommand,
  runCommand,
  validateCommand,
  mergeCommand,
  echoCommand,
  storeCommand,
  serveCommand,
  demoCommand,
];
