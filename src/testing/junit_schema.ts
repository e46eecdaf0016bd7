/**
 * The JUnit schemas the reporter's output is validated against with
 * `xmllint`: the Jenkins xunit plugin's junit-10.xsd as committed
 * (`fixtures/report/junit-10.xsd`), and the same schema with exactly two
 * optional attributes added to `testcase`, `file` and `line`, which CI
 * annotation tools read and junit-10.xsd does not allow.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/**
 * `fixtures/report/junit-10.xsd`, unchanged.
 *
 * @example
 * ```ts
 * import { JUNIT_10_XSD } from "./junit_schema.ts";
 * JUNIT_10_XSD.endsWith("fixtures/report/junit-10.xsd"); // true
 * ```
 */
export const JUNIT_10_XSD: string = fileURLToPath(
  new URL("../../fixtures/report/junit-10.xsd", import.meta.url),
);

// Where testcase's attributes are declared in junit-10.xsd: the two new ones go after `group`.
const TESTCASE_GROUP =
  /(<xs:element name="testcase">[\s\S]*?<xs:attribute name="group" type="xs:string"\/>)/;

/**
 * Writes junit-10.xsd with `file` (string) and `line` (non-negative
 * integer) allowed on `testcase` into `dir` and returns its path. Throws when
 * the fixture no longer has the place they go.
 *
 * @example
 * ```ts
 * import { junitXsdWithFileLine } from "./junit_schema.ts";
 * const xsd = await junitXsdWithFileLine(await Deno.makeTempDir());
 * ```
 */
export async function junitXsdWithFileLine(dir: string): Promise<string> {
  const original = await Deno.readTextFile(JUNIT_10_XSD);
  if (!TESTCASE_GROUP.test(original)) {
    throw new Error(`${JUNIT_10_XSD}: testcase's group attribute not found`);
  }
  const extended = original.replace(
    TESTCASE_GROUP,
    `$1\n            <xs:attribute name="file" type="xs:string"/>` +
      `\n            <xs:attribute name="line" type="xs:nonNegativeInteger"/>`,
  );
  const path = `${dir}/junit-10-file-line.xsd`;
  await Deno.writeTextFile(path, extended);
  return path;
}
