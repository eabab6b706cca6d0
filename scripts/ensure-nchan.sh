#!/usr/bin/env bash
# Makes sure nginx with the Nchan module exists for the tests that hold the simulation against a
# real server (tests/servers), installing Debian's nginx-light and libnginx-mod-nchan when we are
# root on a machine with apt-get.
set -euo pipefail

nginx="${NGINX_PATH:-/usr/sbin/nginx}"
module="${NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}"

if [[ -x "$nginx" && -r "$module" ]]; then
  echo "ensure-nchan: using $nginx with $module"
  exit 0
fi

if [[ -z "${NGINX_PATH:-}${NCHAN_MODULE:-}" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "ensure-nchan: no nginx with Nchan found; installing Debian's nginx-light and libnginx-mod-nchan"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' scripts would start nginx as a service; nothing here needs one.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update
  apt-get install -y --no-install-recommends nginx-light libnginx-mod-nchan
  if [[ -x "$nginx" && -r "$module" ]]; then
    echo "ensure-nchan: installed $nginx and $module"
    exit 0
  fi
  echo "ensure-nchan: apt-get installed the packages, but $nginx or $module is missing." >&2
  exit 1
fi

cat >&2 <<MESSAGE
ensure-nchan: the real-server tests need nginx with the Nchan module, and $nginx or $module is missing.
Either
  - install the Debian/Ubuntu packages:  sudo apt-get update && sudo apt-get install nginx-light libnginx-mod-nchan
  - or set NGINX_PATH and NCHAN_MODULE to an nginx and the dynamic module ngx_nchan_module.so
    built for it (https://nchan.io).
MESSAGE
exit 1
