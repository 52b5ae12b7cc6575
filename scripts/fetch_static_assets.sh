#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry with pinned versions.
#
# The map never loads anything from a CDN: Streamlit serves static/ at
# /app/static/ (server.enableStaticServing), and partnernetz/views/maps.py points
# folium at these files. Run this script to update or re-check them; the
# result is committed, so the app itself needs no network.
#
# Usage: scripts/fetch_static_assets.sh   (needs npm, tar, openssl)
set -euo pipefail

cd "$(dirname "$0")/.."
DEST=static/vendor

# package  version  npm dist.integrity (sha512 of the tarball)
PACKAGES=(
  "leaflet 1.9.4 sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  "leaflet.markercluster 1.5.3 sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA=="
  "jquery 3.7.1 sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg=="
)

# Files to keep from each package (paths inside the tarball's package/ folder).
files_for() {
  case "$1" in
    leaflet)
      echo LICENSE dist/leaflet.js dist/leaflet.js.map dist/leaflet.css \
        dist/images/layers.png dist/images/layers-2x.png dist/images/marker-icon.png \
        dist/images/marker-icon-2x.png dist/images/marker-shadow.png ;;
    leaflet.markercluster)
      echo MIT-LICENCE.txt dist/leaflet.markercluster.js dist/leaflet.markercluster.js.map \
        dist/MarkerCluster.css dist/MarkerCluster.Default.css ;;
    jquery)
      echo LICENSE.txt dist/jquery.min.js dist/jquery.min.map ;;
  esac
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for entry in "${PACKAGES[@]}"; do
  read -r name version integrity <<<"$entry"
  echo "fetching $name@$version"
  tarball=$(cd "$TMP" && npm pack --silent "$name@$version" 2>/dev/null | tail -n 1)
  actual="sha512-$(openssl dgst -sha512 -binary "$TMP/$tarball" | base64 | tr -d '\n')"
  if [[ "$actual" != "$integrity" ]]; then
    echo "integrity mismatch for $name@$version: $actual" >&2
    exit 1
  fi
  mkdir -p "$TMP/$name"
  tar -xzf "$TMP/$tarball" -C "$TMP/$name"
  rm -rf "${DEST:?}/$name"
  for file in $(files_for "$name"); do
    # dist/ is flattened: static/vendor/leaflet/leaflet.js, .../images/marker-icon.png
    target="$DEST/$name/${file#dist/}"
    mkdir -p "$(dirname "$target")"
    cp "$TMP/$name/package/$file" "$target"
  done
done

echo "done: $(find "$DEST" -type f ! -name README.md | wc -l) files under $DEST"
