import { testPki } from "./src/testing/pki.ts";
import { startStorescpProfile } from "./src/testing/probe_oracles.ts";
const scp = await startStorescpProfile({ pki: await testPki(), profile: "+px", requireClientCertificate: true });
console.log(scp.port);
await new Promise((r) => setTimeout(r, 600_000));
