#!/bin/sh
# Build portfolio/static/vendor/pico-2.1.1.custom.min.css: Pico CSS 2.1.1 from its SCSS with the
# modules the app uses (pico.scss), the light scheme only, and the selectors that cannot match
# here dropped (unused-selectors.json). Same tools and versions as Pico's own release build
# (sass, autoprefixer, clean-css; package-lock.json): the same steps on Pico's own pico.scss
# give its pico.min.css byte for byte.
#
# Needs Node and npm, only when Pico's settings change; the built file is committed, so CI and
# deployments need neither. `tools/pico/build.sh --check` builds to a temporary file and fails
# when it differs from the committed one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$(cd "$here/../.." && pwd)/portfolio/static/vendor/pico-2.1.1.custom.min.css"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cp "$here/package.json" "$here/package-lock.json" "$here/postcss.config.cjs" \
  "$here/drop-unused.cjs" "$here/unused-selectors.json" "$work/"
cd "$work"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export BROWSERSLIST_IGNORE_OLD_DATA=1 # the data Pico 2.1.1 was built with, on purpose
npx sass --no-source-map --style expanded --no-error-css \
  --load-path=node_modules/@picocss/pico/scss "$here/pico.scss" pico.css
npx postcss --config . --replace pico.css
npx cleancss -O1 --with-rebase -o pico.min.css pico.css

if [ "${1:-}" = "--check" ]; then
  if cmp -s pico.min.css "$target"; then
    echo "$target is up to date"
  else
    echo "$target differs from a fresh build: run tools/pico/build.sh" >&2
    exit 1
  fi
else
  cp pico.min.css "$target"
  echo "$target: $(wc -c <pico.min.css) bytes, $(gzip -9c pico.min.css | wc -c) gzipped"
fi
