import { listenTls, type TlsServer } from "../tls/mod.ts";
import { InputError } from "../yaml/mod.ts";
import { relieveMemory } from "../memory/mod.ts";
import { toJson } from "../text/mod.ts";
import { SecurityLoader } from "../security/mod.ts";
import type { AssociationLog } from "./association_log.ts";
import type { AeConfig } from "./config.ts";
import { serveConnection } from "./connection.ts";
import { refusedHandshakeLog } from "./refused_handshake.ts";

/** Options of {@linkcode startReferenceAe}. */
export interface ReferenceAeOptions {
  /** The resolved configuration, e.g. from `resolveAeConfig`. */
  config: AeConfig;
  /** Called with one entry per connection once it ended; default: print it as one JSON line. */
  onLog?: (entry: AssociationLog) => void;
}

/** A running reference AE. */
export interface ReferenceAe {
  /** The address it listens on. */
  host: string;
  /** The port it listens on (the one the OS picked for port 0). */
  port: number;
  /** Associations established right now. */
  readonly activeAssociations: number;
  /**
   * Stops listening, lets open associations finish for up to `graceMs`
   * (default 2 000), aborts the rest (A-ABORT, or a close before any
   * association), and resolves once every connection is
   * closed and logged.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Starts the reference AE: a DICOM TLS SCP with the acceptor's security
 * context, the AE policy, C-ECHO and C-STORE (to Part 10 files). With
 * mutual authentication and `chain`, the TLS stack itself refuses an
 * untrusted client during the handshake; with `none` and `thumbprint`, any
 * certificate passes the handshake and our verifier decides, closing before
 * any association. Our verifier's verdict is logged in every mode. Bad
 * configuration (files, store selection, a taken port) is an
 * {@linkcode InputError}.
 *
 * @example
 * ```ts
 * import { startReferenceAe } from "./server.ts";
 * import { loadAeConfig, resolveAeConfig } from "./config.ts";
 * const ae = await startReferenceAe({ config: resolveAeConfig(await loadAeConfig("ae.yaml"), { port: 0 }) });
 * console.log(`listening on ${ae.host}:${ae.port}`);
 * await ae.close();
 * ```
 */
export async function startReferenceAe(options: ReferenceAeOptions): Promise<ReferenceAe> {
  const { config } = options;
  const onLog = options.onLog ?? ((e) => console.log(toJson(e)));
  const settings = await new SecurityLoader().tlsSettings(config.security, { role: "acceptor" });
  await createStorage(config.storage);
  // Each open connection's way to end it now: A-ABORT when associated, else close.
  const open = new Set<(why: string) => void>();
  const handlers = new Set<Promise<void>>();
  const associations = { active: 0 };
  let server: TlsServer;
  try {
    server = await listenTls({
      credentials: settings.credentials!,
      requestCert: settings.requestCert,
      anchors: settings.handshakeAnchors,
      tls: settings.tls,
      handshakeTimeoutMs: config.idleTimeoutMs,
      host: config.host,
      port: config.port,
      onRefused: (refused) => {
        const logged = refusedHandshakeLog(refused, settings.policy).then(onLog);
        handlers.add(logged);
        logged.finally(() => handlers.delete(logged));
      },
      onConnection: (accepted) => {
        let stop: ((why: string) => void) | undefined;
        const handled = serveConnection(accepted, {
          config,
          policy: settings.policy,
          associations,
          onStop: (s) => open.add(stop = s),
        }).then(onLog).finally(() => {
          open.delete(stop!);
          accepted.socket.destroy();
          relieveMemory(); // each connection's native TLS memory is invisible to V8
        });
        handlers.add(handled);
        handled.finally(() => handlers.delete(handled));
      },
    });
  } catch (e) {
    throw new InputError({
      message: `cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`,
      hint: "pick another --port or --host",
    });
  }
  // What loading the modules and the configuration left behind, collected
  // before serving rather than during the first associations (and the
  // collector set up now): the growth check then starts from a clean heap.
  relieveMemory({ force: true });
  return {
    host: config.host,
    port: server.port,
    get activeAssociations() {
      return associations.active;
    },
    async close({ graceMs = 2000 } = {}) {
      const closed = server.stopListening();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
      await Promise.race([Promise.all([...handlers]), grace]);
      clearTimeout(timer);
      for (const stop of open) stop(`aborted by us: the AE stopped after ${graceMs} ms`);
      await Promise.all([...handlers]);
      await closed;
    },
  };
}

async function createStorage(storage: string | undefined): Promise<void> {
  if (storage === undefined) return;
  try {
    await Deno.mkdir(storage, { recursive: true });
  } catch (e) {
    throw new InputError({
      message: `cannot create storage folder ${storage}: ${(e as Error).message}`,
      hint: "check --storage",
    });
  }
}
