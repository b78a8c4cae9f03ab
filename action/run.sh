#!/usr/bin/env bash
# The reposcrub GitHub Action (action.yml) runs this script in three steps:
#
#   run.sh install   install reposcrub from the action's own checkout into a venv under
#                    $RUNNER_TEMP; skipped when REPOSCRUB_BIN is already set (tests, or a
#                    runner image with reposcrub preinstalled). Output: bin.
#   run.sh scan      scan once, writing the SARIF, the JSON and the HTML report. Exits 0
#                    whether or not there are findings, so that the reports are uploaded
#                    first; exits 2 on an input or usage error. Outputs: sarif-file, json-file,
#                    html-file, exit-code, root, findings, items, failing and the number of
#                    findings per severity (critical, high, medium, low, info).
#   run.sh summary   write the job summary: the items that block first, a link to the HTML
#                    report artifact (REPOSCRUB_HTML_URL), counts by category and severity.
#   run.sh gate      fail (exit 1) when the scan found anything at or above fail-on.
#
# Inputs arrive only as INPUT_* environment variables mapped in action.yml, never as text
# expanded into the script: a branch name or input value cannot inject shell.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEVERITIES="info low medium high critical"

error() {
    echo "::error title=reposcrub::$*" >&2
    exit 2
}

output() {
    echo "$1=$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# The interpreter for the helper scripts: the one reposcrub runs on, else python3.
helper_python() {
    local dir
    dir="$(dirname "$REPOSCRUB_BIN")"
    for candidate in "$dir/python" "$dir/python.exe" "${REPOSCRUB_PYTHON:-}" python3 python; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    error "no Python found to run the action's helpers"
}

# A path input: absolute as given, else relative to the workspace.
in_workspace() {
    case "$1" in
        /*) echo "$1" ;;
        *) echo "$GITHUB_WORKSPACE/$1" ;;
    esac
}

# reposcrub's own dependencies at the versions this action was tested with.
CONSTRAINTS="$HERE/constraints.txt"

install() {
    if [ -n "${REPOSCRUB_BIN:-}" ]; then
        echo "reposcrub: using $REPOSCRUB_BIN"
        output bin "$REPOSCRUB_BIN"
        return
    fi
    local python="${REPOSCRUB_PYTHON:-python3}" venv="${RUNNER_TEMP:?RUNNER_TEMP is not set}/reposcrub-venv" bin
    "$python" -m venv "$venv"
    bin="$venv/bin"
    [ -d "$bin" ] || bin="$venv/Scripts"  # Windows runners
    "$bin/python" -m pip install --quiet --disable-pip-version-check --constraint "$CONSTRAINTS" \
        "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
    "$bin/reposcrub" --version
    output bin "$bin/reposcrub"
}

check_inputs() {
    # One line each: a line break could smuggle a workflow command or a step output.
    local name
    for name in INPUT_PATH INPUT_RANGE INPUT_FAIL_ON INPUT_PROFILE INPUT_BASELINE INPUT_SARIF_FILE INPUT_UPLOAD_SARIF; do
        case "${!name:-}" in
            *$'\n'* | *$'\r'*) error "${name#INPUT_} must be a single line" ;;
        esac
    done
    case " $SEVERITIES " in
        *" ${INPUT_FAIL_ON:-low} "*) ;;
        *) error "fail-on must be one of: $SEVERITIES (got '${INPUT_FAIL_ON}')" ;;
    esac
    case "${INPUT_RANGE:-full}" in
        full | pushed) ;;
        *) error "range must be full or pushed (got '${INPUT_RANGE}')" ;;
    esac
    case "${INPUT_UPLOAD_SARIF:-true}" in
        true | false) ;;
        *) error "upload-sarif must be true or false (got '${INPUT_UPLOAD_SARIF}')" ;;
    esac
}

# Prints the --rev-range for range: pushed ("" = whole history, "-" = nothing to scan).
pushed_range() {
    local root="$1" range
    range="$("$PY" "$HERE/pushed.py" range)"
    case "$range" in
        *..*)
            # A force-push leaves `before` out of the clone: scan all of `after` instead.
            if ! git -C "$root" -c safe.directory='*' cat-file -e "${range%%..*}^{commit}" 2>/dev/null; then
                echo "::notice title=reposcrub::${range%%..*} is not in the clone (force-push or shallow checkout): scanning the whole history of ${range##*..}" >&2
                range="${range##*..}"
            fi
            ;;
    esac
    echo "$range"
}

scan() {
    : "${GITHUB_WORKSPACE:?GITHUB_WORKSPACE is not set}" "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
    : "${REPOSCRUB_BIN:?REPOSCRUB_BIN is not set: run the install step first}"
    check_inputs
    PY="$(helper_python)"
    local fail_on="${INPUT_FAIL_ON:-low}" root sarif range="" rc
    root="$(in_workspace "${INPUT_PATH:-.}")"
    [ -d "$root" ] || error "path '${INPUT_PATH:-.}' is not a directory in the workspace"
    root="$(cd "$root" && pwd -P)"
    sarif="$(in_workspace "${INPUT_SARIF_FILE:-$RUNNER_TEMP/reposcrub.sarif}")"
    mkdir -p "$(dirname "$sarif")" "$RUNNER_TEMP/reposcrub-report"
    local report="$RUNNER_TEMP/reposcrub-report/reposcrub.json" html="$RUNNER_TEMP/reposcrub-report/reposcrub.html"
    output root "$root"

    local args=(scan "$root" --format sarif --output "$sarif" --write "json=$report" --write "html=$html"
                --fail-on "$fail_on")
    [ -z "${INPUT_PROFILE:-}" ] || args+=(--profile "$(in_workspace "$INPUT_PROFILE")")
    [ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$(in_workspace "$INPUT_BASELINE")")
    if [ "${INPUT_RANGE:-full}" = pushed ]; then
        range="$(pushed_range "$root")"
        if [ "$range" = "-" ]; then
            echo "reposcrub: the push deletes a branch; nothing to scan"
            "$PY" "$HERE/summary.py" --nothing "the push deletes a branch: nothing to scan" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
            output findings 0
            output failing 0
            output exit-code 0
            return 0
        fi
        [ -z "$range" ] || args+=(--rev-range "$range")
    fi
    output range "$range"

    echo "reposcrub ${args[*]}"
    # Nothing the scan prints (a file name, a message quoted in an error) is read as a
    # workflow command: commands stay off until the token, which no repository can know.
    local token
    token="reposcrub-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    echo "::stop-commands::$token"
    set +e
    "$REPOSCRUB_BIN" "${args[@]}"
    rc=$?
    set -e
    echo "::$token::"
    if [ "$rc" -gt 1 ]; then
        echo "::error title=reposcrub::the scan failed (exit code $rc); see the message above" >&2
        "$PY" "$HERE/summary.py" --nothing "the scan failed (exit code $rc); see the step log" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
        exit "$rc"
    fi
    # A ranged history run gets its own code scanning category: uploaded under the full
    # history's category, it would mark every alert outside the range as fixed.
    [ -z "$range" ] || "$PY" "$HERE/pushed.py" category "$sarif"

    output sarif-file "$sarif"
    output json-file "$report"
    output html-file "$html"
    output exit-code "$rc"
    "$PY" "$HERE/summary.py" "$report" --fail-on "$fail_on" --outputs "$GITHUB_OUTPUT" >/dev/null
}

summary() {
    : "${REPOSCRUB_JSON:?REPOSCRUB_JSON is not set: run the scan step first}"
    PY="$(helper_python)"
    "$PY" "$HERE/summary.py" "$REPOSCRUB_JSON" --fail-on "${INPUT_FAIL_ON:-low}" --range "${REPOSCRUB_RANGE:-}" \
        --html-url "${REPOSCRUB_HTML_URL:-}" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
}

gate() {
    local fail_on="${INPUT_FAIL_ON:-low}"
    case "${REPOSCRUB_EXIT_CODE:-}" in
        0) echo "reposcrub: nothing at or above $fail_on" ;;
        1)
            echo "::error title=reposcrub::${REPOSCRUB_FAILING:-some} finding(s) at or above $fail_on; see the job summary and the code scanning alerts" >&2
            exit 1
            ;;
        *)
            echo "::error title=reposcrub::the scan did not complete" >&2
            exit 2
            ;;
    esac
}

case "${1:-}" in
    install) install ;;
    scan) scan ;;
    summary) summary ;;
    gate) gate ;;
    *)
        echo "usage: $0 install|scan|summary|gate" >&2
        exit 2
        ;;
esac
