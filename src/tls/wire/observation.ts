/**
 * The observation types of a conversation (defined with the Outcome, which
 * carries them: src/outcome/wire.ts).
 */
export type {
  WireAlert,
  WireClose,
  WireDirection,
  WireDirectionName,
  WireObservation,
  WireRecord,
} from "../../outcome/wire.ts";
