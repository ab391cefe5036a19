#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those missing. Usage: install-system-deps.sh run|test
set -euo pipefail
common=(python3-venv python3-dev gcc fonts-wqy-microhei libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0
        libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0
        libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libpulse0 pcscd libpcsclite-dev)
test_only=(postgresql xvfb xauth nsis vsmartcard-vpcd poppler-utils)
case "${1:-test}" in
  run) wanted=("${common[@]}") ;;
  test) wanted=("${common[@]}" "${test_only[@]}") ;;
  *) echo "用法: $0 run|test" >&2; exit 2 ;;
esac
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包，请以 root 身份安装: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "安装系统软件包: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
