import {
  type AeSettings,
  type DuplicatePolicy,
  loadAeConfig,
  resolveAeConfig,
} from "../reference_ae/config.ts";
import { startReferenceAe } from "../reference_ae/server.ts";
import { InputError } from "../yaml/mod.ts";
import { type Command, EXIT, intFlag, parseFlags } from "./command.ts";
import { SECURITY_FLAGS, SECURITY_USAGE, securityFromFlags } from "./_security_flags.ts";

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
  --timeout MS               longest association (default 60000)
  --idle-timeout MS          longest silence from a peer, also for the TLS handshake and the
                             A-ASSOCIATE-RQ (default 15000)
  --max-connections N        open connections at most, handshakes included (default: the
                             open-file limit minus 192)
  --max-connections-per-address N
                             open connections from one address at most (default 64)
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
    const file = values.config === undefined ? {} : await loadAeConfig(values.config);
    const flags: AeSettings = {
      host: values.host,
      port: optionalInt("--port", values.port, { min: 0, max: 65535 }),
      ae: values.ae,
      acceptCalling: values["accept-calling"],
      storage: values.storage,
      maxAssociations: optionalInt("--max-associations", values["max-associations"], {
        min: 1,
        max: 10000,
      }),
      associationTimeoutMs: optionalInt("--timeout", values.timeout, { min: 100, max: DAY_MS }),
      idleTimeoutMs: optionalInt("--idle-timeout", values["idle-timeout"], {
        min: 100,
        max: DAY_MS,
      }),
      maxConnections: optionalInt("--max-connections", values["max-connections"], {
        min: 1,
        max: 1_000_000,
      }),
      maxConnectionsPerAddress: optionalInt(
        "--max-connections-per-address",
        values["max-connections-per-address"],
        { min: 1, max: 1_000_000 },
      ),
      maxObjectSize: optionalSize("--max-object-size", values["max-object-size"]),
      maxDatasetInMemory: optionalSize("--max-dataset-in-memory", values["max-dataset-in-memory"]),
      duplicates: duplicatePolicy(values.duplicates),
      security: securityFromFlags(values),
    };
    const config = resolveAeConfig(file, flags);
    const ae = await startReferenceAe({ config });
    console.log(`listening on ${ae.host}:${ae.port}`);
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

const SIZE_UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

// Bytes, or with a binary unit: 512K, 16M, 2G (K, M, G: 1024, 1024², 1024³).
function optionalSize(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(value.trim());
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new InputError({
      message: `${flag} must be a size in bytes, e.g. 1048576, 512K, 16M or 2G, not '${value}'`,
      hint: `e.g. ${flag} 2G`,
    });
  }
  return bytes;
}

function duplicatePolicy(value: string | undefined): DuplicatePolicy | undefined {
  if (value === undefined || value === "keep-both" || value === "replace" || value === "refuse") {
    return value;
  }
  throw new InputError({
    message: `--duplicates must be keep-both, replace or refuse, not '${value}'`,
    hint: "e.g. --duplicates refuse",
  });
}

// A whole-number flag that may be absent (then the config file or default decides).
function optionalInt(
  flag: string,
  value: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  return value === undefined ? undefined : intFlag(flag, value, range);
}
