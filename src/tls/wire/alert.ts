import { tlsAlert } from "../alerts.ts";
import type { AlertInfo } from "../../outcome/wire.ts";
export type { AlertInfo };

/**
 * Decodes the body of a plaintext alert record: one alert per two bytes (a
 * record may carry several). A body of odd length gives `{ error }`.
 *
 * @example
 * ```ts
 * decodeAlerts(new Uint8Array([2, 48]));
 * // [{ level: "fatal", description: { name: "unknown_ca", code: 48 } }]
 * ```
 */
export function decodeAlerts(body: Uint8Array): AlertInfo[] | { error: string } {
  if (body.length === 0 || body.length % 2 !== 0) {
    return { error: `alert record of ${body.length} bytes: alerts are 2 bytes each` };
  }
  const alerts: AlertInfo[] = [];
  for (let i = 0; i + 1 < body.length && alerts.length < 8; i += 2) {
    const level = body[i] === 1 ? "warning" : body[i] === 2 ? "fatal" : `unknown_${body[i]}`;
    alerts.push({ level, description: tlsAlert(body[i + 1])! });
  }
  return alerts;
}
