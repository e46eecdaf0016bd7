import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../yaml/input_error.ts";
import { fileSystemReason } from "../yaml/os_error.ts";
import { shellLine } from "../process/shell.ts";
import { terminalSafe } from "../text/terminal.ts";
import { type Command, EXIT, folderPathFlag, intFlag, parseFlags } from "./command.ts";
import { AE_TITLE_RULE, aeTitleProblem } from "../ul/ae_title.ts";
import { hostFlag } from "./_scu_flags.ts";

const DEVICE = new URL("../../scenarios/device/", import.meta.url);
const SCHEMA = fileURLToPath(new URL("../../schemas/scenario.schema.json", import.meta.url));

/**
 * `dicomtls init DIR [--scp] [--host H] [--port N] [--ae AE]`: scaffolds the
 * tests of a new device in DIR: `pki.yaml` (the PKI spec, the device's
 * certificate issued for `--host`), `device.yaml` (the ready SCP suite of
 * `scenarios/device/`, naming the PKI folder `pki`) and `vars.yaml` (host,
 * port and AE title for `--vars`). Writes nothing over an existing file.
 *
 * @example
 * ```ts
 * import { initCommand } from "./init.ts";
 * await initCommand.run(["mydevice", "--scp", "--host", "10.0.0.7", "--port", "2762", "--ae", "PACS"]);
 * ```
 */
export const initCommand: Command = {
  usage: `usage: dicomtls init DIR [--scp] [--host H] [--port N] [--ae AE]

Scaffolds the tests of a new device in DIR (created when missing; no file is
written over):
  DIR/pki.yaml     the PKI spec: the CA the device trusts, its certificate
                   (issued for --host), our client certificate and the broken
                   ones the device must refuse
  DIR/device.yaml  the ready suite of scenarios/device/ for a device that is a
                   DICOM TLS SCP, its PKI the folder DIR/pki
  DIR/vars.yaml    the values of \${set.host}, \${set.port} and \${set.ae}

  --scp        the device accepts associations (the default)
  --scu        the device connects to us: not supported yet
  --host H     the device's host name or address (default 127.0.0.1)
  --port N     its DICOM TLS port (default 11112)
  --ae AE      its AE title (default DEVICE)

Then: dicomtls pki DIR/pki.yaml --out DIR/pki (it prints how to configure the
device), and dicomtls run DIR --vars DIR/vars.yaml --reports DIR/reports.`,
  async run(args) {
    const { values, positionals } = parseFlags("init", args, {
      scp: { type: "boolean" },
      scu: { type: "boolean" },
      host: { type: "string" },
      port: { type: "string" },
      ae: { type: "string" },
    });
    if (positionals.length !== 1) {
      throw new InputError({
        message: `expected one DIR, got ${positionals.length}`,
        hint: "e.g. dicomtls init mydevice --scp --host 10.0.0.7 --port 2762 --ae PACS",
      });
    }
    folderPathFlag(
      "DIR",
      positionals[0],
      "dicomtls init mydevice --scp --host 10.0.0.7 --port 2762 --ae PACS",
    );
    if (values.scu) {
      throw new InputError({
        message:
          "scaffolding the suite of a device that connects to us (the device as SCU) is not supported yet",
        hint:
          "write an inbound suite (peers.sut.role: scu) as scenarios/dcmtk/echoscu-inbound.yaml does, see docs/inbound.md; or use --scp",
      });
    }
    const dir = positionals[0];
    const vars = {
      host: hostFlag("--host", values.host ?? "127.0.0.1"),
      port: intFlag("--port", values.port ?? "11112", { min: 1, max: 65535, example: 11112 }),
      ae: checkAe(values.ae ?? "DEVICE"),
    };
    const files = {
      "pki.yaml": pkiSpec(await Deno.readTextFile(new URL("pki.yaml", DEVICE)), dir, vars.host),
      "device.yaml": suite(await Deno.readTextFile(new URL("scp.yaml", DEVICE)), dir),
      "vars.yaml": varsFile(dir, vars),
    };
    for (const name of Object.keys(files)) await checkNew(join(dir, name));
    await writable(dir, () => Deno.mkdir(dir, { recursive: true }));
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      await writable(path, () => Deno.writeTextFile(path, text, { createNew: true }));
    }
    console.log(`wrote ${Object.keys(files).map((n) => join(dir, n)).join(", ")}
next:
  1. ${pkiLine(dir)}
     (it prints how to configure the device with that PKI)
  2. configure the device so, and check vars.yaml
  3. ${runLine(dir)}`);
    return EXIT.ok;
  },
};

// The commands init prints and writes into the files' comments, to be pasted into a shell.
function pkiLine(dir: string): string {
  return shellLine(["dicomtls", "pki", join(dir, "pki.yaml"), "--out", join(dir, "pki")]);
}

function runLine(dir: string): string {
  return shellLine([
    "dicomtls",
    "run",
    dir,
    "--vars",
    join(dir, "vars.yaml"),
    "--reports",
    join(dir, "reports"),
  ]);
}

// The one AE title check (src/ul/ae_title.ts), as a flag's problem.
function checkAe(ae: string): string {
  const problem = aeTitleProblem(ae);
  if (problem) {
    throw new InputError({ message: `--ae: ${problem}`, hint: `${AE_TITLE_RULE}; e.g. --ae PACS` });
  }
  return ae;
}

function header(lines: string[]): string {
  return lines.map((l) => `# ${l}`.trimEnd()).join("\n") + "\n";
}

// The ready spec, the device's certificate issued for its host.
function pkiSpec(text: string, dir: string, host: string): string {
  const body = text.slice(text.indexOf("defaults:"));
  const q = JSON.stringify;
  const san = host === "localhost" || host === "127.0.0.1"
    ? "[localhost, 127.0.0.1]"
    : `[${q(host)}]`;
  return header([
    "The PKI of this device: generate it once, give the device its part (dicomtls pki",
    "prints how), and keep the folder: its root is what the device trusts.",
    "",
    `  ${pkiLine(dir)}`,
    "",
    "The device's certificate (server) names its host: keep san: as the device is reached.",
  ]) + body
    .replace(
      "subject: { CN: localhost, O: Device under test }",
      `subject: { CN: ${q(host)}, O: Device under test }`,
    )
    .replace("san: [localhost, 127.0.0.1]", `san: ${san}`);
}

// The ready suite, with the schema for editors wherever DIR is.
function suite(text: string, dir: string): string {
  const body = text.slice(text.indexOf("suite:"));
  return `# yaml-language-server: $schema=${SCHEMA}\n` + header([
    "The checks every DICOM TLS SCP should pass, against this device (from dicomtls's",
    "scenarios/device/). Its PKI is the folder pki/ beside this file.",
    "",
    `  ${runLine(dir)}`,
  ]) + body;
}

function varsFile(dir: string, vars: { host: string; port: number; ae: string }): string {
  const suiteFile = relative(dir, join(dir, "device.yaml"));
  return header([
    `The values of \${set.KEY} in ${suiteFile}: ${
      shellLine(["dicomtls", "run", dir, "--vars", join(dir, "vars.yaml")])
    }`,
    "(a --set KEY=VALUE on the command line wins).",
  ]) + `host: ${JSON.stringify(vars.host)} # the device's host name or address
port: ${vars.port} # its DICOM TLS port
ae: ${JSON.stringify(vars.ae)} # its AE title
# calling: DICOMTLS # the calling AE title we send, if the device must know it
`;
}

// A folder or file init cannot make is bad input (the place), not our bug.
async function writable(path: string, write: () => Promise<void>) {
  try {
    await write();
  } catch (e) {
    const reason = fileSystemReason(e);
    if (reason === undefined) throw e;
    throw new InputError({
      message: `cannot write ${terminalSafe(path)}: ${reason}`,
      hint: "choose for DIR a new folder, or an existing one, where you may write",
    });
  }
}

// Every file is checked before any is written: a refused init leaves DIR as it was.
async function checkNew(path: string) {
  if (await Deno.lstat(path).then(() => false, () => true)) return;
  throw new InputError({
    message: `${path} exists: init writes no file over another`,
    hint: "choose a new DIR, or remove the file",
  });
}
