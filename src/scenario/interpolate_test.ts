import assert from "node:assert/strict";
import { InputError, parseYaml } from "../yaml/mod.ts";
import { interpolate, type InterpolationContext } from "./interpolate.ts";

const context: InterpolationContext = {
  env: { HOST: "10.0.0.1" },
  set: { PORT: "104" },
  matrix: { key: "rsa-2048" },
  suiteDir: "/s",
  pki: {
    server: { crt: "/p/server.crt", sha1: "AB" },
    root: { crt: "/p/root.crt", crl: "/p/root.crl" },
  },
};
const run = (text: string) => {
  const source = parseYaml(text, "s.yaml");
  return interpolate(source.value, { source, path: [], context });
};

Deno.test("interpolate() replaces every kind of variable and keeps $${ literal", () => {
  assert.deepEqual(
    run(
      'a: "${env.HOST}:${set.PORT}"\nb: ["${env.NONE:-dflt}", "${env.NONE:-}"]\nc: ${suite.dir}/x-${matrix.key}\nd: ${pki.server.sha1} ${pki.root.crl}\ne: $${env.HOST}\nf: 7\n',
    ),
    {
      a: "10.0.0.1:104",
      b: ["dflt", ""],
      c: "/s/x-rsa-2048",
      d: "AB /p/root.crl",
      e: "${env.HOST}",
      f: 7,
    },
  );
});

Deno.test("interpolate() names what is defined when a variable is not", () => {
  assert.throws(() => run("x:\n  y: pre ${set.NOPE}\n"), {
    message:
      "s.yaml:2:10: undefined variable '${set.NOPE}' (hint: pass --set NOPE=VALUE, or give a default: ${set.NOPE:-VALUE}; defined --set keys: set.PORT)",
  });
  assert.throws(() => run("x: ${matrix.tls}\n"), /defined matrix keys: matrix.key/);
  assert.throws(() => run("x: ${env.NOPE}\n"), /give a default: \$\{env.NOPE:-VALUE\}/);
  assert.throws(
    () => run("x: ${pki.sever.crt}\n"),
    /unknown PKI name 'sever'.*did you mean 'server'/,
  );
  assert.throws(() => run("x: ${pki.server.crl}\n"), /has no crl/);
  assert.throws(() => run("x: ${pki.server.pem}\n"), /unknown PKI field 'pem'/);
  assert.throws(() => run("x: ${foo}\n"), /variables are env.NAME, set.KEY/);
  assert.throws(() => run("x: '${env.HOST'\n"), /s.yaml:1:5: unterminated/);
});

Deno.test("interpolate() takes a name an object inherits (constructor, toString) for undefined, with its hint", () => {
  for (
    const expr of [
      "set.constructor",
      "set.hasOwnProperty",
      "env.toString",
      "matrix.constructor",
      "pki.constructor.crt",
      "pki.server.constructor",
    ]
  ) {
    assert.throws(
      () => run(`a: "\${${expr}}"\n`),
      (e) =>
        e instanceof InputError && /^(undefined variable|unknown PKI)/.test(e.detail) &&
        e.location?.line === 1 && (e.hint ?? "").length > 0,
      expr,
    );
  }
});

Deno.test("interpolate() says variables do not nest, at the outer '${'", () => {
  assert.throws(
    () => run('a: "x ${env.${set.PORT}}"\n'),
    (e) =>
      e instanceof InputError && /variables do not nest/.test(e.message) &&
      e.location?.column === 7,
  );
});
