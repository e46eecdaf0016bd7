/**
 * The CI templates in docs/ci/ are what users copy, so they must hold: each
 * is parsed with the `yaml` package and checked for what its runner needs
 * (GitHub Actions: triggers, jobs with runs-on and steps of one `uses` or
 * `run`, the shard matrix, artifacts handed from the shards to the merge,
 * the JUnit publisher reading the merged file; GitLab CI: stages, `parallel`,
 * `artifacts:reports:junit`, the merge job needing the shards), then its
 * commands run here, as written, against scenarios/demo (in-process
 * reference AEs): each shard, then the merge, in a folder laid out like a
 * checkout. The shell expands the command (variables, globs); the program
 * is started through src/testing/cli.ts. A JSON Schema of workflows cannot
 * be fetched here, so the structure is checked by hand.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parse } from "yaml";
import type { RunResult } from "../src/runner/result.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { junitXsdWithFileLine } from "../src/testing/junit_schema.ts";

const ROOT = new URL("..", import.meta.url).pathname;
type Yaml = Record<string, unknown>;
const asMap = (v: unknown, what: string): Yaml => {
  ok(v !== null && typeof v === "object" && !Array.isArray(v), `${what} is a mapping`);
  return v as Yaml;
};
const asList = (v: unknown, what: string): unknown[] => {
  ok(Array.isArray(v) && v.length > 0, `${what} is a non-empty list`);
  return v as unknown[];
};

async function template(name: string): Promise<Yaml> {
  return asMap(parse(await Deno.readTextFile(`${ROOT}docs/ci/${name}`)), name);
}

/** A folder laid out like a checkout: the suites and the fixtures they use. */
async function checkout(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dicomtls-ci-" });
  for (const d of ["scenarios", "fixtures"]) await Deno.symlink(`${ROOT}${d}`, `${dir}/${d}`);
  return dir;
}

/** The words bash makes of `command` (variables and globs expanded) in `cwd` with `env`. */
async function words(command: string, cwd: string, env: Record<string, string>): Promise<string[]> {
  const r = await new Deno.Command("bash", {
    args: ["-c", `printf '%s\\0' ${command}`],
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  ok(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout).split("\0").slice(0, -1);
}

/** Runs one command of a template: `deno task dicomtls ARGS`, ARGS as the shell makes them. */
async function runCommand(command: string, cwd: string, env: Record<string, string>) {
  const argv = await words(command.trim(), cwd, env);
  deepStrictEqual(argv.slice(0, 3), ["deno", "task", "dicomtls"], command);
  const r = await runDicomtls(argv.slice(3), { cwd, env });
  strictEqual(r.code, 0, `${argv.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function globbed(pattern: string, cwd: string): Promise<string[]> {
  return await words(`$(shopt -s nullglob; echo ${pattern})`, cwd, {});
}

/** The merged results are the shards' cases, each once; the JUnit is valid. */
async function checkMerged(dir: string, shardFiles: string[]) {
  const merged: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/reports/results.json`));
  let total = 0;
  for (const f of shardFiles) {
    const shard: RunResult = JSON.parse(await Deno.readTextFile(`${dir}/${f}`));
    ok(shard.summary.total > 0, `${f} ran no case`);
    total += shard.summary.total;
  }
  strictEqual(merged.summary.total, total);
  strictEqual(merged.summary.passed, total);
  const ids = merged.suites.flatMap((s) => s.cases.map((c) => c.id));
  strictEqual(new Set(ids).size, total);
  strictEqual(merged.shards?.length, shardFiles.length);
  ok((await Deno.readTextFile(`${dir}/reports/report.html`)).startsWith("<!DOCTYPE html>"));
  if (havePeer("xmllint", "libxml2-utils")) {
    const xsd = await junitXsdWithFileLine(dir);
    const x = await new Deno.Command("xmllint", {
      args: ["--noout", "--schema", xsd, `${dir}/reports/junit.xml`],
      stderr: "piped",
    }).output();
    ok(x.success, new TextDecoder().decode(x.stderr));
  }
}

// Every ${{ }} expression of the workflow: the test replaces the first two; the rest are conditions.
const KNOWN_EXPRESSIONS = ["matrix.shard", "strategy.job-total", "!cancelled()"];

function githubStep(step: unknown, where: string): Yaml {
  const s = asMap(step, where);
  ok(("uses" in s) !== ("run" in s), `${where}: one of uses and run`);
  if ("uses" in s) ok(/^[\w-]+\/[\w-]+@v\d+$/.test(String(s.uses)), `${where}: uses ${s.uses}`);
  return s;
}

Deno.test("the GitHub Actions workflow has what a runner needs: triggers, jobs, matrix, artifacts, JUnit", async () => {
  const text = await Deno.readTextFile(`${ROOT}docs/ci/github-actions.yml`);
  const expressions = [...text.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]);
  deepStrictEqual([...new Set(expressions)].sort(), [...KNOWN_EXPRESSIONS].sort());
  const wf = await template("github-actions.yml");
  strictEqual(typeof wf.name, "string");
  ok(["push", "pull_request"].every((t) => t in asMap(wf.on, "on")), "push and pull_request");
  const jobs = asMap(wf.jobs, "jobs");
  for (const [name, job] of Object.entries(jobs)) {
    const j = asMap(job, name);
    strictEqual(typeof j["runs-on"], "string", `${name}: runs-on`);
    asList(j.steps, `${name}.steps`).forEach((s, i) => githubStep(s, `${name}.steps[${i}]`));
    for (const need of [j.needs ?? []].flat()) ok(String(need) in jobs, `${name} needs ${need}`);
  }
  const shard = asMap(jobs.shard, "shard");
  const matrix = asList(asMap(asMap(shard.strategy, "strategy").matrix, "matrix").shard, "shard");
  deepStrictEqual(matrix, matrix.map((_, i) => i + 1), "shards 1..N");
  const steps = (j: Yaml) => asList(j.steps, "steps").map((s) => asMap(s, "step"));
  const upload = steps(shard).find((s) => String(s.uses).startsWith("actions/upload-artifact@"))!;
  const uploaded = asMap(upload.with, "upload.with");
  const report = asMap(jobs.report, "report");
  deepStrictEqual([report.needs].flat(), ["shard"]);
  const download = steps(report).find((s) =>
    String(s.uses).startsWith("actions/download-artifact@")
  )!;
  strictEqual(
    String(uploaded.name).replace("${{ matrix.shard }}", "*"),
    asMap(download.with, "download.with").pattern,
    "the merge downloads what the shards upload",
  );
  const merge = String(steps(report).find((s) => String(s.run ?? "").includes(" merge "))!.run);
  const junit = /--junit (\S+)/.exec(merge)![1];
  const publish = steps(report).find((s) =>
    String(s.uses).startsWith("mikepenz/action-junit-report@")
  )!;
  strictEqual(
    asMap(publish.with, "publish.with").report_paths,
    junit,
    "publishes the merged JUnit",
  );
  for (const s of [...steps(report)].slice(-2)) {
    ok(String(s.if).includes("!cancelled()"), "runs after failures");
  }
});

Deno.test("the GitHub Actions workflow's shard and merge commands run as written against scenarios/demo", async () => {
  const wf = await template("github-actions.yml");
  const jobs = asMap(wf.jobs, "jobs");
  const env = Object.fromEntries(
    Object.entries(asMap(wf.env, "env")).map(([k, v]) => [k, String(v)]),
  );
  const steps = (j: unknown) => asList(asMap(j, "job").steps, "steps").map((s) => asMap(s, "step"));
  const shardRun = String(
    steps(jobs.shard).find((s) => String(s.run ?? "").includes(" run "))!.run,
  );
  const merge = String(
    steps(jobs.report).find((s) => String(s.run ?? "").includes(" merge "))!.run,
  );
  const matrix = asMap(asMap(asMap(jobs.shard, "shard").strategy, "strategy").matrix, "matrix")
    .shard as number[];
  const dir = await checkout();
  try {
    for (const k of matrix) {
      const command = shardRun.replaceAll("${{ matrix.shard }}", String(k))
        .replaceAll("${{ strategy.job-total }}", String(matrix.length));
      await runCommand(command, dir, env);
    }
    const files = await globbed("shard-*.json", dir);
    strictEqual(files.length, matrix.length);
    await runCommand(merge, dir, env);
    await checkMerged(dir, files);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const GITLAB_GLOBAL = ["stages", "variables", "default", "include", "workflow", "image", "cache"];

Deno.test("the GitLab CI job has what a runner needs: stages, parallel, JUnit report artifacts, a merge", async () => {
  const ci = await template("gitlab-ci.yml");
  const stages = asList(ci.stages, "stages").map(String);
  const jobs = Object.entries(ci).filter(([k]) => !GITLAB_GLOBAL.includes(k));
  for (const [name, job] of jobs) {
    const j = asMap(job, name);
    ok(stages.includes(String(j.stage)), `${name}: stage ${j.stage}`);
    asList(j.script, `${name}.script`).forEach((l) => strictEqual(typeof l, "string"));
  }
  const shard = asMap(ci.dicomtls, "dicomtls");
  ok(
    Number.isInteger(shard.parallel) && Number(shard.parallel) >= 2 &&
      Number(shard.parallel) <= 200,
  );
  const script = String(asList(shard.script, "script")[0]);
  ok(script.includes("--shard $CI_NODE_INDEX/$CI_NODE_TOTAL"), script);
  const artifacts = asMap(shard.artifacts, "artifacts");
  strictEqual(artifacts.when, "always");
  const junit = asMap(artifacts.reports, "artifacts.reports").junit;
  strictEqual(junit, /--junit (\S+)/.exec(script)![1].replace("$CI_NODE_INDEX", "*"));
  const json = /--json (\S+)/.exec(script)![1].replace("$CI_NODE_INDEX", "*");
  ok(asList(artifacts.paths, "artifacts.paths").includes(json), "the shard's results are kept");
  const report = asMap(ci["dicomtls-report"], "dicomtls-report");
  strictEqual(report.when, "always");
  deepStrictEqual(asList(report.needs, "needs").map((n) => asMap(n, "need").job), ["dicomtls"]);
  ok(String(asList(report.script, "script")[0]).includes(`merge ${json}`));
  ok(asList(asMap(report.artifacts, "artifacts").paths, "paths").includes("reports/"));
});

Deno.test("the GitLab CI job's parallel and merge scripts run as written against scenarios/demo", async () => {
  const ci = await template("gitlab-ci.yml");
  // DENO_DIR is the job's cache folder: here the machine's Deno cache serves instead.
  const vars = Object.fromEntries(
    Object.entries(asMap(ci.variables, "variables")).filter(([k]) => k !== "DENO_DIR")
      .map(([k, v]) => [k, String(v)]),
  );
  const shard = asMap(ci.dicomtls, "dicomtls");
  const total = Number(shard.parallel);
  const dir = await checkout();
  try {
    for (let k = 1; k <= total; k++) {
      const env = { ...vars, CI_NODE_INDEX: String(k), CI_NODE_TOTAL: String(total) };
      for (const line of asList(shard.script, "script")) await runCommand(String(line), dir, env);
    }
    const reports = asMap(asMap(shard.artifacts, "artifacts").reports, "reports");
    strictEqual((await globbed(String(reports.junit), dir)).length, total, "one JUnit per job");
    const files = await globbed("shard-*.json", dir);
    strictEqual(files.length, total);
    const report = asMap(ci["dicomtls-report"], "dicomtls-report");
    for (const line of asList(report.script, "script")) await runCommand(String(line), dir, vars);
    await checkMerged(dir, files);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
