/**
 * A ClientHello without supported_versions (OpenSSL's s_client -tls1_2,
 * -tls1) names only its newest version: we record that one, never the
 * older versions it did not name, and an expectation that needs them (a
 * lower bound, an exact list) is an error, never a failure; its newest
 * version is still judged. A real client: `openssl s_client`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuites } from "../src/runner/mod.ts";
import { loadSuites } from "../src/scenario/mod.ts";
import { echoscuInboundSuite } from "../src/testing/suites.ts";

const haveOpenssl = (() => {
  try {
    return new Deno.Command("openssl", { args: ["version"] }).outputSync().success;
  } catch {
    return false;
  }
})();

// s_client with these version flags against our listener; its stdin at once at its end.
const sClient = (...flags: string[]) =>
  `{ command: [sh, -c, 'exec openssl s_client -connect "127.0.0.1:$0" ${
    flags.join(" ")
  } </dev/null', "\${harness.port}"] }`;

Deno.test({
  name:
    "a hello without supported_versions records its newest version only; a lower bound or an exact list on it is an error",
  ignore: !haveOpenssl,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicomtls-inbound-legacy-" });
    try {
      const file = join(dir, "legacy.yaml");
      await Deno.writeTextFile(
        file,
        echoscuInboundSuite({
          name: "legacy",
          body: `defaults: { timeout: 8s }
cases:
  - name: min
    trigger: ${sClient("-tls1_2")}
    expect: { association: not-requested, clientHello: { versions: { min: TLSv1.2 } } }
  - name: exact list
    trigger: ${sClient("-tls1_2")}
    expect: { association: not-requested, clientHello: { versions: [TLSv1.2] } }
  - name: max
    trigger: ${sClient("-tls1_2")}
    expect: { association: not-requested, clientHello: { versions: { max: TLSv1.2 } } }
  - name: min above its newest
    trigger: ${sClient("-tls1_2")}
    expect: { association: not-requested, clientHello: { versions: { min: TLSv1.3 } } }
  - name: tls1 against our TLS 1.2 and 1.3
    trigger: ${sClient("-tls1", "-cipher", "DEFAULT@SECLEVEL=0")}
    expect: { tls: refused-by-us }
`,
        }),
      );
      const suites = await loadSuites([file], { pkiCacheDir: join(dir, "pki") });
      const run = await runSuites({ suites, concurrency: 5 });
      const [min, exact, max, above, tls1] = run.suites[0].cases;

      const hello = min.outcome?.clientHello;
      assert.equal(
        hello?.supportedVersions,
        undefined,
        "s_client -tls1_2 sends no supported_versions",
      );
      assert.deepEqual(hello?.offeredVersions, ["TLSv1.2"], `${min.status}: ${min.message}`);
      assert.equal(hello?.olderVersionsUnknown, true);
      assert.deepEqual(min.outcome?.connections?.[0].offeredVersions, ["TLSv1.2"]);

      for (const c of [min, exact]) {
        assert.equal(c.status, "error", `${c.name}: ${c.message}`);
        assert.match(c.message!, /not known from a hello without supported_versions/);
        const a = c.assertions.find((x) => x.path === "clientHello.versions");
        assert.ok(a?.unknown, `${c.name}: ${JSON.stringify(a)}`);
        assert.doesNotMatch(JSON.stringify(a?.actual), /SSLv3|TLSv1\.1/);
      }
      assert.equal(max.status, "passed", max.message ?? "");
      assert.equal(above.status, "failed", above.message ?? "");

      assert.equal(tls1.status, "passed", tls1.message ?? "");
      assert.match(
        tls1.outcome!.tls!.cause!,
        /^no common TLS version: the client offered TLSv1 \(no supported_versions: older versions not known\); we accept /,
      );
      assert.doesNotMatch(tls1.outcome!.tls!.cause!, /SSLv3/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
