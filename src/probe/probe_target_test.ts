/**
 * probeTarget against servers that answer too little to be judged: one
 * that closes (or resets) every connection. Loopback ports 13050-13059.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { evaluateProfile, profileByName } from "../profiles/mod.ts";
import { renderProbeText } from "../report/profile_text.ts";
import { probeTarget } from "./probe_target.ts";

/** A loopback server on `port` that does `answer` with every connection. */
async function rawServer(port: number, answer: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    answer(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

for (
  const [port, how, answer] of [
    [13050, "closes every connection at once", (s: net.Socket) => s.end()],
    [
      13051,
      "resets every connection after the hello",
      (s: net.Socket) => s.once("data", () => s.resetAndDestroy()),
    ],
  ] as const
) {
  Deno.test(`probeTarget: a server that ${how} is not probed, no violation`, async () => {
    const server = await rawServer(port, answer);
    try {
      const report = await probeTarget({ host: "127.0.0.1", port, timeoutMs: 2000 });
      assert.equal(report.reached, false);
      assert.match(report.error ?? "", /^no TLS answer to any hello \(/);
      assert.deepEqual(report.versions, [], "no version was refused: none was answered");
      const verdict = evaluateProfile(report, profileByName("bcp195-nd")!);
      assert.equal(verdict.verdict, "undetermined");
      assert.deepEqual(verdict.violations, []);
      const text = renderProbeText(report, [verdict]);
      assert.match(text, /not probed: no TLS answer to any hello/);
      assert.doesNotMatch(text, /refused|violation/);
    } finally {
      await server.close();
    }
  });
}
