/**
 * The README's "Test your own device in ten minutes" works as written: its
 * commands run in order in a fresh folder (beside the repository's fixtures/
 * and schemas/), storescp playing the device on a free port instead of 11112,
 * and the console shows what the README says it shows.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type RunningProcess, startProcess } from "../src/process/mod.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";

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

Deno.test({
  name: "the README's ten-minute path runs as written against storescp and finds its one failure",
  ignore: !havePeer("storescp", "dcmtk"),
  async fn() {
    const blocks = await walkthrough();
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-readme-" });
    const port = String(freePort());
    const codes: number[] = [];
    let run = "";
    let storescp: RunningProcess | undefined;
    try {
      await Deno.symlink(join(root, "fixtures"), join(dir, "fixtures"));
      await Deno.symlink(join(root, "schemas"), join(dir, "schemas"));
      for (const block of blocks) {
        if (block.lang === "yaml") {
          await Deno.writeTextFile(join(dir, "mydevice/device.yaml"), block.body);
          continue;
        }
        if (block.lang !== "sh") continue;
        for (const words of commands(block.body)) {
          const args = words.map((w) => w.replace(/\b11112\b/, port));
          if (args[0] === "TCP_NODELAY=1" && args[1] === "storescp") {
            assert.equal(args.at(-1), "&");
            storescp = await startProcess({
              command: args.slice(1, -1),
              env: { TCP_NODELAY: "1" },
              cwd: dir,
              ready: { port: Number(port) },
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
      assert.deepEqual(codes, [0, 0, 0, 1], "pki, echo, validate pass; run finds a failure");
      // The console lines the README shows, durations aside.
      const shown = blocks.find((b) => b.lang === "" && b.body.startsWith("FAIL"))!.body;
      const timeless = (s: string) =>
        s.replace(/\(\d+ ms\)/g, "(N ms)").replace(/in [\d.]+ s/, "in N s");
      for (const line of shown.trim().split("\n")) {
        assert.ok(timeless(run).includes(timeless(line)), `${line}\nnot in\n${run}`);
      }
      const results = JSON.parse(
        await Deno.readTextFile(join(dir, "mydevice/reports/results.json")),
      );
      assert.deepEqual([results.summary.passed, results.summary.failed], [7, 1]);
      await Deno.stat(join(dir, "mydevice/reports/report.html"));
      await Deno.stat(join(dir, "mydevice/reports/junit.xml"));
    } finally {
      await storescp?.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
