#!/usr/bin/env bash
# Backups of the portal: the PostgreSQL database (pg_dump, custom format) and the uploaded files
# (a tar of the media directory), kept by a retention policy. The `backup` service of
# docker-compose.yml runs `backup.sh schedule`; tests/test_backup.py runs `backup.sh run` and
# `backup.sh restore` against the test database, so what CI proves is this very script.
# docs/DEPLOYMENT.md, section «Резервные копии», shows the restore step by step.
#
#   backup.sh run              one backup now, then the retention policy
#   backup.sh schedule         a backup at start when the newest is older than a day, then every day
#                              at BACKUP_AT (the service's command; stops only with the container)
#   backup.sh check            exit 0 when the newest complete backup is younger than
#                              BACKUP_MAX_AGE_HOURS (the service's health check)
#   backup.sh list             the complete backups, newest first
#   backup.sh restore DIR      the database and the files of one backup (a folder below daily/ or
#                              weekly/, or one copied in from elsewhere) into DATABASE_URL and
#                              MEDIA_DIR; the database must exist (it is cleaned first: --clean
#                              --if-exists), MEDIA_DIR is emptied
#
# Environment (the compose file passes .env):
#   DATABASE_URL          postgres://USER:PASSWORD@HOST:PORT/DB — the portal's own variable; libpq
#                         reads the URI as it is
#   MEDIA_DIR             the uploaded files (the `media` volume)
#   BACKUP_DIR            where backups go (the `backups` volume): daily/ and weekly/ below it
#   BACKUP_KEEP_DAILY     how many daily backups to keep (default 7)
#   BACKUP_KEEP_WEEKLY    how many weekly backups to keep (default 8); a daily backup is also kept
#                         as the week's when the newest weekly one is six days old or more
#   BACKUP_AT             time of the daily backup, HH:MM in the container's time zone (default 03:00)
#   BACKUP_MAX_AGE_HOURS  `check` fails when the newest backup is older (default 26)
#
# One backup is a folder named by its UTC time (2026-01-31T030000Z) holding db.dump, media.tar.gz and
# SHA256SUMS; SHA256SUMS is written last, so a folder without it is an interrupted backup: never
# counted, never restored, removed by the next run.
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-}
KEEP_DAILY=${BACKUP_KEEP_DAILY:-7}
KEEP_WEEKLY=${BACKUP_KEEP_WEEKLY:-8}
BACKUP_AT=${BACKUP_AT:-03:00}
MAX_AGE_HOURS=${BACKUP_MAX_AGE_HOURS:-26}
WEEK_SECONDS=$((6 * 24 * 3600))

log() { printf '%s backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

database_url() {
    local url=${DATABASE_URL:?DATABASE_URL: the database to back up}
    # django-environ also accepts postgresql://, pgsql:// and psql://; libpq only the first two.
    case $url in
        pgsql://* | psql://*) url="postgresql://${url#*://}" ;;
    esac
    printf '%s' "$url"
}

# Complete backups of one kind (daily or weekly), newest first.
complete() {
    local kind=$1 dir
    [[ -d $BACKUP_DIR/$kind ]] || return 0
    for dir in $(find "$BACKUP_DIR/$kind" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -r); do
        [[ -f $BACKUP_DIR/$kind/$dir/SHA256SUMS ]] && printf '%s\n' "$BACKUP_DIR/$kind/$dir"
    done
    return 0
}

# Seconds since the backup in folder $1 was taken (from its name).
age_of() {
    local name stamp
    name=$(basename "$1")
    stamp="${name:0:10} ${name:11:2}:${name:13:2}:${name:15:2} UTC"
    echo $(($(date -u +%s) - $(date -u -d "$stamp" +%s)))
}

backup_now() {
    local name target media=${MEDIA_DIR:?MEDIA_DIR: the uploaded files}
    name=$(date -u +%Y-%m-%dT%H%M%SZ)
    target=$BACKUP_DIR/daily/$name
    mkdir -p "$BACKUP_DIR/daily" "$BACKUP_DIR/weekly"
    # Interrupted backups (no SHA256SUMS) of an earlier run go first.
    find "$BACKUP_DIR/daily" "$BACKUP_DIR/weekly" -mindepth 1 -maxdepth 1 -type d \
        ! -exec test -f '{}/SHA256SUMS' ';' -exec rm -rf '{}' +
    mkdir "$target"
    log "database → $target/db.dump"
    # Custom format: compressed, and pg_restore can restore it into another database, clean first.
    pg_dump --format=custom --no-password --file="$target/db.dump" --dbname="$(database_url)"
    pg_restore --list "$target/db.dump" >/dev/null # readable to the end
    log "files of $media → $target/media.tar.gz"
    tar -czf "$target/media.tar.gz" -C "$media" .
    (cd "$target" && sha256sum db.dump media.tar.gz >SHA256SUMS.part && mv SHA256SUMS.part SHA256SUMS)
    log "done: $target ($(du -sh "$target" | cut -f1))"

    # The week's backup: a hard-linked copy (no extra space) when the newest is six days old or more.
    local newest_weekly
    newest_weekly=$(complete weekly | head -n 1)
    if [[ -z $newest_weekly ]] || (($(age_of "$newest_weekly") >= WEEK_SECONDS)); then
        cp -al "$target" "$BACKUP_DIR/weekly/$name"
        log "kept as the week's backup: $BACKUP_DIR/weekly/$name"
    fi
    prune daily "$KEEP_DAILY"
    prune weekly "$KEEP_WEEKLY"
}

prune() {
    local kind=$1 keep=$2 old
    complete "$kind" | tail -n "+$((keep + 1))" | while read -r old; do
        log "retention ($kind, keep $keep): removing $old"
        rm -rf "$old"
    done
}

check() {
    local newest
    newest=$(complete daily | head -n 1)
    if [[ -z $newest ]]; then
        echo "no complete backup in $BACKUP_DIR/daily" >&2
        return 1
    fi
    if (($(age_of "$newest") > MAX_AGE_HOURS * 3600)); then
        echo "the newest backup $newest is older than $MAX_AGE_HOURS hours" >&2
        return 1
    fi
    echo "$newest"
}

restore() {
    local source=${1:?backup.sh restore DIR (one backup: db.dump, media.tar.gz, SHA256SUMS)}
    local media=${MEDIA_DIR:?MEDIA_DIR: where to put the files}
    [[ -f $source/SHA256SUMS ]] || { echo "$source is not a complete backup" >&2; return 1; }
    (cd "$source" && sha256sum --check --quiet SHA256SUMS)
    log "database ← $source/db.dump"
    # Objects are created as the connecting role (--no-owner, --no-acl), so a backup restores into
    # a database of another role or server; --clean --if-exists drops what is there first.
    pg_restore --no-password --clean --if-exists --no-owner --no-acl --exit-on-error \
        --dbname="$(database_url)" "$source/db.dump"
    log "files ← $source/media.tar.gz into $media"
    mkdir -p "$media"
    find "$media" -mindepth 1 -delete
    tar -xzf "$source/media.tar.gz" -C "$media"
    log "restored from $source"
}

# A backup in a process of its own: bash ignores `set -e` in a function called left of `||`, and a
# failed pg_dump must stop the backup before SHA256SUMS marks it complete.
run_in_child() { bash "${BASH_SOURCE[0]}" run; }

schedule() {
    log "daily at $BACKUP_AT; keeping $KEEP_DAILY daily and $KEEP_WEEKLY weekly backups in $BACKUP_DIR"
    local newest
    newest=$(complete daily | head -n 1)
    if [[ -z $newest ]] || (($(age_of "$newest") >= 24 * 3600)); then
        run_in_child || log "FAILED (will try again at $BACKUP_AT)"
    fi
    while true; do
        local now next
        now=$(date +%s)
        next=$(date -d "today $BACKUP_AT" +%s)
        ((next > now)) || next=$(date -d "tomorrow $BACKUP_AT" +%s)
        sleep $((next - now))
        run_in_child || log "FAILED (will try again tomorrow at $BACKUP_AT)"
    done
}

case ${1:-} in
    run | schedule | check | list) : "${BACKUP_DIR:?BACKUP_DIR: where the backups are}" ;;
esac
case ${1:-} in
    run) backup_now ;;
    schedule) schedule ;;
    check) check ;;
    list) complete daily; complete weekly ;;
    restore) restore "${2:-}" ;;
    *)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2
        exit 2
        ;;
esac
