import type { Trigger } from "../inbound/mod.ts";
import type { YamlPath, YamlSource } from "../yaml/mod.ts";
import type { HarnessLayer } from "./_harness.ts";
import { existingPath } from "./_walk.ts";
import type { InboundCase } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

/**
 * Whether a scenario path lies in a trigger, where `${harness.*}` and
 * `${dicomtls}` wait for the run: `peers.sut.trigger` or a case's `trigger`.
 */
export function inTrigger(path: YamlPath): boolean {
  return (path[0] === "peers" && path[1] === "sut" && path[2] === "trigger") ||
    (path[0] === "cases" && path[2] === "trigger");
}

/**
 * A trigger as written (`manual`, `{ manual: TEXT }`, `{ command, env, cwd }`,
 * `{ http: { method, url, body, headers } }`) as a {@linkcode Trigger}:
 * relative `cwd` resolved from the scenario's folder, a mapping body as
 * JSON, `${dicomtls}` only as a whole command element.
 */
export async function resolveTrigger(
  value: unknown,
  path: YamlPath,
  ctx: { source: YamlSource; dir: string },
): Promise<Trigger> {
  if (value === "manual") return { kind: "manual" };
  const v = value as Raw;
  if (typeof v.manual === "string") return { kind: "manual", instructions: v.manual };
  if (v.http) return httpTrigger(v.http, [...path, "http"], ctx.source);
  (v.command as string[]).forEach((arg, i) => {
    if (arg.includes("${dicomtls}") && arg !== "${dicomtls}") {
      throw ctx.source.error(
        [...path, "command", i],
        "${dicomtls} stands for several arguments: it must be a command element of its own",
        'write command: ["${dicomtls}", echo, ...]',
      );
    }
  });
  const cwd = v.cwd === undefined ? ctx.dir : await existingPath(ctx.source, {
    dir: ctx.dir,
    file: v.cwd,
    path: [...path, "cwd"],
    what: "folder",
    directory: true,
  });
  return { kind: "command", command: v.command, ...(v.env ? { env: v.env } : {}), cwd };
}

function httpTrigger(h: Raw, path: YamlPath, source: YamlSource): Trigger {
  const headers: Record<string, string> = { ...h.headers };
  let body: string | undefined;
  if (typeof h.body === "string") body = h.body;
  else if (h.body !== undefined) {
    body = JSON.stringify(h.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
      headers["Content-Type"] = "application/json";
    }
  }
  try {
    new URL(h.url);
  } catch {
    throw source.error(
      [...path, "url"],
      `'${h.url}' is not a URL`,
      "e.g. http://127.0.0.1:8042/modalities/harness/echo",
    );
  }
  return {
    kind: "http",
    method: (h.method ?? "POST").toUpperCase(),
    url: h.url,
    ...(body !== undefined ? { body } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}

/**
 * What an inbound case adds to the case: where we listen (the harness
 * layers' `host` and `port`, default 127.0.0.1 and a free port) and its
 * trigger (its own, else the SUT's); keys that only make sense when we
 * call the SUT are errors here.
 */
export async function inboundCase(
  c: Raw,
  o: {
    at: YamlPath;
    layers: HarnessLayer[];
    sutTrigger?: Trigger;
    source: YamlSource;
    dir: string;
    port: (value: unknown, path: YamlPath) => number;
  },
): Promise<InboundCase> {
  const { source, at } = o;
  for (const key of ["operation", "files"]) {
    if (c[key] !== undefined) {
      throw source.error(
        [...at, key],
        `${key} is for role scp: an SCU under test chooses what it sends`,
        "expect what it sends instead, e.g. expect: { dimse: { requested: C-STORE } }",
      );
    }
  }
  for (const layer of o.layers) {
    for (const key of ["calledAe", "checkHostname"]) {
      if (layer.value[key] !== undefined) {
        throw source.error(
          [...layer.path, key],
          `harness ${key} is for role scp: the SUT connects to us`,
          key === "calledAe" ? "set harness.ae: the AE title the SUT must call" : "remove it",
        );
      }
    }
    if (layer.value.tls === "off" || layer.value.tls === false) {
      throw source.error(
        [...layer.path, "tls"],
        "tls: off is for role scp: as SCP we listen in TLS and record a plain DICOM client as not-tls",
        "remove it, and expect tls: not-tls",
      );
    }
  }
  const pick = (key: string) =>
    [...o.layers].reverse().map((l) => [l.value[key], [...l.path, key]] as const)
      .find(([v]) => v !== undefined);
  const host = pick("host");
  const port = pick("port");
  const trigger = c.trigger !== undefined
    ? await resolveTrigger(c.trigger, [...at, "trigger"], o)
    : o.sutTrigger;
  if (!trigger) {
    throw source.error(
      [...at, "name"],
      `case '${c.name}' has no trigger: nothing makes the SUT connect`,
      "add peers.sut.trigger (or a case's trigger): command, http or manual",
    );
  }
  return {
    host: (host?.[0] as string | undefined) ?? "127.0.0.1",
    port: port && !(port[0] === 0 || port[0] === "0") ? o.port(port[0], port[1]) : 0,
    trigger,
  };
}
