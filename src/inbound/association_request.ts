import type { AssociationRequestInfo, UserIdentityInfo } from "../outcome/mod.ts";
import type { AAssociateRq, PresentationContextAc, UserIdentityRq } from "../ul/mod.ts";
import { terminalSafe } from "../text/mod.ts";

const IDENTITY_TYPES: Record<number, string> = {
  1: "username",
  2: "username-and-passcode",
  3: "kerberos",
  4: "saml",
  5: "jwt",
};

/**
 * The A-ASSOCIATE-RQ an SCU under test sent, as plain data for the Outcome,
 * with our answer to each presentation context (absent when we rejected
 * the association). User identity keeps the user name of types 1 and 2
 * but never a passcode or a token: only their presence and length.
 *
 * @example
 * ```ts
 * import { describeAssociationRequest } from "./association_request.ts";
 * import type { AAssociateRq } from "../ul/mod.ts";
 * declare const rq: AAssociateRq;
 * describeAssociationRequest(rq).callingAe; // "MODALITY"
 * ```
 */
export function describeAssociationRequest(
  rq: AAssociateRq,
  answers: readonly PresentationContextAc[] = [],
): AssociationRequestInfo {
  const u = rq.userInformation;
  const answer = new Map(answers.map((a) => [a.id, a]));
  return {
    callingAe: rq.callingAe.trimEnd(),
    calledAe: rq.calledAe.trimEnd(),
    applicationContext: rq.applicationContext,
    presentationContexts: rq.presentationContexts.map((pc) => {
      const a = answer.get(pc.id);
      return {
        id: pc.id,
        abstractSyntax: pc.abstractSyntax,
        transferSyntaxes: [...pc.transferSyntaxes],
        ...(a ? { result: a.result } : {}),
        ...(a?.result === "acceptance" && a.transferSyntax
          ? { transferSyntax: a.transferSyntax }
          : {}),
      };
    }),
    ...(u.maxPduLength !== undefined ? { maxPduLength: u.maxPduLength } : {}),
    ...(u.implementationClassUid ? { implementationClassUid: u.implementationClassUid } : {}),
    ...(u.implementationVersionName
      ? { implementationVersionName: u.implementationVersionName }
      : {}),
    ...(u.userIdentity ? { userIdentity: describeUserIdentity(u.userIdentity) } : {}),
    ...(u.roleSelections ? { roleSelections: u.roleSelections.map((r) => ({ ...r })) } : {}),
    ...(u.asynchronousOperationsWindow
      ? { asynchronousOperationsWindow: { ...u.asynchronousOperationsWindow } }
      : {}),
  };
}

/**
 * The User Identity sub-item without its secrets (PS3.7 D.3.3.7.1): the user
 * name of types 1 and 2 made printable (at most 64 characters), never the
 * passcode, a Kerberos ticket, a SAML assertion or a JWT.
 *
 * @example
 * ```ts
 * import { describeUserIdentity } from "./association_request.ts";
 * const info = describeUserIdentity({
 *   identityType: 2, positiveResponseRequested: true,
 *   primaryField: new TextEncoder().encode("tech"), secondaryField: new TextEncoder().encode("pw"),
 * });
 * info.passcode; // true
 * ```
 */
export function describeUserIdentity(identity: UserIdentityRq): UserIdentityInfo {
  const type = identity.identityType;
  const named = type === 1 || type === 2;
  return {
    type,
    typeName: IDENTITY_TYPES[type] ?? `unknown-${type}`,
    positiveResponseRequested: identity.positiveResponseRequested,
    ...(named
      ? {
        username: terminalSafe(new TextDecoder().decode(identity.primaryField.slice(0, 64))),
      }
      : {}),
    primaryFieldLength: identity.primaryField.length,
    ...(type === 2 ? { passcode: identity.secondaryField.length > 0 } : {}),
  };
}
