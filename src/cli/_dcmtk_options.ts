/**
 * DCMTK's spellings (echoscu, storescu, storescp) of what our flags do, for
 * people who type them from habit: `-aec STORESCP` gets "did you mean
 * --called (DCMTK's -aec)?". Long DCMTK names are listed too, and `+` options
 * (`+tls`, `+cf`), which our parser would otherwise take for positionals.
 */
const DCMTK: Record<string, { flag: string; note?: string }> = {
  "-aec": { flag: "--called" },
  "--call": { flag: "--called" },
  "-aet": { flag: "--calling" },
  "--aetitle": { flag: "--calling" },
  "+tls": { flag: "--cert F --key F", note: "TLS is on by default; --no-tls turns it off" },
  "--enable-tls": { flag: "--cert F --key F", note: "TLS is on by default" },
  "+cf": { flag: "--ca" },
  "--add-cert-file": { flag: "--ca" },
  "+cd": { flag: "--ca", note: "one --ca per certificate file" },
  "--add-cert-dir": { flag: "--ca", note: "one --ca per certificate file" },
  "-ic": { flag: "--verify none" },
  "--ignore-peer-cert": { flag: "--verify none" },
  "-rc": { flag: "--verify chain" },
  "--require-peer-cert": { flag: "--verify chain" },
  "-vc": { flag: "--verify chain" },
  "-to": { flag: "--timeout" },
  "-ta": { flag: "--timeout" },
  "--acse-timeout": { flag: "--timeout" },
  "-td": { flag: "--timeout" },
  "--dimse-timeout": { flag: "--timeout" },
  "+py": { flag: "--tls-min 1.2", note: "BCP 195 non-downgrading: TLS 1.2 and 1.3" },
  "+pz": { flag: "--tls-min 1.2 --tls-max 1.2", note: "extended BCP 195: TLS 1.2 only" },
  "+px": { flag: "--tls-max 1.0", note: "BCP 195 with TLS 1.0/1.1: probes the legacy handshake" },
  "-d": { flag: "--json", note: "the Outcome record holds every stage's detail" },
  "--debug": { flag: "--json", note: "the Outcome record holds every stage's detail" },
};

// Only the `echo`, `store` and `serve` commands speak DCMTK's language.
const SERVE: Record<string, { flag: string; note?: string }> = {
  "-aet": { flag: "--ae" },
  "--aetitle": { flag: "--ae" },
  "-od": { flag: "--storage" },
  "--output-directory": { flag: "--storage" },
};

/**
 * Our flag for a DCMTK option as a hint, or undefined when `option` is not
 * one we know (or our equivalent is not a flag of `command`).
 *
 * @example
 * ```ts
 * import { dcmtkHint } from "./_dcmtk_options.ts";
 * dcmtkHint("-aec", { command: "echo", flags: ["called"] }); // "did you mean --called (DCMTK's -aec)?"
 * ```
 */
export function dcmtkHint(
  option: string,
  options: { command: string; flags: readonly string[] },
): string | undefined {
  const found = (options.command === "serve" ? SERVE[option] : undefined) ?? DCMTK[option];
  if (!found) return undefined;
  const name = found.flag.split(" ")[0].slice(2);
  if (!options.flags.includes(name)) return undefined;
  return `did you mean ${found.flag} (DCMTK's ${option})?${found.note ? ` ${found.note}` : ""}`;
}
