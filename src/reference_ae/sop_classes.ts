import dcmjs from "dcmjs";
import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from "../ul/uids.ts";

// Native transfer syntaxes only the SCP needs (PS3.5 A.5, A.3); the upper layer has the other two.
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

/**
 * Encapsulated (compressed) transfer syntaxes we store as received: the AE
 * keeps the bytes and only reads the attributes, so any of them is fine.
 */
const ENCAPSULATED = [
  "1.2.840.10008.1.2.4.50", // JPEG Baseline
  "1.2.840.10008.1.2.4.51", // JPEG Extended
  "1.2.840.10008.1.2.4.57", // JPEG Lossless
  "1.2.840.10008.1.2.4.70", // JPEG Lossless SV1
  "1.2.840.10008.1.2.4.80", // JPEG-LS Lossless
  "1.2.840.10008.1.2.4.81", // JPEG-LS Near-Lossless
  "1.2.840.10008.1.2.4.90", // JPEG 2000 Lossless
  "1.2.840.10008.1.2.4.91", // JPEG 2000
  "1.2.840.10008.1.2.4.201", // HTJ2K Lossless
  "1.2.840.10008.1.2.4.202", // HTJ2K Lossless RPCL
  "1.2.840.10008.1.2.4.203", // HTJ2K
  "1.2.840.10008.1.2.5", // RLE Lossless
];

/** Transfer syntaxes the AE accepts for Verification, in its order of preference. */
export const VERIFICATION_TRANSFER_SYNTAXES: readonly string[] = [
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
];

/** Transfer syntaxes the AE accepts for Storage, in its order of preference. */
export const STORAGE_TRANSFER_SYNTAXES: readonly string[] = [
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  ...ENCAPSULATED,
];

// Common Storage SOP classes (PS3.4 B.5) that dcmjs's dictionary leaves out.
const COMMON_STORAGE = [
  "1.2.840.10008.5.1.4.1.1.1", // CR Image
  "1.2.840.10008.5.1.4.1.1.1.1", // Digital X-Ray Image - For Presentation
  "1.2.840.10008.5.1.4.1.1.1.1.1", // Digital X-Ray Image - For Processing
  "1.2.840.10008.5.1.4.1.1.1.2", // Digital Mammography X-Ray Image - For Presentation
  "1.2.840.10008.5.1.4.1.1.1.2.1", // Digital Mammography X-Ray Image - For Processing
  "1.2.840.10008.5.1.4.1.1.1.3", // Digital Intra-Oral X-Ray Image - For Presentation
  "1.2.840.10008.5.1.4.1.1.7.1", // Multi-frame Single Bit Secondary Capture
  "1.2.840.10008.5.1.4.1.1.7.2", // Multi-frame Grayscale Byte Secondary Capture
  "1.2.840.10008.5.1.4.1.1.7.3", // Multi-frame Grayscale Word Secondary Capture
  "1.2.840.10008.5.1.4.1.1.7.4", // Multi-frame True Color Secondary Capture
  "1.2.840.10008.5.1.4.1.1.11.1", // Grayscale Softcopy Presentation State
  "1.2.840.10008.5.1.4.1.1.12.1", // X-Ray Angiographic Image
  "1.2.840.10008.5.1.4.1.1.12.2", // X-Ray Radiofluoroscopic Image
  "1.2.840.10008.5.1.4.1.1.13.1.1", // X-Ray 3D Angiographic Image
  "1.2.840.10008.5.1.4.1.1.13.1.3", // Breast Tomosynthesis Image
  "1.2.840.10008.5.1.4.1.1.77.1.1", // VL Endoscopic Image
  "1.2.840.10008.5.1.4.1.1.77.1.4", // VL Photographic Image
  "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection Document
  "1.2.840.10008.5.1.4.1.1.104.1", // Encapsulated PDF
  "1.2.840.10008.5.1.4.1.1.481.1", // RT Image
  "1.2.840.10008.5.1.4.1.1.481.2", // RT Dose
  "1.2.840.10008.5.1.4.1.1.481.3", // RT Structure Set
  "1.2.840.10008.5.1.4.1.1.481.5", // RT Plan
  "1.2.840.10008.5.1.4.1.1.9.1.1", // 12-lead ECG Waveform
];

/**
 * Storage SOP Class UIDs the AE accepts: dcmjs's dictionary
 * (`DicomMetaDictionary.sopClassNamesByUID`) plus the common ones it lacks.
 */
export const STORAGE_SOP_CLASSES: readonly string[] = [
  ...new Set([
    ...Object.keys(dcmjs.data.DicomMetaDictionary.sopClassNamesByUID as Record<string, string>),
    ...COMMON_STORAGE,
  ]),
].sort();
