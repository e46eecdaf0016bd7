import type { ScuOptions } from "../scu/mod.ts";
import { AE_TITLE_RULE, aeTitleProblem } from "../ul/ae_title.ts";
import { HOST_RULE, hostProblem } from "../tls/host.ts";
import {
  resolveSecurityContext,
  SecurityProblem,
  type SecuritySettings,
} from "../security/context.ts";
import { InputError } from "../yaml/input_error.ts";
import { durationFlag, type FlagSpec } from "./command.ts";
import {
  checkPasswordUse,
  flagProblem,
  SECURITY_FLAGS,
  SECURITY_USAGE,
  securityFromFlags,
} from "./_security_flags.ts";
import { hostPort } from "../text/mod.ts";
import { isIP } from "node:net";

/** Flags of the SCU commands (`echo`, `store`): the peer, our AE, and the security context. */
export const SCU_FLAGS = {
  called: { type: "string" },
  calling: { type: "string" },
  "check-hostname": { type: "boolean" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  "no-tls": { type: "boolean" },
  ...SECURITY_FLAGS,
} as const satisfies FlagSpec;

/** Help text for {@linkcode SCU_FLAGS}. */
export const SCU_USAGE = `  --called AE                    the SCP's AE title (required)
  --calling AE                   our AE title (default DICOMTLS)
  --timeout T                    deadline for the whole conversation (default 10s;
                                 500ms, 5s, 2m; a bare number is milliseconds)
  --check-hostname               also check HOST against the SCP certificate's SAN
  --json                         print the Outcome record as JSON
  --no-tls                       plain DICOM, no TLS: does this port refuse it? (the
                                 security flags are then ignored)

${SECURITY_USAGE}
  (as SCU: verify defaults to chain with --ca, thumbprint with --thumbprint;
   a certificate given is presented unless --mutual false)`;

type Values = Record<string, string | string[] | boolean | undefined>;

/**
 * Everything {@linkcode runScu} needs but the operations, from the command
 * line: target, AE titles, our certificate and how we verify the SCP. Bad
 * values and unreadable files are {@linkcode InputError}s (exit 2). The TLS
 * modules load after the flags are checked, so a refused line costs none.
 *
 * @example
 * ```ts
 * import { SCU_FLAGS, scuOptionsFromFlags } from "./_scu_flags.ts";
 * import { parseFlags } from "./command.ts";
 * const { values, positionals } = parseFlags("echo", Deno.args, SCU_FLAGS);
 * const options = await scuOptionsFromFlags("echo", positionals[0], values);
 * ```
 */
export async function scuOptionsFromFlags(
  command: string,
  target: string | undefined,
  values: Values,
): Promise<Omit<ScuOptions, "operations">> {
  const { host, port } = parseTarget(command, target);
  if (values.called === undefined) {
    throw new InputError({
      message: `--called is required (the SCP's AE title)`,
      hint: `e.g. dicomtls ${command} ${host}:${port} --called STORESCP`,
    });
  }
  const timeoutMs = values.timeout === undefined
    ? 10_000
    : durationFlag("--timeout", values.timeout as string, {
      min: 1,
      max: 3_600_000,
      example: "5s",
    });
  const peer = {
    host,
    port,
    calledAe: aeFlag("--called", values.called as string),
    callingAe: aeFlag("--calling", (values.calling as string | undefined) ?? "DICOMTLS"),
    timeoutMs,
  };
  if (values["no-tls"]) {
    await _resolvable(host);
    return { ...peer, policy: { method: "none" }, plain: true };
  }
  checkPasswordUse(values as { password?: string; p12?: string; store?: string });
  const given = await securityFromFlags(values as Parameters<typeof securityFromFlags>[0]);
  const context = scuSecurity(given);
  const [{ SecurityLoader }, { tlsChoice }] = await Promise.all([
    import("../security/mod.ts"),
    import("../tls/mod.ts"),
  ]);
  const settings = await new SecurityLoader().tlsSettings(context, { role: "requestor" });
  await _resolvable(host);
  return {
    ...peer,
    credentials: settings.credentials,
    policy: settings.policy,
    ...tlsChoice(settings.tls),
  };
}

// A name that does not resolve is a typo on our command line, not a peer that failed: said so
// (exit 2) rather than reported as a conversation that ended at TCP. Only a definite "no such
// name" counts; a DNS server that does not answer is left to the connection to report.
async function _resolvable(host: string): Promise<void> {
  if (isIP(host)) return;
  const { lookup } = await import("node:dns/promises");
  try {
    await lookup(host);
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOTFOUND") return;
    throw new InputError({
      message: `host '${host}' does not resolve to an address`,
      hint: "check the host name, or give the device's IP address",
    });
  }
}

// As SCU the flags' problems name the flags: "--verify chain needs trust anchors".
function scuSecurity(given: SecuritySettings) {
  try {
    return resolveSecurityContext([given], { role: "requestor" });
  } catch (e) {
    if (!(e instanceof SecurityProblem)) throw e;
    if (e.key === "ca") {
      throw new InputError({
        message: `--verify chain needs trust anchors`,
        hint: "add --ca root.crt, or --verify thumbprint --thumbprint HEX, or --verify none",
      });
    }
    if (e.key === "thumbprints") {
      throw new InputError({
        message: `--verify thumbprint needs --thumbprint HEX`,
        hint: "give the SCP certificate's SHA-1 or SHA-256 thumbprint, several as 'A;B'",
      });
    }
    throw flagProblem(e);
  }
}

/**
 * `HOST:PORT` (or `[v6]:PORT`) from the command line.
 *
 * @example
 * ```ts
 * import { parseTarget } from "./_scu_flags.ts";
 * parseTarget("echo", "127.0.0.1:11112"); // { host: "127.0.0.1", port: 11112 }
 * ```
 */
export function parseTarget(command: string, target: string | undefined) {
  // [v6]:PORT, or HOST:PORT with no bracket ('[127.0.0.1:11112' was taken as 127.0.0.1).
  const m = target === undefined ? null : /^(?:\[([^\[\]]+)\]|(?!\[)([^\]]+?)):(\d+)$/.exec(target);
  if (!m) {
    throw new InputError({
      message: `expected HOST:PORT, got ${target === undefined ? "nothing" : `'${target}'`}`,
      hint: `e.g. dicomtls ${command} 127.0.0.1:11112${
        command === "probe" ? "" : " --called STORESCP"
      }`,
    });
  }
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  if (port < 1 || port > 65535) {
    throw new InputError({
      message: `port ${m[3]} is out of range: a TCP port is from 1 to 65535`,
      hint: `e.g. dicomtls ${command} ${hostPort({ host, port: 11112 })}${
        command === "probe" ? "" : " --called STORESCP"
      }`,
    });
  }
  const problem = hostProblem(host);
  if (problem) throw new InputError({ message: problem, hint: HOST_RULE });
  return { host, port };
}

/**
 * A host given as a flag (`--host`): an IP address, `[v6]` as in a URL, or a
 * DNS name, by the one host check (src/tls/host.ts); bad ones are an
 * {@linkcode InputError} naming the flag, before anything resolves them.
 *
 * @example
 * ```ts
 * import { hostFlag } from "./_scu_flags.ts";
 * hostFlag("--host", "[::1]"); // "::1"
 * ```
 */
export function hostFlag(flag: string, host: string): string {
  const bare = /^\[([^\]]*)\]$/.exec(host)?.[1] ?? host;
  const problem = hostProblem(bare);
  if (problem) throw new InputError({ message: `${flag}: ${problem}`, hint: HOST_RULE });
  return bare;
}

/**
 * An AE title given as a flag, by the one AE title check (src/ul/ae_title.ts):
 * the wire holds 16 characters, so a longer title would be cut while we show
 * it whole.
 *
 * @example
 * ```ts
 * import { aeFlag } from "./_scu_flags.ts";
 * aeFlag("--called", "STORESCP"); // "STORESCP"
 * ```
 */
export function aeFlag(flag: string, ae: string): string {
  const problem = aeTitleProblem(ae);
  if (problem) throw new InputError({ message: `${flag}: ${problem}`, hint: AE_TITLE_RULE });
  return ae;
}
