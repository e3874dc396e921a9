#!/usr/bin/env bash
# Installs the pinned infrastructure binaries that `npm test` and `npm start` run locally
# when no Docker engine is available: nats-server, FerretDB (MongoDB wire protocol over
# SQLite) and, optionally, the nats CLI. Idempotent: a binary of the right version on PATH
# or in $(go env GOPATH)/bin is left alone. Needs Go >= 1.26.
set -euo pipefail

readonly NATS_SERVER_VERSION=v2.14.9
readonly NATS_CLI_VERSION=v0.3.0
readonly FERRETDB_VERSION=v1.24.2

log() { echo "install-tools: $*"; }

# Runs a command, showing its (chatty) output only when it fails.
quietly() {
  local out
  if ! out="$("$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build the tools (Go >= 1.26, https://go.dev/dl/)" >&2
  exit 1
fi

BIN_DIR="$(go env GOPATH)/bin"
mkdir -p "$BIN_DIR"
export GOBIN="$BIN_DIR"

# Prints the path of a binary called $1 whose `$1 $2` output contains $3, or nothing.
find_installed() {
  local name=$1 version_flag=$2 expected=$3 candidate
  for candidate in "$(command -v "$name" 2>/dev/null || true)" "$BIN_DIR/$name"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] &&
      [[ "$("$candidate" "$version_flag" 2>&1)" == *"$expected"* ]]; then
      echo "$candidate"
      return 0
    fi
  done
}

# Installs $1 with $4 unless `$1 $2` already reports version $3; fails if it still doesn't.
ensure() {
  local name=$1 version_flag=$2 expected=$3 installer=$4 found
  found="$(find_installed "$name" "$version_flag" "$expected")"
  if [ -n "$found" ]; then
    log "$name $expected already installed at $found"
    warn_if_shadowed "$name" "$found"
    return 0
  fi
  log "installing $name $expected into $BIN_DIR ..."
  "$installer"
  found="$(find_installed "$name" "$version_flag" "$expected")"
  if [ -z "$found" ]; then
    log "$name: installed binary does not report version $expected" >&2
    return 1
  fi
  log "installed $name $expected at $found"
  warn_if_shadowed "$name" "$found"
}

# The tests and `npm start` take the first binary on PATH.
warn_if_shadowed() {
  local on_path
  on_path="$(command -v "$1" 2>/dev/null || true)"
  if [ -n "$on_path" ] && [ "$on_path" != "$2" ]; then
    log "warning: $on_path comes first on PATH but is not $2; put $BIN_DIR first" >&2
  fi
}

# `go install pkg@version` checks the module's deprecation through the proxy's version list,
# which the proxy refuses for some modules (natscli). Installing from inside a throwaway
# module that requires the pinned version skips that check.
go_install() {
  local pkg=$1 version=$2 work status
  if go install "$pkg@$version" >/dev/null 2>&1; then return 0; fi
  log "go install $pkg@$version failed; retrying through a temporary module"
  work="$(mktemp -d)"
  (cd "$work" && quietly go mod init tmp/install && quietly go get "$pkg@$version" &&
    go install "$pkg") || status=$?
  rm -rf "$work"
  return "${status:-0}"
}

install_nats_server() { go_install github.com/nats-io/nats-server/v2 "$NATS_SERVER_VERSION"; }
install_nats_cli() { go_install github.com/nats-io/natscli/nats "$NATS_CLI_VERSION"; }

# `go install ...@version` is refused by the module proxy for FerretDB, and a plain build
# panics at start-up because build/version/version.txt is generated from git in their repo.
# So: fetch the module through a throwaway module, copy it out of the read-only module
# cache, write version.txt and build from the copy.
install_ferretdb() {
  local work status
  work="$(mktemp -d)"
  (
    cd "$work" &&
      quietly go mod init tmp/fdb &&
      quietly go get "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION" &&
      cp -r "$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$FERRETDB_VERSION" src &&
      chmod -R u+w src &&
      echo "$FERRETDB_VERSION" >src/build/version/version.txt &&
      cd src && go build -o "$BIN_DIR/ferretdb" ./cmd/ferretdb
  ) || status=$?
  rm -rf "$work"
  return "${status:-0}"
}

ensure nats-server --version "$NATS_SERVER_VERSION" install_nats_server
ensure ferretdb --version "$FERRETDB_VERSION" install_ferretdb
# The CLI is for operators only; nothing in the tests needs it.
if ! ensure nats --version "$NATS_CLI_VERSION" install_nats_cli; then
  log "warning: nats CLI $NATS_CLI_VERSION could not be installed (optional, continuing)" >&2
fi

case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) log "add $BIN_DIR to PATH to use these binaries" ;;
esac
