import { isIP } from "node:net";

/** How a host we connect to (or name in a certificate) is written, for hints. */
export const HOST_RULE =
  "give an IP address or a DNS name (letters, digits, hyphens, dots), e.g. 10.0.0.7 or pacs.example.org";

/**
 * What is wrong with a host name or address we connect to or issue a
 * certificate for; undefined when it is an IP address or a DNS name (labels
 * of 1 to 63 letters, digits, hyphens and underscores, not starting or ending
 * with a hyphen; 253 characters at most). An empty host would make Node.js
 * connect to localhost in silence.
 *
 * @example
 * ```ts
 * import { hostProblem } from "./host.ts";
 * hostProblem("pacs.example.org"); // undefined
 * hostProblem(""); // "the host is empty"
 * ```
 */
export function hostProblem(host: string): string | undefined {
  if (host === "") return "the host is empty";
  if (isIP(host)) return undefined;
  const shown = JSON.stringify(host);
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(host)) return `host ${shown} has spaces or control characters`;
  const label = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
  if (host.length > 253 || !host.split(".").every((l) => label.test(l))) {
    return `host ${shown} is neither an IP address nor a DNS name`;
  }
  return undefined;
}
