# Shared by the peer benchmarks (source it after setting root, cache and corpora):
#   publish_cli DIR      publishes the CLI as users run it (scripts/publish-cli.sh) into DIR and prints its path
#   ensure_corpora       generates the synthetic corpora named in $corpora under $cache/corpus, once
publish_cli() {
  echo "publishing the CLI (native front and full tool) ..." >&2
  "$root/scripts/publish-cli.sh" "$1" >&2
  echo "$1/imagingrepo"
}

ensure_corpora() {
  local corpus
  for corpus in $corpora; do
    if [ ! -f "$cache/corpus/$corpus.complete" ]; then
      echo "generating the $corpus corpus ..." >&2
      rm -rf "${cache:?}/corpus/$corpus"
      mkdir -p "$cache/corpus"
      dotnet run -c Release --project "$root/benchmarks/ImagingRepo.Benchmarks" -- dicom-corpus "$cache/corpus" "$corpus" >&2
      touch "$cache/corpus/$corpus.complete"
    fi
  done
}
