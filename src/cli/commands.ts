import type { Command } from "./command.ts";

/** One sub-command as `dicomtls --help` lists it; its module loads only when it runs. */
export interface CommandEntry {
  /** The sub-command, e.g. "run". */
  name: string;
  /** One line for `dicomtls --help`. */
  summary: string;
  /** Imports the command's module and returns the command. */
  load(): Promise<Command>;
}

/**
 * Every sub-command, in the order `dicomtls --help` lists them. Each loads
 * its own imports when it runs, so `--help` and a one-shot `echo` do not pay
 * for the others.
 *
 * @example
 * ```ts
 * import { COMMANDS } from "./commands.ts";
 * COMMANDS.map((c) => c.name); // ["pki", "run", ...]
 * ```
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "pki",
    summary: "generate a test PKI (certificates, keys, PKCS#12, CRLs) from a YAML spec",
    load: async () => (await import("./pki.ts")).pkiCommand,
  },
  {
    name: "init",
    summary: "scaffold the tests of a new device: a PKI spec, the ready suite, a variables file",
    load: async () => (await import("./init.ts")).initCommand,
  },
  {
    name: "run",
    summary: "run scenario suites against real endpoints; write JUnit, HTML and JSON reports",
    load: async () => (await import("./run.ts")).runCommand,
  },
  {
    name: "validate",
    summary: "check scenario suites (schema, PKI names, files, variables) without running them",
    load: async () => (await import("./validate.ts")).validateCommand,
  },
  {
    name: "merge",
    summary: "join the results.json of several shards into one report set",
    load: async () => (await import("./merge.ts")).mergeCommand,
  },
  {
    name: "echo",
    summary: "one secure C-ECHO, reported stage by stage (like echoscu +tls, but precise)",
    load: async () => (await import("./echo.ts")).echoCommand,
  },
  {
    name: "probe",
    summary:
      "what a TLS server accepts, version by version and suite by suite; PS3.15 profile verdicts",
    load: async () => (await import("./probe.ts")).probeCommand,
  },
  {
    name: "store",
    summary: "C-STORE Part 10 files over one secure association (like storescu +tls)",
    load: async () => (await import("./store.ts")).storeCommand,
  },
  {
    name: "listen",
    summary:
      "one inbound conversation: wait for an SCU under test and show what it offered and did",
    load: async () => (await import("./listen.ts")).listenCommand,
  },
  {
    name: "serve",
    summary: "run the reference AE: a DICOM TLS SCP with the security model of DICOM SDKs",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
  {
    name: "demo",
    summary: "run the demo scenarios against the built-in reference AE; write reports/demo/",
    load: async () => (await import("./demo.ts")).demoCommand,
  },
];
