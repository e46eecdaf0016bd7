import { resolveSecurityContext, SecurityProblem } from "../security/context.ts";
import { hostPort, terminalSafe, toJson } from "../text/mod.ts";
import { InputError } from "../yaml/input_error.ts";
import { type Command, durationFlag, EXIT, intFlag, parseFlags } from "./command.ts";
import {
  checkPasswordUse,
  flagProblem,
  SECURITY_FLAGS,
  SECURITY_USAGE,
  securityFromFlags,
} from "./_security_flags.ts";
import { aeFlag, hostFlag } from "./_scu_flags.ts";

const FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  ae: { type: "string" },
  "accept-calling": { type: "string", multiple: true },
  timeout: { type: "string" },
  json: { type: "boolean" },
  ...SECURITY_FLAGS,
} as const;

/**
 * `dicomtls listen`: one inbound conversation from the command line, as
 * `echo` is one outbound: listens with our server certificate, waits for
 * the first SCU that connects (or runs the command after `--` to make it
 * connect), and prints what it offered and did. Exit 0 when it associated,
 * its requests succeeded and it released; 1 when it refused or was
 * refused; 2 for bad usage, unreadable files, a listener that cannot
 * complete a handshake with anyone, or no verdict: no SCU connected before
 * our wait ended, or its handshake was still under way at our timeout.
 *
 * @example
 * ```ts
 * import { listenCommand } from "./listen.ts";
 * await listenCommand.run(["--cert", "server.crt", "--key", "server.key", "--port", "0"]);
 * ```
 */
export const listenCommand: Command = {
  usage: `usage: dicomtls listen --cert F --key F [options] [-- COMMAND ...]

Listens for one SCU (the device under test connects to us) with our server
certificate, records the first one that connects and prints what it offered
and did: its ClientHello, the handshake or its refusal of our certificate
(its alert), its client certificate and our verdict, its A-ASSOCIATE-RQ, its
DIMSE requests and our answers (C-ECHO, C-STORE), its release. Prints
'listening on HOST:PORT' on stderr when ready. With -- COMMAND, runs it to
make the SCU connect; \${harness.host}, \${harness.port} and \${harness.ae}
in it are filled in. Exit 0: associated and released; 1: refused; 2: bad
usage or input, or no verdict (no SCU connected within --timeout, or its
handshake was still under way at it).

  --host H                 address to listen on (default 127.0.0.1)
  --port N                 port to listen on (default 2762; 0 picks a free one)
  --ae TITLE               our AE title: the one it must call (default DICOMTLS)
  --accept-calling AE ...  its calling AE titles we accept (default: any)
  --timeout T              longest wait for it and its conversation (default 60s; 500ms, 5s, 2m)
  --json                   print the Outcome record as JSON

${SECURITY_USAGE}
  (as listener: --cert/--key, --p12 or --store is the server certificate we
   present; verify defaults to chain with --ca, else none: any client
   certificate, or none, is accepted)`,
  async run(args) {
    // What follows `--` is the trigger's own command line, DCMTK's + options and all.
    const end = args.indexOf("--");
    const command = end < 0 ? [] : args.slice(end + 1);
    const { values, positionals } = parseFlags(
      "listen",
      end < 0 ? args : args.slice(0, end),
      FLAGS,
    );
    if (positionals.length) {
      throw new InputError({
        message: `dicomtls listen takes no positional arguments, got '${
          terminalSafe(positionals[0])
        }'`,
        hint: "give the command that makes the SCU connect after --",
      });
    }
    checkPasswordUse(values);
    const given = await securityFromFlags(values);
    given.verify ??= given.ca?.length ? "chain" : "none";
    let security;
    try {
      security = resolveSecurityContext([given], { role: "acceptor" });
    } catch (e) {
      throw e instanceof SecurityProblem ? flagProblem(e) : e;
    }
    const options = {
      host: hostFlag("--host", values.host ?? "127.0.0.1"),
      port: values.port === undefined
        ? 2762
        : intFlag("--port", values.port, { min: 0, max: 65535 }),
      ae: aeFlag("--ae", values.ae ?? "DICOMTLS"),
      acceptCalling: (values["accept-calling"] ?? []).map((ae) => aeFlag("--accept-calling", ae)),
      security,
      ...(command.length ? { trigger: { kind: "command" as const, command } } : {}),
      timeoutMs: values.timeout === undefined ? 60_000 : durationFlag("--timeout", values.timeout, {
        min: 100,
        max: 86_400_000,
        example: "60s",
      }),
    };
    // Loaded once the command line is good: a refused one costs no inbound or TLS module.
    const [{ runInbound }, { renderInboundOutcome }] = await Promise.all([
      import("../inbound/mod.ts"),
      import("../report/inbound_text.ts"),
    ]);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    Deno.addSignalListener("SIGINT", onSignal);
    try {
      const r = await runInbound({
        ...options,
        signal: stop.signal,
        onListening: (a) =>
          console.error(`listening on ${hostPort(a)} as AE ${terminalSafe(a.ae)}`),
      });
      if (r.problem?.kind === "sanity" || r.problem?.kind === "listen") {
        console.error(`dicomtls listen: ${terminalSafe(r.problem.message)}`);
        return EXIT.usage;
      }
      const problem = r.problem?.message;
      console.log(
        values.json
          ? toJson(problem ? { ...r.outcome, error: problem } : r.outcome, { indent: 2 })
          : renderInboundOutcome(r.outcome, { problem }),
      );
      // Our timeout (no SCU came, a handshake still under way) is no verdict on the SCU.
      if (problem) {
        console.error(`dicomtls listen: ${terminalSafe(problem)}: no verdict on the SCU`);
        return EXIT.usage;
      }
      return r.outcome.ok ? EXIT.ok : EXIT.failed;
    } finally {
      Deno.removeSignalListener("SIGINT", onSignal);
    }
  },
};
