import { listenTls, type PendingTls, type TlsServer } from "../tls/mod.ts";
import { fileSystemReason, InputError } from "../yaml/mod.ts";
import { relieveMemory } from "../memory/mod.ts";
import { hostPort, terminalSafe, toJson } from "../text/mod.ts";
import { SecurityLoader } from "../security/mod.ts";
import type { AssociationLog } from "./association_log.ts";
import type { AeConfig } from "./config.ts";
import { serveConnection } from "./connection.ts";
import { refusedHandshakeLog } from "./refused_handshake.ts";
import { LimitLog } from "./limit_log.ts";
import { removeLeftovers } from "./store_file.ts";

/** Options of {@linkcode startReferenceAe}. */
export interface ReferenceAeOptions {
  /** The resolved configuration, e.g. from `resolveAeConfig`. */
  config: AeConfig;
  /** Called with one entry per connection once it ended; default: print it as one JSON line. */
  onLog?: (entry: AssociationLog) => void;
  /**
   * What happened to the AE itself, in words: leftover temporary files
   * removed at start, the listener out of file descriptors and listening
   * again. Default: print it on stderr.
   */
  onNotice?: (message: string) => void;
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
   * association), closes every connection still open (a TLS handshake in
   * progress, a peer that does not close after our A-ABORT) at most 1 s
   * later, and resolves once every connection is closed and logged.
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
  const onNotice = options.onNotice ?? ((m) => console.error(`reference AE: ${terminalSafe(m)}`));
  const settings = await new SecurityLoader().tlsSettings(config.security, { role: "acceptor" });
  await prepareStorage(config.storage, onNotice);
  // Each open connection's way to end it now: A-ABORT when associated, else close.
  const open = new Set<(why: string) => void>();
  // Connections still in their TLS handshake, by peer: stopped (and logged) when the AE stops.
  const handshaking = new Map<string, PendingTls>();
  const handlers = new Set<Promise<void>>();
  const track = (p: Promise<void>) => (handlers.add(p), p.finally(() => handlers.delete(p)));
  const associations = { active: 0 };
  const limitLog = new LimitLog(onLog);
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
      maxConnections: config.maxConnections,
      maxConnectionsPerAddress: config.maxConnectionsPerAddress,
      onLimit: (hit) => limitLog.hit(hit),
      onNotice,
      onAccepted: (pending) => handshaking.set(pending.peer, pending),
      onRefused: (refused) => {
        handshaking.delete(refused.peer);
        track(refusedHandshakeLog(refused, settings.policy).then(onLog));
      },
      onConnection: (accepted) => {
        handshaking.delete(accepted.peer);
        let stop: ((why: string) => void) | undefined;
        track(
          serveConnection(accepted, {
            config,
            policy: settings.policy,
            associations,
            onStop: (s) => open.add(stop = s),
          }).then(onLog).finally(() => {
            open.delete(stop!);
            accepted.socket.destroy();
            relieveMemory(); // each connection's native TLS memory is invisible to V8
          }),
        );
      },
    });
  } catch (e) {
    // What the TLS settings ask that the stack cannot do is said as such, with its own hint.
    if (e instanceof InputError) throw e;
    throw new InputError({
      message: `cannot listen on ${hostPort(config)}: ${(e as Error).message}`,
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
      await settled([...handlers], graceMs);
      for (const stop of open) stop(`aborted by us: the AE stopped after ${graceMs} ms`);
      // A connection still in its handshake (a silent client) ends as our timeout, logged.
      for (const pending of handshaking.values()) pending.stop("the AE stopped");
      // Our A-ABORTs go out; whatever is still open then (handshakes, deaf peers) is closed.
      await settled([...handlers], ABORT_GRACE_MS);
      await server.close();
      await closed;
      // A refusal is logged once its socket closed: its handler may come after the first look.
      while (handlers.size > 0) await Promise.all([...handlers]);
      limitLog.flush();
    },
  };
}

/** How long the AE waits for its A-ABORTs to go out when it stops, before closing what is left. */
const ABORT_GRACE_MS = 1000;

// Resolves once the promises settled or `ms` passed.
async function settled(promises: Promise<void>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  await Promise.race([Promise.all(promises), expired]);
  clearTimeout(timer);
}

// The storage folder exists, without the temporary files of a store that never finished.
async function prepareStorage(
  storage: string | undefined,
  onNotice: (message: string) => void,
): Promise<void> {
  if (storage === undefined) return;
  // An empty path is no folder: readdir('') failed as our internal error.
  if (storage.trim() === "") {
    throw new InputError({
      message: "the storage folder path is empty",
      hint: "give --storage DIR (or storage: in the config) a folder, or leave it out",
    });
  }
  try {
    await Deno.mkdir(storage, { recursive: true });
  } catch (e) {
    throw new InputError({
      message: `cannot create storage folder ${storage}: ${
        fileSystemReason(e) ?? (e as Error).message
      }`,
      hint: "check --storage",
    });
  }
  const removed = await removeLeftovers(storage);
  if (removed.length) {
    onNotice(
      `removed ${removed.length} temporary file(s) left in ${storage} by a store that never finished: ${
        removed.slice(0, 5).join(", ")
      }${removed.length > 5 ? ", ..." : ""}`,
    );
  }
}
