import { strictEqual } from "node:assert/strict";
import { showPath, showPathsIn, showRunPaths } from "./_paths.ts";
import { TICKET_FOLDERS, ticketRun } from "../testing/ticket_run.ts";

const base = {
  from: "/home/me/repo/scenarios/dcmtk",
  workingDirectory: "/home/me/repo",
  home: "/home/me",
};

Deno.test("showPath() shows paths below the working folder relative to the suite, below home as ~", () => {
  strictEqual(showPath("/home/me/repo/scenarios/dcmtk/pki/a.pem", base), "pki/a.pem");
  strictEqual(showPath("/home/me/repo/fixtures/ae/ct.dcm", base), "../../fixtures/ae/ct.dcm");
  strictEqual(
    showPath("/home/me/.cache/dicomtls/pki/x/server.pem", base),
    "~/.cache/dicomtls/pki/x/server.pem",
  );
  strictEqual(showPath("/tmp/pki/server.pem", base), "/tmp/pki/server.pem");
  strictEqual(
    showPath("/home/meadow/file", base),
    "/home/meadow/file",
    "a sibling is not below home",
  );
});

Deno.test("showPathsIn() replaces paths inside text, not URLs, fractions or words", () => {
  strictEqual(
    showPathsIn("cannot read '/home/me/pki/x.crt': denied; see https://example.org/a/b, 1/4", base),
    "cannot read '~/pki/x.crt': denied; see https://example.org/a/b, 1/4",
  );
  strictEqual(
    showPathsIn("--reports=/home/me/repo/out", { from: "/home/me/repo" }),
    "--reports=out",
  );
});

Deno.test("showRunPaths() leaves none of the tester's folders in the run", () => {
  const run = showRunPaths(ticketRun());
  const shown = JSON.stringify(run);
  strictEqual(shown.includes(TICKET_FOLDERS.home), false, shown);
  strictEqual(shown.includes(`"data/ct.dcm"`), true, "a path below the suite is relative to it");
  strictEqual(run.invocation?.commandLine[2], "suites/device/scp.yaml");
  strictEqual(run.invocation?.commandLine[6], "~/reports/device");
});
