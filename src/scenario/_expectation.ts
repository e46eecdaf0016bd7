import {
  closest,
  formatPath,
  type SchemaProblem,
  type YamlPath,
  type YamlSource,
} from "../yaml/mod.ts";
import { parseDuration } from "./duration.ts";
import { thumbprints } from "./_harness.ts";
import { asList, valuesAt } from "./_walk.ts";
import { ALERT_NAMES, ASSOCIATION_REASONS, SCENARIO_VERIFICATION_REASONS } from "./vocabulary.ts";
import type { Expectation, ExpectationCheck } from "./types.ts";
import { expectationPath } from "./expectation_keys.ts";
import { PROFILES } from "../profiles/registry.ts";

// Profile names and aliases ("bcp195-nd", "b.10"), matched case-insensitively.
const PROFILE_WORDS = PROFILES.flatMap((p) => [p.name, ...p.aliases]).map((n) => n.toLowerCase());

const EXPECTS = [["defaults", "expect"], ["cases", "*", "expect"]];
const DURATIONS = [
  ["defaults", "timeout"],
  ["cases", "*", "timeout"],
  ["peers", "sut", "start", "ready", "timeout"],
  ...EXPECTS.flatMap((p) => [[...p, "duration", "max"], [...p, "duration", "min"]]),
];

/**
 * Checks the values with a known vocabulary (alert names, PS3.8 reasons,
 * verification reasons, durations) before the JSON Schema does, for a
 * message that names the nearest valid value; returns every problem found,
 * with its path. Lowercases PS3.8 reasons (they are case-insensitive) in
 * place.
 */
export function vocabularyProblems(source: YamlSource): SchemaProblem[] {
  const doc = source.value;
  const found: SchemaProblem[] = [];
  for (const [path, value] of DURATIONS.flatMap((p) => [...valuesAt(doc, p)])) {
    if (typeof value === "string" && !value.includes("${") && parseDuration(value) === undefined) {
      found.push({
        path,
        error: source.error(
          path,
          `'${formatPath(path)}' is '${value}', which is not a duration`,
          "write milliseconds as a number, or a number with ms, s or m: 500ms, 5s, 1.5s, 2m",
        ),
      });
    }
  }
  const words: [string[], readonly string[], string, boolean][] = [
    [["alert"], ALERT_NAMES, "TLS alert name", false],
    [["reason"], ASSOCIATION_REASONS, "PS3.8 reject or abort reason", true],
    [["verification", "reasons"], SCENARIO_VERIFICATION_REASONS, "verification reason", false],
    [["profile"], PROFILE_WORDS, "TLS profile", true],
  ];
  for (const [suffix, known, what, foldCase] of words) {
    for (const [path, value] of EXPECTS.flatMap((p) => [...valuesAt(doc, [...p, ...suffix])])) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (typeof item !== "string") return;
        const word = foldCase ? item.toLowerCase() : item;
        const at = Array.isArray(value) ? [...path, i] : path;
        if (known.includes(word)) {
          if (foldCase) setAt(doc, at, word);
          return;
        }
        const near = closest(item, known);
        found.push({
          path: at,
          error: source.error(
            at,
            `unknown ${what} '${item}'`,
            near ? `did you mean '${near}'?` : `use one of: ${known.join(", ")}`,
          ),
        });
      });
    }
  }
  return found;
}

function setAt(doc: unknown, path: YamlPath, value: unknown) {
  const parent = path.slice(0, -1).reduce<unknown>(
    (v, k) => (v as Record<string | number, unknown>)[k],
    doc,
  ) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}

/**
 * Builds a case's expectation from `defaults.expect` and the case's own
 * `expect` (a case key replaces the same default key), keeping where each
 * check is written.
 */
export function buildExpectation(
  layers: { value?: Record<string, unknown>; path: YamlPath }[],
  source: YamlSource,
): Expectation {
  const checks = new Map<string, ExpectationCheck>();
  let fails = false;
  const add = (path: YamlPath, key: string, expected: unknown) => {
    const location = { file: source.file, ...source.locate(path) };
    if (key === "peer.sha1" || key === "peer.sha256") {
      asList(expected as string | string[]).forEach((t, i) =>
        thumbprints(t, Array.isArray(expected) ? [...path, i] : path, source)
      );
    }
    // `tls: established` and `tls: { status: established }` are the same check.
    checks.set(expectationPath(key)!, { path: key, expected, location });
  };
  for (const { value, path } of layers) {
    for (const [key, v] of Object.entries(value ?? {})) {
      if (key === "fails") fails = v as boolean;
      else if (typeof v !== "object" || v === null || Array.isArray(v)) {
        add([...path, key], key, v);
      } else {
        for (const [sub, w] of Object.entries(v as Record<string, unknown>)) {
          add([...path, key, sub], `${key}.${sub}`, w);
        }
      }
    }
  }
  return { checks: [...checks.values()], fails };
}
