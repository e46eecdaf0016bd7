/** The DICOM application context name (PS3.7 Annex A.2.1). */
export const DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
/** Verification SOP Class (C-ECHO), PS3.4 Annex A. */
export const VERIFICATION_SOP_CLASS = "1.2.840.10008.1.1";
/** Implicit VR Little Endian, the default transfer syntax (PS3.5 10.1). */
export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
/** Explicit VR Little Endian (PS3.5 A.2). */
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** Our implementation class UID (a UUID-derived 2.25 UID, PS3.5 B.2). */
export const IMPLEMENTATION_CLASS_UID = "2.25.190118437651309234871638291546375283";
/** Our implementation version name (at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = "DICOMTLS_010";
