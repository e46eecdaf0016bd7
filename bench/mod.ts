/**
 * `deno task bench`: runs every `bench/*_bench.ts` in turn, each in its own
 * process (so one bench's memory does not skew the next), and exits non-zero
 * if any failed. `deno task bench pki` runs only the benches whose name
 * contains "pki".
 */
const filter = Deno.args[0] ?? "";
const dir = new URL(".", import.meta.url).pathname;
const files = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts") && n.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    // The task's own lock: without it a bench child resolved the npm ranges unpinned.
    args: ["run", "-A", `--lock=${dir}../dev.lock`, `${dir}${file}`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) failed++;
}
if (files.length === 0) console.error(`no bench matches '${filter}'`);
Deno.exit(failed || files.length === 0 ? 1 : 0);
