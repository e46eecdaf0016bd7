/**
 * Peers that run under Node.js (dcmjs-dimse 0.3.3 with Node's own OpenSSL):
 * installed once with npm into a shared cache folder, the project itself
 * keeping no node_modules.
 *
 * @module
 */
import { join } from "node:path";

/**
 * The folder where dcmjs-dimse 0.3.3 is installed for Node.js
 * (`$TMPDIR/dicomtls-node-peers`), installing it with npm the first time.
 *
 * @example
 * ```ts
 * import { nodePeerModules } from "./node_peers.ts";
 * const dir = await nodePeerModules(); // ".../dicomtls-node-peers", with node_modules/dcmjs-dimse
 * ```
 */
export async function nodePeerModules(): Promise<string> {
  const dir = join(Deno.env.get("TMPDIR") ?? "/tmp", "dicomtls-node-peers");
  try {
    await Deno.stat(join(dir, "node_modules", "dcmjs-dimse", "package.json"));
    return dir;
  } catch { /* not installed yet */ }
  const npm = await new Deno.Command("npm", {
    args: ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "dcmjs-dimse@0.3.3"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!npm.success) {
    throw new Error(
      `npm install dcmjs-dimse@0.3.3 failed: ${new TextDecoder().decode(npm.stderr)}`,
    );
  }
  return dir;
}

/**
 * Copies peer scripts of `fixtures/peers/` beside the installed modules (ES
 * module imports resolve from the script's folder; NODE_PATH does not apply)
 * and returns that folder.
 *
 * @example
 * ```ts
 * import { installNodePeerScripts } from "./node_peers.ts";
 * const dir = await installNodePeerScripts(["dcmjs_dimse_scu.mjs"]);
 * // node `${dir}/dcmjs_dimse_scu.mjs` ...
 * ```
 */
export async function installNodePeerScripts(names: readonly string[]): Promise<string> {
  const modules = await nodePeerModules();
  for (const name of names) {
    await Deno.copyFile(
      new URL(`../../fixtures/peers/${name}`, import.meta.url),
      join(modules, name),
    );
  }
  return modules;
}
