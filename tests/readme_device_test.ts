/**
 * The README's "Test your own device in ten minutes" works as written: its
 * commands run in order in a fresh folder (beside the repository's
 * scenarios/, fixtures/ and schemas/), once with storescp playing the device
 * and once with Orthanc configured by the README's own file of Orthanc's
 * documented keys, each on free ports instead of 11112 and 8042; the console
 * shows the failures the README shows (storescp accepts any AE title,
 * Orthanc 1.10 negotiates TLS 1.0 and 1.1), with the reports written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type RunningProcess, startProcess } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer, PEER_ENV } from "../src/testing/peers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

interface Block {
  lang: string;
  body: string;
}

async function walkthrough(): Promise<Block[]> {
  const readme = await Deno.readTextFile(join(root, "README.md"));
  const start = readme.indexOf("## Test your own device in ten minutes");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map(([, lang, body]) => ({
    lang,
    body,
  }));
}

// One shell line per command: continuations joined, words split on spaces (the README quotes nothing).
function commands(body: string): string[][] {
  return body.replace(/\\\n\s*/g, "").split("\n").filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
}

const timeless = (s: string) =>
  s.replace(/\((\d+ ms|[\d.]+ s)\)/g, "(N ms)").replace(/in [\d.]+ s/, "in N s");

/**
 * Runs the README's commands in `dir` with `device` as the device (the other
 * one's start line is skipped) and returns the exit codes and the run's output.
 */
async function follow(options: { dir: string; device: "storescp" | "Orthanc"; blocks: Block[] }) {
  const { dir, device, blocks } = options;
  const port = String(freePort());
  const httpPort = String(freePort());
  const ports = (s: string) => s.replace(/\b11112\b/g, port).replace(/\b8042\b/g, httpPort);
  const config = blocks.find((b) => b.lang === "json")!.body;
  const codes: number[] = [];
  let run = "";
  let peer: RunningProcess | undefined;
  try {
    for (const block of blocks.filter((b) => b.lang === "sh")) {
      for (const words of commands(block.body)) {
        const args = words.map(ports);
        if (args[0] === "TCP_NODELAY=1") {
          assert.equal(args.at(-1), "&");
          if (args[1] !== device) continue;
          // Orthanc's configuration is the README's JSON block, in the file its command names.
          if (device === "Orthanc") await Deno.writeTextFile(join(dir, args[2]), ports(config));
          peer = await startProcess({
            command: args.slice(1, -1),
            env: PEER_ENV,
            cwd: dir,
            ready: { port: Number(port), timeoutMs: 15_000 },
          });
          continue;
        }
        assert.deepEqual(args.slice(0, 3), ["deno", "task", "dicomtls"], args.join(" "));
        const r = await runDicomtls(args.slice(3), { cwd: dir });
        codes.push(r.code);
        if (args[3] === "run") run = r.stdout;
        else assert.equal(r.code, 0, `${args.join(" ")}\n${r.stdout}${r.stderr}`);
      }
    }
  } finally {
    // Orthanc takes seconds to stop on SIGTERM; its storage is throw-away.
    await peer?.stop({ graceMs: 500 });
  }
  assert.ok(peer, `the README starts ${device}`);
  return { codes, run };
}

Deno.test({
  name:
    "the README's ten-minute path runs as written against storescp and Orthanc and finds their failures",
  ignore: !havePeer("storescp", "dcmtk") || !havePeer("Orthanc", "orthanc"),
  async fn() {
    const blocks = await walkthrough();
    const shown = blocks.filter((b) => b.lang === "" && b.body.startsWith("FAIL"));
    assert.equal(shown.length, 2, "the README shows the console of both devices");
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-readme-" });
    try {
      for (const folder of ["scenarios", "fixtures", "schemas"]) {
        await Deno.symlink(join(root, folder), join(dir, folder));
      }
      for (const [i, device] of (["storescp", "Orthanc"] as const).entries()) {
        const { codes, run } = await follow({ dir, device, blocks });
        assert.deepEqual(codes, [0, 0, 0, 1], `${device}: pki, echo, validate pass; run fails`);
        for (const line of shown[i].body.trim().split("\n")) {
          assert.ok(timeless(run).includes(timeless(line)), `${device}: ${line}\nnot in\n${run}`);
        }
        const results = JSON.parse(
          await Deno.readTextFile(join(dir, "mydevice/reports/results.json")),
        );
        assert.deepEqual([results.summary.passed, results.summary.failed], [12, 2], device);
        await Deno.stat(join(dir, "mydevice/reports/report.html"));
        await Deno.stat(join(dir, "mydevice/reports/junit.xml"));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
