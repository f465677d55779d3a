#!/usr/bin/env bash
# Reproduces the import of the five seed articles (../shared/seeds) into site_src/articles/.
# Each command passes only what the text does not state; `digest add` prints what it inferred.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${SEEDS:-../shared/seeds}
digest=${DIGEST:-.venv/bin/digest}

# "MOSCOW, December 14." has no year; Kerry's visit "tomorrow" was on 15 December 2015.
# The text names no publication (an English machine translation of a Russian wire story).
"$digest" add "$seeds/000_267e9531c96d9baf.txt" --published 2015-12-14 \
  --source "Russian wire (English machine translation)"
# "ROME, 11 December." has no year: Lavrov met Gentiloni in Rome on 11 December 2015.
"$digest" add "$seeds/001_962b241333455358.txt" --published 2015-12-11 \
  --source "Russian wire (English machine translation)"
# Dateline "Xinhua, December 15, 2015": date and source are inferred.
"$digest" add "$seeds/002_54c50e800c7c6b28.txt"
# "14.11.2015 22:54" and "Источник: Спутник-Абхазия": date, time and source are inferred.
"$digest" add "$seeds/003_6dc8d5c0e8b16425.txt"
# "Military Review" (site name) above the headline is the source; there is no dateline.
# The first reader comment is dated 28 September 2015 06:02 (Moscow), after the
# Kerry-Lavrov press conference in New York on 27 September 2015.
"$digest" add "$seeds/004_2defbf39a6ebba5d.txt" --published 2015-09-27
