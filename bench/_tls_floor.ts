/**
 * The start-up floor of a Deno program that speaks DICOM over TLS, for
 * `startup_bench.ts`: load `node:net` and `node:tls`, make one mutual TLS
 * handshake (the first TLS connection of a process also initialises Deno's
 * crypto library), close. No DICOM, no verification, none of our modules.
 * Usage: `_tls_floor.ts PORT CERT KEY`; prints "secure" and exits 0 once
 * the handshake completed.
 */
import net from "node:net";
import tls from "node:tls";

const [port, cert, key] = Deno.args;
const tcp = net.connect({ host: "127.0.0.1", port: Number(port), noDelay: true });
tcp.once("connect", () => {
  const socket = tls.connect({
    socket: tcp,
    cert: Deno.readTextFileSync(cert),
    key: Deno.readTextFileSync(key),
    rejectUnauthorized: false,
  });
  socket.once("secureConnect", () => {
    console.log("secure");
    socket.destroy();
    Deno.exit(0);
  });
  socket.once("error", (e) => {
    console.error(e.message);
    Deno.exit(1);
  });
});
