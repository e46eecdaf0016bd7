import { fileURLToPath } from "node:url";

/** Run a program that makes the SUT connect (echoscu, storescu, a vendor CLI). */
export interface CommandTrigger {
  /** How the SUT is made to connect. */
  kind: "command";
  /** Program and arguments; `${harness.port}` and the like are filled in when the case runs. */
  command: string[];
  /** Extra environment variables, e.g. `{ TCP_NODELAY: "1" }`. */
  env?: Record<string, string>;
  /** Working directory; default the scenario's folder. */
  cwd?: string;
}

/** Ask the SUT over HTTP to connect, e.g. Orthanc's `POST /modalities/NAME/echo`. */
export interface HttpTrigger {
  /** How the SUT is made to connect. */
  kind: "http";
  /** GET, POST, PUT, ... */
  method: string;
  /** The URL, e.g. "http://127.0.0.1:8042/modalities/harness/echo". */
  url: string;
  /** The request body as sent (a scenario's mapping is sent as JSON). */
  body?: string;
  /** Request headers (never recorded in the evidence: they may carry credentials). */
  headers?: Record<string, string>;
}

/** An operator makes the SUT connect (a modality on a Connectathon bench). */
export interface ManualTrigger {
  /** How the SUT is made to connect. */
  kind: "manual";
  /** What to tell the operator beyond the address and AE title. */
  instructions?: string;
}

/**
 * How an SCU under test is made to connect to our listener: a command, an
 * HTTP request, or an operator.
 *
 * @example
 * ```ts
 * import type { Trigger } from "./trigger.ts";
 * const t: Trigger = {
 *   kind: "command",
 *   command: ["echoscu", "+tls", "c.key", "c.crt", "-aec", "HARNESS", "127.0.0.1", "${harness.port}"],
 * };
 * ```
 */
export type Trigger = CommandTrigger | HttpTrigger | ManualTrigger;

/** Where the harness listens and its AE title: what `${harness.*}` stands for. */
export interface HarnessAddress {
  /** `${harness.host}`. */
  host: string;
  /** `${harness.port}`: the port this case listens on. */
  port: number;
  /** `${harness.ae}`: our AE title, the one the SUT must call. */
  ae: string;
}

/** The names `${harness.NAME}` may use. */
export const HARNESS_FIELDS = ["host", "port", "ae"] as const;

/**
 * The `dicomtls` program of this checkout, as the arguments that start it:
 * what a trigger's `${dicomtls}` element becomes.
 *
 * @example
 * ```ts
 * import { DICOMTLS_PROGRAM } from "./trigger.ts";
 * DICOMTLS_PROGRAM[1]; // "run"
 * ```
 */
export const DICOMTLS_PROGRAM: readonly string[] = [
  Deno.execPath(),
  "run",
  "-A",
  programPath(new URL("../cli/main.ts", import.meta.url)),
];

// A checkout's file as a path; a program loaded from elsewhere (a URL) as its URL.
function programPath(url: URL): string {
  return url.protocol === "file:" ? fileURLToPath(url) : url.href;
}

const PLACEHOLDER = /\$\$\{|\$\{harness\.(host|port|ae)\}/g;

/**
 * A trigger with `${harness.host}`, `${harness.port}` and `${harness.ae}`
 * filled in, `$${` made a literal `${`, and a command element that is
 * exactly `${dicomtls}` replaced by {@linkcode DICOMTLS_PROGRAM}. The
 * scenario loader checked every other `${...}` already.
 *
 * @example
 * ```ts
 * import { expandTrigger } from "./trigger.ts";
 * expandTrigger(
 *   { kind: "command", command: ["echoscu", "127.0.0.1", "${harness.port}"] },
 *   { host: "127.0.0.1", port: 40123, ae: "HARNESS" },
 * ); // { kind: "command", command: ["echoscu", "127.0.0.1", "40123"] }
 * ```
 */
export function expandTrigger(trigger: Trigger, harness: HarnessAddress): Trigger {
  const fill = (text: string) =>
    text.replace(
      PLACEHOLDER,
      (_, field?: string) => (field ? String(harness[field as "host"]) : "${"),
    );
  const each = (o?: Record<string, string>) =>
    o && Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fill(v)]));
  switch (trigger.kind) {
    case "command":
      return {
        ...trigger,
        command: trigger.command.flatMap((
          a,
        ) => (a === "${dicomtls}" ? DICOMTLS_PROGRAM : [fill(a)])),
        ...(trigger.env ? { env: each(trigger.env) } : {}),
      };
    case "http":
      return {
        ...trigger,
        url: fill(trigger.url),
        ...(trigger.body !== undefined ? { body: fill(trigger.body) } : {}),
        ...(trigger.headers ? { headers: each(trigger.headers) } : {}),
      };
    default:
      return trigger.instructions === undefined
        ? trigger
        : { ...trigger, instructions: fill(trigger.instructions) };
  }
}

/**
 * One line naming a trigger for reports and errors: the command line (the
 * `dicomtls` program shortened to `dicomtls`), the HTTP method and URL
 * (never its headers), or "manual".
 *
 * @example
 * ```ts
 * import { describeTrigger } from "./trigger.ts";
 * describeTrigger({ kind: "http", method: "POST", url: "http://127.0.0.1:8042/modalities/h/echo" });
 * // "POST http://127.0.0.1:8042/modalities/h/echo"
 * ```
 */
export function describeTrigger(trigger: Trigger): string {
  switch (trigger.kind) {
    case "command": {
      const program = DICOMTLS_PROGRAM.join(" ");
      const line = trigger.command.map(quote).join(" ");
      return line.startsWith(program) ? `dicomtls${line.slice(program.length)}` : line;
    }
    case "http":
      return `${trigger.method.toUpperCase()} ${trigger.url}`;
    default:
      return "manual";
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./${}-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * What an operator is told for a manual trigger: where to send a
 * Verification, and the scenario's own instructions.
 *
 * @example
 * ```ts
 * import { manualInstructions } from "./trigger.ts";
 * manualInstructions({ kind: "manual" }, { host: "192.0.2.7", port: 2762, ae: "HARNESS" }, 60_000);
 * // "on the device under test, send a DICOM Verification (C-ECHO) over TLS to AE HARNESS at 192.0.2.7:2762 within 60 s"
 * ```
 */
export function manualInstructions(
  trigger: ManualTrigger,
  harness: HarnessAddress,
  timeoutMs: number,
): string {
  const base =
    `on the device under test, send a DICOM Verification (C-ECHO) over TLS to AE ${harness.ae} at ${harness.host}:${harness.port} within ${
      Math.round(timeoutMs / 1000)
    } s`;
  return trigger.instructions ? `${base}; ${trigger.instructions}` : base;
}
