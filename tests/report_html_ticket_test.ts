/**
 * The HTML report as an attachment to a ticket, in headless Chromium: a real
 * `dicomtls run` of the demo suites (in-process reference AEs) and the
 * ticket sample (long unbroken text, the tester's folders, refusals). The
 * header names the targets and the command line; no card is wider than its
 * content box at 800 and 1400 px, on screen with every case of the page
 * open, without JavaScript, and in print; tags never break inside a word;
 * print shows every case with its evidence; without JavaScript the table of
 * all cases is there.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { Browser, Page } from "../src/testing/playwright.ts";
import { renderHtml } from "../src/report/mod.ts";
import type { RunResult } from "../src/runner/result.ts";
import { launchChromium } from "../src/testing/browser.ts";
import { runDicomtls } from "../src/testing/cli.ts";
import { havePeer } from "../src/testing/peers.ts";
import { hostileSampleRun } from "../src/testing/sample_run.ts";
import { TICKET_FOLDERS, ticketRun } from "../src/testing/ticket_run.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const WIDTHS = [800, 1400];
type Mode = "screen" | "no-script" | "print";

/** One report in a file, with the run it shows. */
interface Report {
  name: string;
  file: string;
  run: RunResult;
}

/**
 * One page with JavaScript and one without (a context setting), each
 * navigated afresh for every view: a navigation gives a new document as a
 * new page does (the report keeps no state in storage), without the renderer
 * process a new page costs Chromium (about 0.5 s, 21 times).
 */
interface Pages {
  script: Page;
  noScript: Page;
}

async function newPages(browser: Browser): Promise<Pages> {
  const page = async (javaScriptEnabled: boolean) =>
    await (await browser.newContext({ javaScriptEnabled })).newPage();
  return { script: await page(true), noScript: await page(false) };
}

async function open(pages: Pages, r: Report, width: number, mode: Mode): Promise<Page> {
  const page = mode === "no-script" ? pages.noScript : pages.script;
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ media: mode === "print" ? "print" : "screen" });
  await page.goto(`file://${r.file}`);
  if (mode === "screen") {
    await page.click("#expand");
    await page.locator("#rows tr.detail").first().waitFor();
  }
  return page;
}

// Run in the page (as text: this file is not type-checked against the DOM).
// Cards whose content is wider than their box, and tags whose text takes two lines.
const LAYOUT_PROBLEMS = `(() => {
  const shown = (e) => e.getClientRects().length > 0;
  const label = (e) => e.tagName.toLowerCase() + "." + e.className;
  const wide = [...document.querySelectorAll(".panel, .section, .evidence, .cert")]
    .filter((e) => shown(e) && e.scrollWidth > e.clientWidth)
    .map((e) => label(e) + " is " + e.scrollWidth + " px wide in " + e.clientWidth + " px");
  const broken = [...document.querySelectorAll(".tag")].filter(shown).filter((e) => {
    const range = document.createRange();
    range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
  }).map((e) => "tag " + JSON.stringify(e.textContent) + " breaks");
  return [...wide, ...broken];
})()`;

function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(LAYOUT_PROBLEMS);
}

/** How many elements matching `selector` are rendered (not display: none). */
function visible(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    `[...document.querySelectorAll(${
      JSON.stringify(selector)
    })].filter((e) => e.getClientRects().length > 0).length`,
  );
}

const keep = () => !!Deno.env.get("DICOMTLS_KEEP_SCREENSHOTS");

/** The three reports: a real `dicomtls run` of the demo suites, the ticket run, the hostile sample. */
async function prepare(dir: string): Promise<Report[]> {
  const ran = await runDicomtls(
    ["run", "scenarios/demo", "--html", `${dir}/demo.html`, "--json", `${dir}/demo.json`],
    { cwd: ROOT },
  );
  strictEqual(ran.code, 0, ran.stderr);
  const reports: Report[] = [{
    name: "demo",
    file: `${dir}/demo.html`,
    run: JSON.parse(await Deno.readTextFile(`${dir}/demo.json`)),
  }];
  for (const [name, run] of [["ticket", ticketRun()], ["hostile", hostileSampleRun()]] as const) {
    await Deno.writeTextFile(`${dir}/${name}.html`, renderHtml(run));
    reports.push({ name, file: `${dir}/${name}.html`, run });
  }
  return reports;
}

async function checkHeader(pages: Pages, [demo, ticket]: Report[], dir: string) {
  const page = await open(pages, demo, 1400, "screen");
  const header = (await page.locator("header").textContent())!;
  for (
    const expected of [
      "SCP",
      "REFERENCE",
      "127.0.0.1",
      `dicomtls run scenarios/demo --html ${dir}/demo.html --json ${dir}/demo.json`,
      "dicomtls 0.1.0",
      Deno.hostname(),
      "reference AE with a TLS 1.3 floor",
    ]
  ) ok(header.includes(expected), `the header lacks ${expected}:\n${header}`);
  // One row per (role, AE title, host, port) the demo's suites name: the
  // reference AE as SCP on three ports, the demo's inbound suite as SCU.
  const distinct = new Set(
    demo.run.suites.map((s) =>
      JSON.stringify([s.target.role ?? "scp", s.target.ae, s.target.host, s.target.port])
    ),
  );
  ok(distinct.size >= 2, `the demo names few targets: ${[...distinct]}`);
  strictEqual(await page.locator("header table.targets tbody tr").count(), distinct.size);
  ok(header.includes("SCU"), "the demo's inbound suite is an SCU target");
  if (keep()) await page.locator("header").screenshot({ path: `${dir}/header-1400.png` });
  const narrow = await open(pages, ticket, 800, "screen");
  const text = (await narrow.locator("header").textContent())!;
  ok(text.includes("DEVICE") && text.includes("192.0.2.10") && text.includes("11112"));
  ok(text.includes("dicomtls run suites/device/scp.yaml --set"), text);
  ok(!(await narrow.content()).includes(TICKET_FOLDERS.home), "the tester's home folder");
  if (keep()) await narrow.locator("header").screenshot({ path: `${dir}/header-800.png` });
}

async function checkLayout(pages: Pages, reports: Report[], dir: string) {
  const problems: string[] = [];
  for (const r of reports) {
    for (const width of WIDTHS) {
      for (const mode of ["screen", "no-script", "print"] as const) {
        const page = await open(pages, r, width, mode);
        const found = await layoutProblems(page);
        problems.push(...found.map((p) => `${r.name} ${width} ${mode}: ${p}`));
        if (keep() && r.name === "ticket") {
          await page.screenshot({ path: `${dir}/${r.name}-${width}-${mode}.png`, fullPage: true });
        }
      }
    }
  }
  deepStrictEqual(problems, []);
}

async function checkPrint(pages: Pages, reports: Report[]) {
  for (const r of reports) {
    const page = await open(pages, r, 800, "print");
    const total = r.run.summary.total;
    strictEqual(await visible(page, "#all-cases article.evidence"), total, r.name);
    strictEqual(await visible(page, "#all-cases table.cases tbody tr"), total, r.name);
    strictEqual(await visible(page, ".toolbar, #cases, .pager"), 0, "controls in print");
    const checked = r.run.suites.flatMap((s) => s.cases).filter((c) => c.assertions.length);
    strictEqual(await visible(page, "#all-cases article.evidence table.checks"), checked.length);
  }
}

async function checkNoScript(pages: Pages, reports: Report[]) {
  for (const r of reports) {
    const page = await open(pages, r, 1400, "no-script");
    strictEqual(await visible(page, "table.cases tbody tr"), r.run.summary.total, r.name);
    strictEqual(await visible(page, "#cases"), 0, "the interactive table needs the script");
    const first = (await page.locator("table.cases tbody tr").first().textContent())!;
    ok(first.includes(r.run.suites[0].cases[0].name.slice(0, 20)), first);
  }
}

async function checkExpectedRejection(pages: Pages, demo: Report) {
  const page = await open(pages, demo, 1400, "screen");
  await page.click("#collapse");
  await page.locator("#rows tr.case", { hasText: "unknown calling AE title is rejected" }).click();
  const text = (await page.locator("#rows tr.detail article.evidence").textContent())!;
  ok(
    text.includes(
      "the association was rejected as expected: rejected-permanent, service-user, calling-ae-title-not-recognized",
    ),
    text,
  );
  ok(!/error\s*Association rejected/i.test(text), "no error row for the expected rejection");
  ok(!text.includes('["') && !text.includes("null"), "no raw JSON");
}

Deno.test({
  name: "the HTML report attaches to a ticket: header, no overflow, print and no-script views",
  ignore: !havePeer("chromium", "chromium"),
  // playwright keeps its pipe to the browser open between steps.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-ticket-" });
    const browser = await launchChromium();
    try {
      const reports = await prepare(dir);
      const pages = await newPages(browser);
      await t.step(
        "the header names the targets, the command line, the tool and the host",
        () => checkHeader(pages, reports, dir),
      );
      await t.step(
        "no card overflows and no tag breaks at 800 and 1400 px",
        () => checkLayout(pages, reports.slice(0, 2), dir),
      );
      await t.step(
        "print shows every case with its evidence and hides the controls",
        () => checkPrint(pages, reports),
      );
      await t.step(
        "without JavaScript the table of every case is there",
        () => checkNoScript(pages, reports),
      );
      await t.step(
        "a passed case that expected a rejection shows it as expected",
        () => checkExpectedRejection(pages, reports[0]),
      );
    } finally {
      await browser.close();
      if (keep()) console.log(`screenshots in ${dir}`);
      else await Deno.remove(dir, { recursive: true });
    }
  },
});
