import { ok, strictEqual } from "node:assert/strict";
import type { Page } from "../src/testing/playwright.ts";
import { renderHtml } from "../src/report/mod.ts";
import { generateRun } from "../src/testing/generated_run.ts";
import { fullRun } from "../src/testing/full_run.ts";
import type { RunResult } from "../src/runner/result.ts";
import {
  hostileSampleRun as hostileRun,
  SCRIPT_INJECTION as INJECTION,
} from "../src/testing/sample_run.ts";
import { havePeer } from "../src/testing/peers.ts";
import { launchChromium } from "../src/testing/browser.ts";

Deno.test({
  name: "the HTML report works in headless Chromium: counts, filters, pagination, details",
  ignore: !havePeer("chromium", "chromium"),
  // playwright keeps its pipe to the browser open between steps.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-html-" });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") {
          problems.push(`${m.type()}: ${m.text()}`);
        }
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`);
      });
      const open = async (name: string, html: string) => {
        const file = `${dir}/${name}.html`;
        await Deno.writeTextFile(file, html);
        await page.goto(`file://${file}`);
      };
      const rows = (p: Page) => p.locator("#rows tr.case").count();

      await t.step("the sample opens without errors and shows the counts", async () => {
        await open("sample", renderHtml(hostileRun()));
        strictEqual(await rows(page), 12);
        strictEqual(await page.locator(".count.total b").textContent(), "12");
        strictEqual(await page.locator(".count.s-failed b").textContent(), "1");
        strictEqual(await page.locator(".count.s-error b").textContent(), "3");
        strictEqual(await page.locator(".bar span").count(), 6);
        strictEqual(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
        ok(
          (await page.locator("#rows").textContent())!.includes(INJECTION),
          "hostile text shown as text",
        );
        await page.screenshot({ path: `${dir}/sample.png`, fullPage: true });
      });

      await t.step("filters by status, suite, tag and text change the visible rows", async () => {
        await page.locator('input[data-status="passed"]').uncheck();
        strictEqual(await rows(page), 7);
        await page.locator('input[data-status="passed"]').check();
        await page.selectOption("#suite-filter", { label: "dead target (2)" });
        strictEqual(await rows(page), 2);
        strictEqual(await page.locator("#rows tr.case[data-status=error]").count(), 2);
        await page.selectOption("#suite-filter", "");
        await page.selectOption("#tag-filter", "negative");
        strictEqual(await rows(page), 2);
        await page.selectOption("#tag-filter", "");
        await page.fill("#search", "calling ae");
        // The search waits for typing to pause: wait for the rows to go.
        await page.locator("#rows tr.case").nth(1).waitFor({ state: "detached" });
        strictEqual(await rows(page), 1);
        ok(
          (await page.locator("#rows tr.case").textContent())!.includes(
            "unknown calling AE is rejected",
          ),
        );
        await page.fill("#search", "");
        await page.locator("#rows tr.case").nth(11).waitFor();
      });

      await t.step(
        "a case's details open on click with chain, verdict, timeline and PDUs",
        async () => {
          await page.locator("#rows tr.case", { hasText: "refused by us" }).click();
          const detail = page.locator("#rows tr.detail");
          strictEqual(await detail.count(), 1);
          const text = (await detail.textContent())!;
          for (
            const expected of [
              "check",
              "Our verification of the peer",
              "refused",
              "expired, hostname-mismatch",
              "Peer certificate chain",
              "CN=expired.example",
              "0011223344556677889900AABBCCDDEEFF001122",
              "ECDHE-RSA-AES128-GCM-SHA256",
              "Timeline",
            ]
          ) ok(text.includes(expected), `details lack ${expected}`);
          await page.locator("#rows tr.case", { hasText: "trusted client certificate" }).click();
          const echo = (await page.locator("#rows tr.detail").first().textContent())!;
          for (
            const expected of [
              "A-ASSOCIATE-RQ",
              "A-RELEASE-RP",
              "C-ECHO",
              "0x0000",
              "1.2.840.10008.1.1",
            ]
          ) {
            ok(echo.includes(expected), `details lack ${expected}`);
          }
          ok(echo.includes("[redacted]") && !echo.includes("hunter2"));
          await page.locator("#rows tr.detail").first().screenshot({ path: `${dir}/detail.png` });
          await page.click("#collapse");
          strictEqual(await page.locator("#rows tr.detail").count(), 0);
        },
      );

      await t.step("2,000 cases render 100 rows a page and paginate", async () => {
        await open("big", renderHtml(generateRun({ cases: 2000 })));
        strictEqual(await rows(page), 100);
        strictEqual(await page.locator("#page").textContent(), "page 1 of 20");
        await page.click("#next");
        strictEqual(await page.locator("#shown").textContent(), "showing 101–200 of 2000");
        ok((await page.locator("#rows tr.case").first().textContent())!.includes("case 1001 "));
        await page.locator('input[data-status="passed"]').uncheck();
        strictEqual(await page.locator("#page").textContent(), "page 1 of 10");
        await page.click("#expand");
        strictEqual(await page.locator("#rows tr.detail").count(), 100);
        await page.screenshot({ path: `${dir}/big.png` });
      });

      await t.step("a C-STORE names its file, and PDUs not listed are counted", async () => {
        await open("full", renderHtml(fullRun() as RunResult));
        await page.locator("#rows tr.case").first().click();
        const text = (await page.locator("#rows tr.detail").first().textContent())!;
        ok(text.includes("images/ct.dcm"), "the DIMSE table names the file");
        ok(text.includes("5 PDUs between the first 1,000 and the last 100"), text);
      });

      strictEqual(problems.join("\n"), "");
      if (Deno.env.get("DICOMTLS_KEEP_SCREENSHOTS")) {
        console.log(`screenshots: ${dir}/sample.png, detail.png, big.png`);
      }
    } finally {
      await browser.close();
      if (!Deno.env.get("DICOMTLS_KEEP_SCREENSHOTS")) await Deno.remove(dir, { recursive: true });
    }
  },
});
