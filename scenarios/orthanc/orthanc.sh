#!/bin/sh
# Starts Orthanc for scenarios/orthanc/orthanc.yaml: writes orthanc.json.in
# (or the TEMPLATE given, e.g. orthanc-scu.json.in) with the values below into
# a fresh storage folder, then execs Orthanc, so the PID the runner stops is
# Orthanc's own.
#
#   DICOM_PORT=11112 AET=ORTHANC HARNESS_AET=DICOMTLS \
#   TLS_CERT=server.chain TLS_KEY=server.key TLS_TRUST=root.crt ./orthanc.sh
#
# orthanc-scu.json.in also takes HTTP_PORT (its REST API) and HARNESS_PORT
# (where its modalities, our listener, are).
#
# TLS_* must be absolute paths (Orthanc resolves relative ones from its own
# working folder). The storage folder is ${TMPDIR:-/tmp}/dicomtls-orthanc-PORT,
# emptied at each start (Orthanc cannot remove it after exec).
set -eu
: "${DICOM_PORT:?}" "${AET:?}" "${HARNESS_AET:?}" "${TLS_CERT:?}" "${TLS_KEY:?}" "${TLS_TRUST:?}"
dir="${TMPDIR:-/tmp}/dicomtls-orthanc-$DICOM_PORT"
rm -rf "$dir"
mkdir -p "$dir"
# For a sed replacement: escape \ & and the | delimiter.
esc() { printf '%s' "$1" | sed 's/[\\&|]/\\&/g'; }
sed -e "s|@STORAGE@|$(esc "$dir/db")|g" \
  -e "s|@AET@|$(esc "$AET")|g" \
  -e "s|@DICOM_PORT@|$(esc "$DICOM_PORT")|g" \
  -e "s|@TLS_CERT@|$(esc "$TLS_CERT")|g" \
  -e "s|@TLS_KEY@|$(esc "$TLS_KEY")|g" \
  -e "s|@TLS_TRUST@|$(esc "$TLS_TRUST")|g" \
  -e "s|@HARNESS_AET@|$(esc "$HARNESS_AET")|g" \
  -e "s|@HARNESS_PORT@|$(esc "${HARNESS_PORT:-104}")|g" \
  -e "s|@HTTP_PORT@|$(esc "${HTTP_PORT:-8042}")|g" \
  "$(dirname "$0")/${TEMPLATE:-orthanc.json.in}" >"$dir/orthanc.json"
exec Orthanc "$dir/orthanc.json"
