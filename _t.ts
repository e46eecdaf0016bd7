const t0 = performance.now();
const w = Deno.args[0];
if (w === "cjs") { await import("reflect-metadata"); await import("@peculiar/x509"); }
if (w === "es") { await import("reflect-metadata"); await import("npm:@peculiar/x509@^2.2.0/build/x509.es.js"); }
if (w === "rm") { await import("reflect-metadata"); }
if (w === "crypto") { const c = await import("node:crypto"); new c.X509Certificate(Deno.readTextFileSync("/tmp/cliux-tmp/std/server.crt")); }
console.log(w, Math.round(performance.now() - t0), "ms");
