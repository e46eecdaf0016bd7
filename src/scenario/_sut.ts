import type { StartOptions } from "../process/mod.ts";
import { aeSettingsFrom } from "../reference_ae/config.ts";
import { subSource, type YamlSource } from "../yaml/mod.ts";
import { existingPath } from "./_walk.ts";
import { durationAt, portAt } from "./_values.ts";
import type { SutTarget } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

/**
 * The system under test of one suite instance: its target and what to start
 * (a program, or our reference AE in-process), with errors at their line.
 */
export async function resolveSut(sut: Raw, source: YamlSource, dir: string): Promise<SutTarget> {
  const at = ["peers", "sut"];
  if (sut.role === "scu") {
    throw source.error(
      [...at, "role"],
      "role scu (the SUT connects to us) is not supported yet",
      "use role: scp, where the harness connects to the SUT",
    );
  }
  const reference = sut.start?.reference;
  const target: SutTarget = {
    role: "scp",
    ae: sut.ae,
    host: sut.host,
    // The reference AE can take any free port.
    port: reference && (sut.port === 0 || sut.port === "0")
      ? 0
      : portAt(sut.port, [...at, "port"], source),
  };
  if (!sut.start) return target;
  if (reference) {
    return {
      ...target,
      reference: aeSettingsFrom(subSource(source, [...at, "start", "reference"], reference)),
    };
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
  if (r.port === undefined && r.log === undefined) {
    // Without a condition the runner could only guess; the SUT's own port is what cases need.
    start.ready.port = target.port;
  }
  return { ...target, start };
}
