import type { StartOptions } from "../process/mod.ts";
import { aeSettingsFrom } from "../reference_ae/config.ts";
import { InputError, InputErrors, subSource, type YamlSource } from "../yaml/mod.ts";
import { existingPath } from "./_walk.ts";
import { resolveTrigger } from "./_inbound.ts";
import { aeTitleAt, durationAt, hostAt, portAt } from "./_values.ts";
import type { SutTarget } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

/**
 * The system under test of one suite instance (`peers.sut`): role scp, its
 * target and what to start (a program, or our reference AE in-process); or
 * role scu, where we listen (`peers.harness`), its trigger and what to
 * start; with errors at their line.
 */
export async function resolveSut(peers: Raw, source: YamlSource, dir: string): Promise<SutTarget> {
  const at = ["peers", "sut"];
  const sut = peers.sut;
  const reference = sut.start?.reference;
  const inbound = sut.role === "scu";
  checkSutKeys(sut, source);
  const target: SutTarget = inbound
    ? {
      role: "scu",
      ae: aeTitleAt(sut.ae, [...at, "ae"], source),
      host: peers.harness?.host ?? "127.0.0.1",
      port: Number(peers.harness?.port ?? 0) || 0,
      ...(sut.trigger !== undefined
        ? { trigger: await resolveTrigger(sut.trigger, [...at, "trigger"], { source, dir }) }
        : {}),
    }
    : { role: "scp", ...checkedTarget(sut, source, !!reference) };
  if (!sut.start) return target;
  if (reference) {
    const refAt = [...at, "start", "reference"];
    const settings = aeSettingsFrom(subSource(source, refAt, reference));
    await checkReferenceFiles(reference.security ?? {}, [...refAt, "security"], source, dir);
    return { ...target, reference: settings };
  }
  const s = sut.start;
  const start: StartOptions = { command: s.command };
  if (s.env) start.env = s.env;
  if (s.cwd) {
    start.cwd = await existingPath(source, {
      dir,
      file: s.cwd,
      path: [...at, "start", "cwd"],
      what: "folder",
      directory: true,
    });
  } else start.cwd = dir;
  const r = s.ready ?? {};
  const readyAt = [...at, "start", "ready"];
  start.ready = { timeoutMs: durationAt(r.timeout ?? 10_000, [...readyAt, "timeout"], source) };
  if (r.port !== undefined) start.ready.port = portAt(r.port, [...readyAt, "port"], source);
  if (r.log !== undefined) {
    try {
      start.ready.log = new RegExp(r.log);
    } catch (e) {
      throw source.error(
        [...readyAt, "log"],
        `ready.log is not a valid regular expression: ${(e as Error).message}`,
        "escape special characters with \\",
      );
    }
  }
  if (r.port === undefined && r.log === undefined && !inbound) {
    // Without a condition the runner could only guess; the SUT's own port is what cases need.
    // (An SCU under test has no port of its own: it is ready once spawned.)
    start.ready.port = target.port;
  }
  return { ...target, start };
}

// What each role needs of peers.sut, which the schema cannot say per role.
function checkSutKeys(sut: Raw, source: YamlSource) {
  const at = ["peers", "sut"];
  if (sut.role !== "scu") {
    for (const key of ["host", "port"]) {
      if (sut[key] === undefined) {
        throw source.error(at, `peers.sut needs ${key}: where we connect to it`, `add ${key}:`, {
          key: true,
        });
      }
    }
    if (sut.trigger !== undefined) {
      throw source.error([...at, "trigger"], "a trigger is for role scu", "add role: scu");
    }
    return;
  }
  if (sut.start?.reference) {
    throw source.error(
      [...at, "start", "reference"],
      "start: reference is our own SCP; an SCU under test starts with command",
      "give start: { command: [...] }, or nothing when it runs already",
    );
  }
}

// The SUT's AE title, host and port, all checked (after interpolation): every problem reported.
function checkedTarget(
  sut: Raw,
  source: YamlSource,
  reference: boolean,
): { ae: string; host: string; port: number } {
  const at = ["peers", "sut"];
  const found: InputError[] = [];
  const check = <T>(f: () => T) => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      found.push(e);
    }
  };
  const ae = check(() => aeTitleAt(sut.ae, [...at, "ae"], source));
  const host = check(() => hostAt(sut.host, [...at, "host"], source));
  // The reference AE can take any free port.
  const port = reference && (sut.port === 0 || sut.port === "0")
    ? 0
    : check(() => portAt(sut.port, [...at, "port"], source));
  if (found.length) throw InputErrors.of(found);
  return { ae: ae!, host: host!, port: port! };
}

// The reference AE reads its certificate, key and trust files only when it starts: a path that
// names nothing is found here, at its line, so `validate` catches it and `run` exits 2 for it.
async function checkReferenceFiles(security: Raw, at: string[], source: YamlSource, dir: string) {
  const kinds: [string, string, boolean][] = [
    ["cert", "certificate file", false],
    ["key", "key file", false],
    ["p12", "PKCS#12 file", false],
    ["store", "certificate store folder", true],
    ["ca", "trust file", false],
  ];
  for (const [key, what, directory] of kinds) {
    const value = security[key];
    const files: [string, (string | number)[]][] = Array.isArray(value)
      ? value.map((f, i) => [f, [...at, key, i]])
      : typeof value === "string"
      ? [[value, [...at, key]]]
      : [];
    for (const [file, path] of files) {
      await existingPath(source, { dir, file, path, what, directory });
    }
  }
}
