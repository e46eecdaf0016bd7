import type { Profile } from "../profiles/mod.ts";
// The table alone (for --help and --profile), not the rules: a refused line loads no TLS module.
import { PROFILE_NAMES, profileByName, PROFILES } from "../profiles/registry.ts";
import { toJson } from "../text/mod.ts";
import type { TlsCredentials } from "../tls/mod.ts";
import { closest } from "../yaml/closest.ts";
import { InputError } from "../yaml/input_error.ts";
import { type Command, durationFlag, EXIT, intFlag, parseFlags } from "./command.ts";
import { aeFlag, parseTarget } from "./_scu_flags.ts";
import { checkPasswordUse } from "./_security_flags.ts";

const FLAGS = {
  profile: { type: "string", multiple: true },
  cert: { type: "string" },
  key: { type: "string" },
  p12: { type: "string" },
  password: { type: "string" },
  called: { type: "string" },
  calling: { type: "string" },
  "no-evidence": { type: "boolean" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
} as const;

/**
 * `dicomtls probe HOST:PORT [--profile NAME ...]`: what a DICOM TLS server
 * accepts, version by version and suite by suite (ClientHellos of our own,
 * so servers that require a client certificate are probed as well), one
 * real C-ECHO over each accepted version through the OpenSSL stack as
 * evidence, and per profile a verdict with each violation named. Exit 0
 * when every profile named is met (or none was named and the target
 * answered TLS, the same throughout), 1 when not, 2 for bad usage.
 *
 * @example
 * ```ts
 * import { probeCommand } from "./probe.ts";
 * await probeCommand.run(["127.0.0.1:11112", "--profile", "bcp195-nd", "--cert", "c.crt", "--key", "c.key"]);
 * ```
 */
export const probeCommand: Command = {
  usage: `usage: dicomtls probe HOST:PORT [--profile NAME ...] [options]

Sends ClientHellos of its own to HOST:PORT and reads only the answers
(ServerHello or alert): which versions (SSL 3.0 to TLS 1.3) the server
accepts, which cipher suites in each (one per hello, every IANA suite valid
in the version), whose order decides, the groups and signature schemes it
accepts, whether it prefers TLS 1.3, and its certificate chain. Then, as
evidence, one real A-ASSOCIATE and C-ECHO over each accepted version through
the OpenSSL stack, presenting --cert/--key or --p12 when given (a server
that requires a client certificate refuses without one). Prints the table
and, per --profile, a verdict naming each violation. Exit 0: every profile
met (without --profile: the target answered TLS, the same throughout); 1:
not; 2: bad usage.

  --profile NAME ...             check a profile (repeat, or 'all'):
${
    PROFILES.map((p) => `                                   ${p.name.padEnd(24)} ${p.section}`)
      .join("\n")
  }
  --cert F --key F               our client certificate (PEM; F may hold the chain) and key
  --p12 F [--password P]         or a PKCS#12 file
  --called AE                    the server's AE title for the evidence (default ANY-SCP)
  --calling AE                   our AE title (default DICOMTLS)
  --no-evidence                  no associations, only the hellos
  --concurrency N                hellos in flight at most (default 8)
  --timeout T                    deadline of one hello (default 5s; 500ms, 2m; a bare
                                 number is milliseconds)
  --json                         print { probe, verdicts } as JSON`,
  async run(args) {
    const { values, positionals } = parseFlags("probe", args, FLAGS);
    if (positionals.length !== 1) {
      throw new InputError({
        message: `expected one HOST:PORT, got ${positionals.length} arguments`,
        hint: "dicomtls probe 127.0.0.1:11112 --profile bcp195-nd",
      });
    }
    const { host, port } = parseTarget("probe", positionals[0]);
    const profiles = _profiles(values.profile ?? []);
    checkPasswordUse(values);
    const credentials = await _credentials(values);
    const calledAe = aeFlag("--called", values.called ?? "ANY-SCP");
    const callingAe = aeFlag("--calling", values.calling ?? "DICOMTLS");
    const concurrency = values.concurrency === undefined
      ? 8
      : intFlag("--concurrency", values.concurrency, { min: 1, max: 256 });
    const timeoutMs = values.timeout === undefined
      ? 5000
      : durationFlag("--timeout", values.timeout, { min: 10, max: 600_000, example: "5s" });
    const [{ gatherEvidence, probeTarget }, { evaluateProfile }, { renderProbeText }, openssl] =
      await Promise.all([
        import("../probe/mod.ts"),
        import("../profiles/mod.ts"),
        import("../report/profile_text.ts"),
        import("../tls/openssl/mod.ts"),
      ]);
    const report = await probeTarget({ host, port, concurrency, timeoutMs });
    try {
      if (report.reached && !values["no-evidence"]) {
        report.evidence = await gatherEvidence(report, {
          host,
          port,
          calledAe,
          callingAe,
          ...(credentials ? { credentials } : {}),
        });
      }
    } finally {
      await openssl.closeSharedOpenSsl();
    }
    const verdicts = profiles.map((p) => evaluateProfile(report, p));
    console.log(
      values.json
        ? toJson({ probe: report, verdicts }, { indent: 2 })
        : renderProbeText(report, verdicts),
    );
    // Answers that changed under the probe are no account of the target, profile or not.
    if (!report.reached || report.changed) return EXIT.failed;
    return verdicts.every((v) => v.verdict === "compliant") ? EXIT.ok : EXIT.failed;
  },
};

function _profiles(names: string[]): Profile[] {
  // Every name is checked, 'all' too: '--profile all --profile typo' hid the typo.
  const all = names.some((n) => n.toLowerCase() === "all");
  const named = names.filter((n) => n.toLowerCase() !== "all").map((name) => {
    const profile = profileByName(name);
    if (profile) return profile;
    const near = closest(name, PROFILE_NAMES);
    throw new InputError({
      message: `--profile: no profile '${name}'${near ? ` (did you mean '${near}'?)` : ""}`,
      hint: `one of ${PROFILE_NAMES.join(", ")}, a section such as B.10, or 'all'`,
    });
  });
  return all ? [...PROFILES] : named;
}

async function _credentials(
  values: { cert?: string; key?: string; p12?: string; password?: string },
): Promise<TlsCredentials | undefined> {
  if (values.p12 === undefined) {
    if (values.cert === undefined && values.key === undefined) return undefined;
    if (values.cert === undefined || values.key === undefined) {
      throw new InputError({
        message: "--cert and --key go together",
        hint: "dicomtls probe HOST:PORT --cert client.crt --key client.key",
      });
    }
  }
  // Only to read a certificate: a probe without one, or a refused line, does not load it.
  const { loadCredentials } = await import("../tls/mod.ts");
  return await loadCredentials(
    values.p12 !== undefined
      ? { p12: values.p12, password: values.password }
      : { cert: values.cert!, key: values.key! },
  );
}
