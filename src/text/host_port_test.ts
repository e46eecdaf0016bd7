import assert from "node:assert/strict";
import { hostPort } from "./host_port.ts";

Deno.test("hostPort() brackets an IPv6 address and leaves names and IPv4 as typed", () => {
  assert.equal(hostPort({ host: "::1", port: 11112 }), "[::1]:11112");
  assert.equal(hostPort({ host: "127.0.0.1", port: 104 }), "127.0.0.1:104");
  assert.equal(hostPort({ host: "pacs.example.org", port: 2762 }), "pacs.example.org:2762");
});
