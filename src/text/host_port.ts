/**
 * A host and port as they are typed: `127.0.0.1:11112`, an IPv6 address in
 * brackets (`[::1]:11112`) so that the port stands apart.
 *
 * @example
 * ```ts
 * import { hostPort } from "./host_port.ts";
 * hostPort({ host: "::1", port: 11112 }); // "[::1]:11112"
 * hostPort({ host: "pacs.example.org", port: 2762 }); // "pacs.example.org:2762"
 * ```
 */
export function hostPort(target: { host: string; port: number }): string {
  return `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
}
