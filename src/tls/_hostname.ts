import type { ParsedCertificate } from "./_parsed.ts";

/**
 * Why `hostname` (DNS name or IP address) does not match the certificate's
 * subjectAltName, or undefined when it matches. SAN only (RFC 6125, no CN
 * fallback); a `*.` wildcard covers exactly one leftmost label.
 */
export function hostnameProblem(cert: ParsedCertificate, hostname: string): string | undefined {
  const names = cert.altNames;
  const wanted = hostname.toLowerCase().replace(/\.$/, "").replace(/^\[(.*)\]$/, "$1");
  const isIp = /^[\d.]+$/.test(wanted) || wanted.includes(":");
  const match = names.some((n) => {
    if (isIp) return n.type === "ip" && sameIp(n.value, wanted);
    if (n.type !== "dns") return false;
    const pattern = n.value.toLowerCase();
    if (pattern.startsWith("*.")) {
      const dot = wanted.indexOf(".");
      return dot > 0 && wanted.slice(dot) === pattern.slice(1);
    }
    return pattern === wanted;
  });
  if (match) return undefined;
  const san = names.map((n) => `${n.type === "ip" ? "IP" : "DNS"}:${n.value}`).join(", ");
  return `${
    isIp ? "IP address" : "host name"
  } ${hostname} is not in the subjectAltName of ${cert.subject} (${san || "none"})`;
}

function sameIp(a: string, b: string): boolean {
  return expand(a) === expand(b);
}

// IPv6 text has many spellings ("::1", "0:0:0:0:0:0:0:1"): compare the expanded form.
function expand(ip: string): string {
  const lower = ip.toLowerCase();
  if (!lower.includes(":")) return lower;
  const [head, tail = ""] = lower.split("::");
  const h = head ? head.split(":") : [];
  const t = lower.includes("::") && tail ? tail.split(":") : [];
  const fill = lower.includes("::") ? Array(8 - h.length - t.length).fill("0") : [];
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}
