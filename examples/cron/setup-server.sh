#!/bin/sh
# Set up the nightly zi-audit run on a Linux server, as README "Nightly scan" describes.
# Run as root, once; running it again changes nothing that is already right.
#
#   sh examples/cron/setup-server.sh
#
# What it does, each step also fine to do by hand:
#   1. a system user (zi-audit) that owns the state and log directories and runs the job;
#   2. /var/lib/zi-audit (0700) and /var/log/zi-audit (0750), owned by that user;
#   3. /etc/zi-audit/zi-audit.yaml from examples/cron/zi-audit.yaml, if there is none yet
#      (edit it: root, email), with `user: zi-audit` so zi-audit refuses to make root-owned
#      state behind the job's back;
#   4. `zi-audit config check` and the first scan AS THAT USER, with the empty environment
#      cron gives a job (env -i): a first scan run as root would leave a root-owned state
#      directory that every later nightly run cannot use.
# Then schedule it (systemd timer or crontab -u zi-audit, see beside this file).
#
# Settings (environment): ZI_AUDIT (the program, default /opt/zi-audit/.venv/bin/zi-audit),
# ZI_USER (default zi-audit), PREFIX (default empty: the real /etc, /var; a test or a trial
# run sets a throwaway folder), SHARE (the evidence share, default: the example config's).
set -eu

ZI_AUDIT=${ZI_AUDIT:-/opt/zi-audit/.venv/bin/zi-audit}
ZI_USER=${ZI_USER:-zi-audit}
PREFIX=${PREFIX:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ETC=$PREFIX/etc/zi-audit
STATE=$PREFIX/var/lib/zi-audit
LOGS=$PREFIX/var/log/zi-audit
CONFIG=$ETC/zi-audit.yaml

if [ "$(id -u)" != 0 ]; then
    echo "setup-server.sh: run as root (it creates a user and directories)" >&2
    exit 2
fi
[ -x "$ZI_AUDIT" ] || { echo "setup-server.sh: $ZI_AUDIT not found (set ZI_AUDIT)" >&2; exit 2; }

# 1. The job's user: no login, no home of its own beyond the state directory.
if ! id "$ZI_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$STATE" --shell /usr/sbin/nologin "$ZI_USER"
fi

# 2. Its directories: state private, logs readable by the admin's group.
install -d -o "$ZI_USER" -g "$ZI_USER" -m 0700 "$STATE"
install -d -o "$ZI_USER" -g "$ZI_USER" -m 0750 "$LOGS"
install -d -m 0755 "$ETC"

# 3. The configuration, once; paths follow PREFIX, the share follows SHARE.
if [ ! -e "$CONFIG" ]; then
    sed -e "s|/var/lib/zi-audit|$STATE|g" -e "s|/var/log/zi-audit|$LOGS|g" \
        -e "s|/etc/zi-audit|$ETC|g" \
        ${SHARE:+-e "s|^root: [^ ]*|root: $SHARE|"} \
        "$HERE/zi-audit.yaml" >"$CONFIG"
    printf 'user: %s                     # the job runs as this user; zi-audit checks it\n' \
        "$ZI_USER" >>"$CONFIG"
    chmod 0644 "$CONFIG"
fi

# 4. Checked and first run as the job's user, in cron's empty environment.
as_job() {
    runuser -u "$ZI_USER" -- env -i PATH=/usr/bin:/bin PYTHONUTF8=1 \
        ${ZI_AUDIT_SYSTEM_CONFIG:+ZI_AUDIT_SYSTEM_CONFIG=$ZI_AUDIT_SYSTEM_CONFIG} "$@"
}
as_job "$ZI_AUDIT" config check --config "$CONFIG"
as_job "$ZI_AUDIT" scan --config "$CONFIG" --quiet --format html --output "$STATE/laporan.html"
echo "zi-audit: set up; the first report is $STATE/laporan.html. Now schedule it (README)."
