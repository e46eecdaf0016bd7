import type { AeSettings, DuplicatePolicy } from "../reference_ae/config.ts";
import { InputError } from "../yaml/input_error.ts";
import {
  choiceFlag,
  type Command,
  durationFlag,
  EXIT,
  type FlagRange,
  intFlag,
  parseFlags,
  sizeFlag,
} from "./command.ts";
import { SECURITY_FLAGS, SECURITY_USAGE, securityFromFlags } from "./_security_flags.ts";
import { aeFlag, hostFlag } from "./_scu_flags.ts";
import { hostPort } from "../text/mod.ts";

const FLAGS = {
  config: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  ae: { type: "string" },
  "accept-calling": { type: "string", multiple: true },
  storage: { type: "string" },
  "max-associations": { type: "string" },
  timeout: { type: "string" },
  "idle-timeout": { type: "string" },
  "max-connections": { type: "string" },
  "max-connections-per-address": { type: "string" },
  "max-object-size": { type: "string" },
  "max-dataset-in-memory": { type: "string" },
  duplicates: { type: "string" },
  ...SECURITY_FLAGS,
} as const;

/**
 * `dicomtls serve`: the reference AE as a DICOM TLS SCP, configured by a YAML
 * file and/or flags (flags win). Prints `listening on HOST:PORT`, then one
 * JSON line per connection; stops on SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * import { serveCommand } from "./serve.ts";
 * await serveCommand.run(["--config", "fixtures/ae/ae.yaml", "--port", "0"]);
 * ```
 */
export const serveCommand: Command = {
  usage: `usage: dicomtls serve [--config AE.yaml] [options]

Runs the reference AE (C-ECHO, C-STORE) until SIGINT/SIGTERM. Prints
'listening on HOST:PORT' when ready, then one JSON line per connection.
Flags override the config file (schemas/ae.schema.json).

  --config F                 AE config YAML
  --host H                   address to bind (default 127.0.0.1)
  --port N                   port (default 2762; 0 picks a free one)
  --ae TITLE                 own AE title (default DICOMTLS)
  --accept-calling AE ...    accepted calling AE titles (default: any)
  --storage DIR              write received C-STORE data sets here (Part 10)
  --max-associations N       simultaneous associations (default 64)
  --timeout T                longest association (default 60s; 500ms, 5s, 2m)
  --idle-timeout T           longest silence from a peer, also for the TLS handshake and the
                             A-ASSOCIATE-RQ (default 15s)
  --max-connections N        open connections at most, handshakes included (default: the
                             open-file limit minus 192)
  --max-connections-per-address N
                             open connections from one address at most (default 256)
  --max-object-size BYTES    largest C-STORE data set stored, e.g. 2G (default 4G); larger:
                             status 0xA700 and nothing kept
  --max-dataset-in-memory BYTES
                             largest other data set held in memory (default 16M)
  --duplicates keep-both|replace|refuse
                             a SOP Instance UID stored already: keep both files (UID-2.dcm),
                             replace, or refuse with 0x0111 (default keep-both)

${SECURITY_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags("serve", args, FLAGS);
    if (positionals.length) {
      throw new InputError({
        message: `dicomtls serve takes no positional arguments, got '${positionals[0]}'`,
        hint: "use --config F for a config file",
      });
    }
    // The config file is read first, as before; without one, the flags are checked before the
    // reference AE's modules load, so a refused command line costs none of them.
    const aeConfigModule = () => import("../reference_ae/config.ts");
    const file = values.config === undefined
      ? {}
      : await (await aeConfigModule()).loadAeConfig(values.config);
    const flags: AeSettings = {
      host: values.host === undefined ? undefined : hostFlag("--host", values.host),
      port: optional(intFlag, "--port", values.port, { min: 0, max: 65535, example: 11112 }),
      ae: values.ae === undefined ? undefined : aeFlag("--ae", values.ae),
      acceptCalling: values["accept-calling"]?.map((ae) => aeFlag("--accept-calling", ae)),
      storage: values.storage,
      maxAssociations: optional(intFlag, "--max-associations", values["max-associations"], {
        min: 1,
        max: 10000,
        example: 64,
      }),
      associationTimeoutMs: optional(durationFlag, "--timeout", values.timeout, {
        min: 100,
        max: DAY_MS,
        example: "60s",
      }),
      idleTimeoutMs: optional(durationFlag, "--idle-timeout", values["idle-timeout"], {
        min: 100,
        max: DAY_MS,
        example: "15s",
      }),
      maxConnections: optional(intFlag, "--max-connections", values["max-connections"], {
        min: 1,
        max: 1_000_000,
        example: 1024,
      }),
      maxConnectionsPerAddress: optional(
        intFlag,
        "--max-connections-per-address",
        values["max-connections-per-address"],
        { min: 1, max: 1_000_000, example: 64 },
      ),
      maxObjectSize: optional(sizeFlag, "--max-object-size", values["max-object-size"], {
        min: 1,
        max: Number.MAX_SAFE_INTEGER,
        example: "2G",
      }),
      maxDatasetInMemory: optional(
        sizeFlag,
        "--max-dataset-in-memory",
        values["max-dataset-in-memory"],
        { min: 1, max: Number.MAX_SAFE_INTEGER, example: "16M" },
      ),
      duplicates: values.duplicates === undefined
        ? undefined
        : choiceFlag("--duplicates", values.duplicates, DUPLICATE_POLICIES, "refuse"),
      security: await securityFromFlags(values),
    };
    const [{ resolveAeConfig }, { startReferenceAe }] = await Promise.all([
      aeConfigModule(),
      import("../reference_ae/server.ts"),
    ]);
    const config = resolveAeConfig(file, flags);
    const ae = await startReferenceAe({ config });
    console.log(`listening on ${hostPort(ae)}`);
    const stop = Promise.withResolvers<string>();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handlers = signals.map((signal) => {
      const h = () => stop.resolve(signal);
      Deno.addSignalListener(signal, h);
      return [signal, h] as const;
    });
    const signal = await stop.promise;
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    console.error(`dicomtls serve: ${signal}: stopping`);
    await ae.close();
    return EXIT.ok;
  },
};

const DAY_MS = 86_400_000;
const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ["keep-both", "replace", "refuse"];

// A number flag that may be absent (then the config file or default decides).
function optional(
  parse: typeof intFlag,
  flag: string,
  value: string | undefined,
  range: FlagRange,
): number | undefined {
  return value === undefined ? undefined : parse(flag, value, range);
}
