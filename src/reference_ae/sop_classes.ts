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

// Storage SOP classes of PS3.4 B.5: the 30 that dcmjs's dictionary names (taken
// from it once, so that the AE needs no DICOM library at run time)...
const DICTIONARY_STORAGE = [
  "1.2.840.10008.5.1.4.1.1.2", // CT Image
  "1.2.840.10008.5.1.4.1.1.2.1", // Enhanced CT Image
  "1.2.840.10008.5.1.4.1.1.2.2", // Legacy Converted Enhanced CT Image
  "1.2.840.10008.5.1.4.1.1.3.1", // US Multiframe Image
  "1.2.840.10008.5.1.4.1.1.4", // MR Image
  "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR Image
  "1.2.840.10008.5.1.4.1.1.4.2", // MR Spectroscopy
  "1.2.840.10008.5.1.4.1.1.4.3", // Enhanced MR Color Image
  "1.2.840.10008.5.1.4.1.1.4.4", // Legacy Converted Enhanced MR Image
  "1.2.840.10008.5.1.4.1.1.6.1", // US Image
  "1.2.840.10008.5.1.4.1.1.6.2", // Enhanced US Volume
  "1.2.840.10008.5.1.4.1.1.7", // Secondary Capture Image
  "1.2.840.10008.5.1.4.1.1.20", // NM Image
  "1.2.840.10008.5.1.4.1.1.30", // Parametric Map Storage
  "1.2.840.10008.5.1.4.1.1.66", // Raw Data
  "1.2.840.10008.5.1.4.1.1.66.1", // Spatial Registration
  "1.2.840.10008.5.1.4.1.1.66.2", // Spatial Fiducials
  "1.2.840.10008.5.1.4.1.1.66.3", // Deformable Spatial Registration
  "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
  "1.2.840.10008.5.1.4.1.1.66.7", // Labelmap Segmentation
  "1.2.840.10008.5.1.4.1.1.67", // Real World Value Mapping
  "1.2.840.10008.5.1.4.1.1.77.1.5.1", // Ophthalmic Photography8 Bit Image
  "1.2.840.10008.5.1.4.1.1.77.1.5.4", // Ophthalmic Tomography Image
  "1.2.840.10008.5.1.4.1.1.88.11", // Basic Text SR
  "1.2.840.10008.5.1.4.1.1.88.22", // Enhanced SR
  "1.2.840.10008.5.1.4.1.1.88.33", // Comprehensive SR
  "1.2.840.10008.5.1.4.1.1.88.34", // Comprehensive3 DSR
  "1.2.840.10008.5.1.4.1.1.128", // PET Image
  "1.2.840.10008.5.1.4.1.1.128.1", // Legacy Converted Enhanced PET Image
  "1.2.840.10008.5.1.4.1.1.130", // Enhanced PET Image
];

// ...and the common ones it leaves out.
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

/** Storage SOP Class UIDs the AE accepts (PS3.4 B.5): the common image and document classes. */
export const STORAGE_SOP_CLASSES: readonly string[] = [
  ...new Set([...DICTIONARY_STORAGE, ...COMMON_STORAGE]),
].sort();
