/**
 * Scenario suites that tests write on the fly: storescp started by the suite
 * (on a given port, with the standard test PKI) and the cases to run.
 */
import { freePort } from "../process/mod.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Options of {@linkcode storescpSuite}. */
export interface StorescpSuiteOptions {
  /** The suite's name. */
  name: string;
  /** storescp's port, also the SUT's. */
  port: number;
  /** `start.command` as a YAML flow sequence, e.g. `[storescp, +tls, ..., "11112"]`. */
  command: string;
  /** `start.ready`, as YAML; default none (the SUT's port). */
  ready?: string;
  /** Each case: its name and, for a C-STORE of the test data set, `store: true`. */
  cases: { name: string; store?: boolean }[];
}

/**
 * A suite whose SUT is storescp started by the suite, one association at a
 * time, harness HARNESS with the standard PKI's client certificate, 60 s per case.
 *
 * @example
 * ```ts
 * import { storescpSuite } from "./suites.ts";
 * storescpSuite({ name: "s", port: 11112, command: "[storescp, '11112']", cases: [{ name: "echo" }] });
 * ```
 */
export function storescpSuite(options: StorescpSuiteOptions): string {
  const cases = options.cases.map((c) =>
    c.store
      ? `  - name: ${c.name}
    operation: store
    files: [${ROOT}fixtures/ae/secondary_capture.dcm]
    expect: { store: success }`
      : `  - name: ${c.name}
    expect: { echo: success }`
  );
  return `suite: ${options.name}
pki: ${ROOT}fixtures/pki/standard.yaml
peers:
  sut:
    ae: STORESCP
    host: 127.0.0.1
    port: ${options.port}
    concurrency: 1
    start:
      command: ${options.command}
      env: { TCP_NODELAY: "1" }${options.ready ? `\n      ready: ${options.ready}` : ""}
  harness: { ae: HARNESS, certificate: client, trust: [root] }
defaults: { timeout: 60s }
cases:
${cases.join("\n")}
`;
}

/**
 * An inbound suite (the SUT an SCU) whose SUT is echoscu, made to connect
 * by a command trigger with the inbound test PKI's client certificate, to
 * our listener as HARNESS with the PKI's `server` certificate; `body` adds
 * `defaults:` and `cases:`.
 *
 * @example
 * ```ts
 * import { echoscuInboundSuite } from "./suites.ts";
 * echoscuInboundSuite({
 *   name: "s",
 *   body: "cases:\n  - name: c\n    expect: { association: accepted }\n",
 * });
 * ```
 */
export function echoscuInboundSuite(options: { name: string; body: string }): string {
  return `suite: ${options.name}
pki: ${ROOT}fixtures/pki/inbound.yaml
peers:
  sut:
    role: scu
    ae: ECHOSCU
    trigger:
      command:
        - sh
        - -c
        - exec echoscu +tls "$0" "$1" +cf "$2" -aet ECHOSCU -aec HARNESS "$3" "$4"
        - \${pki.client.key}
        - \${pki.client.crt}
        - \${pki.root.crt}
        - \${harness.host}
        - \${harness.port}
      env: { TCP_NODELAY: "1" }
  harness: { ae: HARNESS, certificate: server, trust: [root] }
${options.body}`;
}

/**
 * A suite of C-ECHO cases named `cases` against the reference AE started
 * in-process on a free loopback port (the demo PKI, no client
 * verification): runs of it go one after another, as shards do.
 *
 * @example
 * ```ts
 * import { referenceEchoSuite } from "./suites.ts";
 * referenceEchoSuite({ cases: ["one", "two"] });
 * ```
 */
export function referenceEchoSuite(options: { cases: string[] }): string {
  return `suite: tiny
pki: ${ROOT}fixtures/pki/demo.yaml
peers:
  sut:
    role: scp
    ae: REFERENCE
    host: 127.0.0.1
    port: ${freePort()}
    start:
      reference: { ae: REFERENCE, security: { cert: "\${pki.server.chain}", key: "\${pki.server.key}", verify: none } }
  harness: { certificate: client, trust: [root] }
cases:
${options.cases.map((name) => `  - { name: ${name}, expect: { echo: success } }`).join("\n")}
`;
}
