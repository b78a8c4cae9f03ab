"""Command line: parse, call a library function, choose the exit code."""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

from reposcrub import __version__
from reposcrub.errors import ReposcrubError
from reposcrub.model import CATEGORIES, Severity

if TYPE_CHECKING:
    from reposcrub.pipeline import ScanOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_SEVERITIES = [s.label for s in Severity]


def _severity(ctx: click.Context, param: click.Parameter, value: str) -> Severity:
    return Severity.parse(value)


def _open_output(path: str | None) -> TextIO:
    if path is None or path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise ReposcrubError(f"cannot write {path}: {exc.strerror}") from None


class UserError(click.ClickException):
    """A ReposcrubError on its way out: one line, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"reposcrub: error: {self.format_message()}", err=True)


def _usage_error(exc: click.UsageError) -> UserError:
    # One line, like every other error, instead of click's usage block.
    from reposcrub.reporters.error_text import error_message

    where = f"reposcrub {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else "reposcrub --help"
    return UserError(f"{error_message(exc)} (see `{where}`)")


def _print_traceback(exc: BaseException) -> None:
    from reposcrub.reporters.error_text import error_traceback

    click.echo(error_traceback(exc), err=True, nl=False)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _usage_error(exc) from None
        except ReposcrubError as exc:
            # Messages quote input and git's output, and may hold a secret: printed masked.
            from reposcrub.reporters.error_text import error_message

            if ctx.obj and ctx.obj.get("debug"):
                _print_traceback(exc)
            raise UserError(error_message(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reposcrub")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Find and remove what must not leave a repository: secrets, internal hosts,
    organisation names, personal data, in the files and the whole git history."""
    ctx.obj = {"debug": debug}


def _scan_options(f: Callable[..., None]) -> Callable[..., None]:
    """The options that choose what a scan covers, shared by scan and baseline."""
    options = [
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores)."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None,
                     help="Bytes; larger files are reported, not scanned."),
        click.option("--disable", multiple=True, help="Rule id to disable (repeatable)."),
        click.option("--no-history", is_flag=True, help="Git targets: scan the work tree only, not the history."),
        click.option("--since", type=str, default=None, help="Only commits more recent than this date: 2024-01-31, 2.weeks.ago, yesterday, @1700000000."),
        click.option("--rev-range", type=str, default=None, help="Only commits in this range, e.g. origin/main..HEAD."),
        click.option("--pushed", is_flag=True, help="Only the commits being pushed (pre-push hook: reads "
                     "PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF, else the upstream..HEAD range)."),
        click.option("--staged", is_flag=True, help="Only what the index would commit (for the pre-commit hook); "
                     "with PATHS, the indexed content of those paths, changed or not."),
        click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Organisation profile (TOML). Default: .reposcrub.toml or [tool.reposcrub] in pyproject.toml."),
        click.option("--org", "orgs", multiple=True, help="An organisation name to find (repeatable)."),
        click.option("--domain", "domains", multiple=True, help="An organisation domain to find (repeatable)."),
        click.option("--archive-max-size", type=click.IntRange(min=1), default=None,
                     help="Archives: bytes extracted at most (default 2 GiB)."),
        click.option("--archive-max-files", type=click.IntRange(min=1), default=None,
                     help="Archives: entries at most (default 200,000)."),
        click.option("--archive-max-ratio", type=click.IntRange(min=1), default=None,
                     help="Archives: largest compression ratio accepted (default 200)."),
        *_TRUST_OPTIONS,
        click.option("--ocr", is_flag=True, help="Read text in pictures with tesseract (the ocr extra)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


_TRUST_OPTIONS = [
    click.option("--untrusted", is_flag=True, help="The target is a submission: its own .reposcrub.toml, "
                 ".reposcrubignore, inline allows and baseline are reported, not obeyed."),
    click.option("--allow-foreign-owner", is_flag=True, help="Read a repository owned by another user "
                 "(its git configuration is never used either way)."),
]

_LIMIT_FIELDS = {"size": "max_size", "files": "max_files", "ratio": "max_ratio"}


def _options_from(kw: dict[str, Any], baseline: frozenset[str] = frozenset()) -> ScanOptions:
    from reposcrub.pipeline import ScanOptions, pushed_range

    rev_range = kw["rev_range"]
    if kw["pushed"]:
        rev_range = pushed_range()
    extra: dict[str, Any] = {k: kw[k] for k in ("jobs", "max_file_size") if kw[k] is not None}
    limits = {k: kw[f"archive_max_{k}"] for k in ("size", "files", "ratio") if kw[f"archive_max_{k}"] is not None}
    if limits:
        from reposcrub.sources.archive import ArchiveLimits

        extra["archive_limits"] = ArchiveLimits(**{_LIMIT_FIELDS[k]: v for k, v in limits.items()})
    return ScanOptions(
        disabled_rules=frozenset(kw["disable"]), history=not kw["no_history"], staged=kw["staged"],
        since=kw["since"], rev_range=rev_range, profile_file=kw["profile_file"], orgs=kw["orgs"],
        domains=kw["domains"], baseline=baseline, untrusted=kw["untrusted"],
        allow_foreign_owner=kw["allow_foreign_owner"], ocr=kw["ocr"], **extra,
    )


_FORMATS = ["text", "json", "sarif", "html"]


def _write_option(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for item in value:
        fmt, sep, path = item.partition("=")
        if not sep or fmt not in _FORMATS or not path:
            raise click.BadParameter(f"{item!r}: give FORMAT=PATH with FORMAT one of {', '.join(_FORMATS)}")
        out.append((fmt, path))
    return out


@cli.command()
@click.argument("target", type=str, default=".")
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True,
              help="text for people, json (every occurrence, stable), sarif (GitHub code scanning), "
                   "html (one self-contained page with charts and a filterable table).")
@click.option("--output", "-o", type=str, default=None, help="Write the report to this file (default: stdout).")
@click.option("--write", "writes", multiple=True, callback=_write_option, metavar="FORMAT=PATH",
              help="Also write the report as FORMAT to PATH, from the same scan (repeatable): --write html=report.html.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="low", show_default=True, callback=_severity,
              help="Exit 1 when findings at or above this severity exist (info never blocks by default).")
@click.option("--all", "show_all", is_flag=True,
              help="Text: list every occurrence under its item, not only the top items.")
@click.option("--category", "categories", multiple=True, type=click.Choice(list(CATEGORIES)),
              help="Report only this category (repeatable).")
@click.option("--min-severity", type=click.Choice(_SEVERITIES), default="info", show_default=True, callback=_severity,
              help="Report only findings at or above this severity.")
@click.option("--rule", "rule_globs", multiple=True, metavar="RULE",
              help="Report only this rule id, or ids matching a glob such as 'host/*' (repeatable).")
@click.option("--no-color", is_flag=True, help="No colour in text output (NO_COLOR in the environment does the same).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report only findings whose fingerprints are not in this baseline.")
@_scan_options
def scan(target: str, paths: tuple[str, ...], fmt: str, output: str | None, writes: list[tuple[str, str]],
         fail_on: Severity, show_all: bool, categories: tuple[str, ...], min_severity: Severity,
         rule_globs: tuple[str, ...], no_color: bool, baseline_file: Path | None, **kw: Any) -> None:
    """Scan TARGET: a folder, a git work tree or bare repository (with its whole history),
    a single file, an archive (zip, tar, tar.gz, tar.bz2, tar.xz; extracted safely,
    repositories inside scanned with their history), or a git URL (mirror-cloned into a
    temporary directory).

    The text report lists each distinct item once (a value per rule, a person for git
    identities), the most important first, then a summary; --all, json and html list every
    occurrence.

    With --staged, PATHS (relative to TARGET, as pre-commit passes them) narrow the scan to
    the indexed content of those files, whether or not it changed: `pre-commit run
    --all-files` checks every tracked file that way."""
    from reposcrub import baseline
    from reposcrub.pipeline import scan_target
    from reposcrub.reporters.mask import SecretMask
    from reposcrub.reporters.render import Selection, render, select

    if baseline_file is not None:
        accepted = baseline.load(baseline_file)
    elif not kw["untrusted"] and Path(target).is_dir():  # the hooks and the action find it by themselves
        accepted = baseline.load_shipped(Path(target)) or frozenset()
    else:
        accepted = frozenset()
    options = _options_from(kw, accepted)
    if paths and not options.staged:
        raise click.UsageError(f"extra argument {paths[0]!r}: PATHS after TARGET need --staged")
    options = dataclasses.replace(options, staged_paths=paths)
    if "html" in (fmt, *(f for f, _ in writes)):
        options = dataclasses.replace(options, excerpt_lines=2)
    bar = _progress_bar()
    if bar is not None:
        options = dataclasses.replace(options, progress=bar.update, progress_total=bar.total)
    try:
        result = scan_target(target, options)
    finally:
        if bar is not None:
            bar.close()
    selection = Selection(frozenset(categories), min_severity, rule_globs)
    mask = SecretMask.of(result.findings)  # every secret found, shown or filtered out
    result = select(result, selection)
    report = render(result, mask, selection=selection.describe())
    for out_fmt, path in [(fmt, output), *writes]:
        _write_report(report, out_fmt, path, show_all, fail_on, no_color)
    sys.exit(EXIT_FINDINGS if result.at_or_above(fail_on) else EXIT_CLEAN)


def _progress_bar(label: str = "scanning") -> Any:
    if not sys.stderr.isatty():
        return None
    from reposcrub.progress import ProgressBar

    return ProgressBar(sys.stderr, label)


def _write_report(report: Any, fmt: str, path: str | None, show_all: bool, fail_on: Severity, no_color: bool) -> None:
    import os

    from reposcrub.reporters import Style, reporter_for

    stream = _open_output(path)
    try:
        color = fmt == "text" and stream.isatty() and not no_color and not os.environ.get("NO_COLOR")
        reporter_for(fmt, Style(color=color, show_all=show_all, fail_on=fail_on)).write(report, stream)
    finally:
        if stream is not sys.stdout:
            stream.close()


@cli.group()
def rules() -> None:
    """List the rules, or run every rule's own examples."""


@rules.command("list")
@click.option("--category", type=str, default=None, help="Only this category (secret, cloud, host, ident, pii, marker, file).")
def rules_list(category: str | None) -> None:
    """Print every rule: id, severity and name."""
    from reposcrub.rules import load_rules

    shown = [r for r in load_rules() if category is None or r.category == category]
    for r in shown:
        click.echo(f"{r.id:<48} {r.severity.label:<9} {r.name}")
    click.echo(f"{len(shown)} rules")


@rules.command("test")
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Test only the rules in this rule file (repeatable).")
@click.option("--seeds", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many random expansions of each example to try.")
def rules_test(files: tuple[Path, ...], seeds: int) -> None:
    """Run every rule's examples (must match) and negative examples (must not)."""
    from reposcrub.rules import load_rules
    from reposcrub.ruletest import check_rule
    from reposcrub.scan import Engine

    loaded = load_rules(list(files) if files else None)
    engine = Engine(loaded)
    failures = [f for r in loaded for seed in range(seeds) for f in check_rule(engine, r, seed)]
    for failure in failures:
        click.echo(failure.describe())
    examples = sum(len(r.examples) + len(r.negative_examples) for r in loaded)
    click.echo(f"{len(loaded)} rules, {examples} examples, {len(failures)} failures")
    sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


@cli.group("baseline")
def baseline_group() -> None:
    """Accept the current findings, so that scans report only new ones."""


def _write_baseline(target: str, output: Path, kw: dict[str, Any]) -> None:
    from reposcrub import baseline
    from reposcrub.pipeline import scan_target
    from reposcrub.reporters.mask import for_display

    # Paths as reports print them (a secret in a file name masked); fingerprints hash the real ones.
    result = for_display(scan_target(target, _options_from(kw)))
    try:
        output.write_text(baseline.render(result.findings, list(result.rules), str(kw["profile_file"] or "")), encoding="utf-8")
    except OSError as exc:
        raise ReposcrubError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output}: {len({f.fingerprint for f in result.findings})} accepted fingerprints")


@baseline_group.command("create")
@click.argument("target", type=str, default=".")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Default: .reposcrub-baseline.json in TARGET, which scans of TARGET then read by themselves.")
@_scan_options
def baseline_create(target: str, output: Path | None, **kw: Any) -> None:
    """Scan TARGET and accept every finding. Refuses to overwrite an existing baseline."""
    output = output or _default_baseline(target)
    if output.exists():
        raise ReposcrubError(f"{output} exists; use `reposcrub baseline update` to refresh it")
    _write_baseline(target, output, kw)


@baseline_group.command("update")
@click.argument("target", type=str, default=".")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Default: .reposcrub-baseline.json in TARGET.")
@_scan_options
def baseline_update(target: str, output: Path | None, **kw: Any) -> None:
    """Rescan TARGET and replace the baseline with its current findings (resolved ones drop out)."""
    _write_baseline(target, output or _default_baseline(target), kw)


def _default_baseline(target: str) -> Path:
    from reposcrub import baseline

    return Path(target) / baseline.DEFAULT_FILE


@cli.command("scrub")
@click.argument("target", type=str)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Where to write the sanitized copy.")
@click.option("--mode", type=click.Choice(["history", "snapshot"]), default="history", show_default=True,
              help="history rewrites every commit; snapshot writes one commit of the scrubbed HEAD.")
@click.option("--salt", type=str, default=None, help="Vary the replacements (same salt, same output).")
@click.option("--keep-identity", multiple=True, help="An e-mail whose identity is kept as is (repeatable).")
@click.option("--force", is_flag=True, help="Replace --out if it exists and is not empty.")
@click.option("--no-verify", is_flag=True, help="Skip sweeping and checking the copy.")
@click.option("--verify-cmd", type=str, default=None,
              help="Your project's test command (e.g. \"pytest -q\"), run in a checkout of the input and of the copy.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="low", show_default=True, callback=_severity,
              help="Verification fails on findings left at or above this severity.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Organisation profile (TOML). Default: .reposcrub.toml or [tool.reposcrub] in pyproject.toml.")
@click.option("--org", "orgs", multiple=True, help="An organisation name to remove (repeatable).")
@click.option("--domain", "domains", multiple=True, help="An organisation domain to remove (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@_TRUST_OPTIONS[0]
@_TRUST_OPTIONS[1]
@click.option("--ocr", is_flag=True, help="Read text in pictures with tesseract; a picture showing a value is refused.")
@click.option("--strip-outputs", is_flag=True, help="Notebooks: clear every output, not only those holding a value.")
@click.option("--document-revisions", type=click.Choice(["remove", "keep"]), default="remove", show_default=True,
              help="Documents: remove accepts tracked changes and drops comments; keep cleans them in place.")
def scrub_command(target: str, out: Path, mode: str, salt: str | None, keep_identity: tuple[str, ...], force: bool,
                  no_verify: bool, fail_on: Severity, profile_file: Path | None, orgs: tuple[str, ...],
                  domains: tuple[str, ...], jobs: int | None, verify_cmd: str | None, untrusted: bool,
                  allow_foreign_owner: bool, ocr: bool, strip_outputs: bool, document_revisions: str) -> None:
    """Write a sanitized copy of TARGET at --out, with rewritten history, then verify it.
    The input is never modified."""
    from reposcrub.pipeline import ScanOptions
    from reposcrub.reporters.mask import masked_finding
    from reposcrub.scrub.report import display_mask, next_steps, verdict_lines, write_reports
    from reposcrub.scrub.run import ScrubOptions, scrub

    from reposcrub.decode import DocumentOptions

    scan_options = ScanOptions(profile_file=profile_file, orgs=orgs, domains=domains, untrusted=untrusted,
                               allow_foreign_owner=allow_foreign_owner, ocr=ocr)
    if jobs:
        scan_options = dataclasses.replace(scan_options, jobs=jobs)
    bar = _progress_bar("scrub: scanning")  # the scans of the input and of the copy
    if bar is not None:
        scan_options = dataclasses.replace(scan_options, progress=bar.update, progress_total=bar.total)
    options = ScrubOptions(out=out, mode=mode, salt=salt, keep_identity=keep_identity, force=force,
                           verify=not no_verify, fail_on=fail_on, scan=scan_options, verify_cmd=verify_cmd,
                           documents=DocumentOptions(revisions=document_revisions, strip_outputs=strip_outputs))
    try:
        result = scrub(target, options)
    finally:
        if bar is not None:
            bar.close()
    json_path, sarif_path = write_reports(result, target)
    by_category: dict[str, int] = {}
    for f in result.plan.replaced:
        by_category[f.category] = by_category.get(f.category, 0) + 1
    summary = ", ".join(f"{n} {cat}" for cat, n in sorted(by_category.items())) or "nothing"
    click.echo(f"wrote {out}: replaced {summary}; removed {len(result.plan.secret_files)} file(s) (credential files, and binaries or editor copies holding a finding)")
    if result.commit_map:
        click.echo(f"commit map: {result.commit_map}")
    click.echo(f"report: {json_path} and {sarif_path}")
    mask = display_mask(result)  # a secret in a file name stays hidden in every line below
    for note in (*result.scan.notes, *result.notes):
        click.echo(f"note: {mask(note)}")
    v = result.verification
    if v is not None:
        for f in (masked_finding(f, mask) for f in v.leftover):
            where = f"{f.location} {f.shown_path}" if f.location != "file" else f"{f.shown_path}:{f.line}"
            click.echo(f"left: {where} {f.rule_id} {f.preview}" + (f" ({f.note})" if f.note else ""), err=True)
        for problem in v.problems:
            click.echo(f"problem: {mask(problem)}", err=True)
        for line in verdict_lines(v, mask):
            click.echo(line)
        leaks, words = (v.sweep.leak_count, len(v.sweep.inside)) if v.sweep is not None else (0, 0)
        click.echo("verification: " + ("passed" if v.ok else f"FAILED ({leaks} leaks, {words} longer words holding a "
                                       f"term, {len(v.leftover)} findings left, {len(v.problems)} problems)"))
    click.echo("\nStill to do outside reposcrub's reach:")
    for step in next_steps(result):
        click.echo(f"  - {step}")
    sys.exit(EXIT_FINDINGS if v is not None and not v.ok else EXIT_CLEAN)


class _IntakeGroup(_Group):
    """`reposcrub intake MANIFEST` runs a batch; `reposcrub intake report` is the other command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("intake", cls=_IntakeGroup)
def intake_group() -> None:
    """Take in a manifest of submissions (`intake MANIFEST --store DIR`) on Dask, or write the
    store's dashboard (`intake report --store DIR`)."""


@intake_group.command("run")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the store: intake.sqlite and each submission's reports.")
@click.option("--scheduler", type=str, default=None, help="An existing Dask scheduler, tcp://HOST:8786 "
              "(default: a local cluster on this machine).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local cluster workers (default: all cores).")
@click.option("--scrub", "scrub_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each sanitized, verified copy under this folder (visible to every worker).")
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Profile for submissions whose manifest line names none.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=600.0, show_default=True,
              help="Seconds per submission; past them it is stopped and recorded as an error.")
@click.option("--max-memory", type=click.IntRange(min=64), default=4096, show_default=True, help="MiB per submission.")
@click.option("--max-size", type=click.IntRange(min=1), default=2048, show_default=True,
              help="MiB per submission, on disk or unpacked; larger ones are refused.")
@click.option("--no-history", is_flag=True, help="Scan work trees only, not git history.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="low", show_default=True, callback=_severity,
              help="A submission with findings at or above this severity is not clean.")
@click.option("--retry-errors", is_flag=True, help="Take in again the submissions recorded as errors.")
def intake_run(manifest: Path, store: Path, scheduler: str | None, workers: int | None, scrub_dir: Path | None,
               profile_file: Path | None, timeout: float, max_memory: int, max_size: int, no_history: bool,
               fail_on: Severity, retry_errors: bool) -> None:
    """Scan every submission of MANIFEST (a target a line, or CSV/JSONL with id, target and
    profile) into the store, in parallel on Dask. Submissions already taken in with the same
    content and rules are skipped. Exit 0 when every submission is clean, 1 otherwise."""
    from reposcrub.intake.run import Batch, run_batch
    from reposcrub.intake.sandbox import Limits
    from reposcrub.intake.task import IntakeSettings

    limits = Limits(timeout=timeout, max_memory=max_memory << 20, max_size=max_size << 20)
    settings = IntakeSettings(limits=limits, history=not no_history, fail_on=fail_on,
                              scrub_dir=str(scrub_dir.resolve()) if scrub_dir else None,
                              profile=str(profile_file.resolve()) if profile_file else None)
    batch = Batch(manifest, store, settings, scheduler, workers, retry_errors)
    summary = run_batch(batch, said=lambda line: click.echo(line, err=True))
    counts = ", ".join(f"{n} {v}" for v, n in sorted(summary.verdicts.items()))
    click.echo(f"{sum(summary.verdicts.values())} submissions: {counts}; {summary.scanned} taken in now, "
               f"{summary.unchanged} unchanged since the last run ({summary.engine})")
    click.echo(f"store: {store}")
    sys.exit(EXIT_CLEAN if set(summary.verdicts) <= {"clean"} else EXIT_FINDINGS)


@intake_group.command("report")
@click.option("--store", "store", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="The intake store to report on (the folder given to `reposcrub intake --store`).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Default: dashboard.html in the store.")
def intake_report(store: Path, output: Path | None) -> None:
    """Write one self-contained HTML dashboard of the store (no network needed to view it)."""
    from reposcrub.intake.dashboard import write_dashboard

    written = write_dashboard(store, output or store / "dashboard.html")
    click.echo(f"wrote {written}")


@cli.group()
def profile() -> None:
    """Work with the organisation profile (.reposcrub.toml)."""


@profile.command("infer")
@click.argument("target", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Entries less certain than this are printed commented out.")
@click.option("--words", "words_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Word list of ordinary English words (default /usr/share/dict/words).")
@_TRUST_OPTIONS[1]
def profile_infer(target: Path, threshold: float, words_file: Path | None, allow_foreign_owner: bool) -> None:
    """Draft a profile from TARGET, ranked by evidence: package and module names, copyright
    holders, the committers' company e-mail domain, URLs to its hosts, host naming conventions
    and recurring ticket keys. Prints TOML that loads as printed; review it before use."""
    from reposcrub.infer.draft import infer_profile
    from reposcrub.targets import classify

    classify(target, allow_foreign_owner=allow_foreign_owner)  # refuses what cannot be read safely
    click.echo(infer_profile(target, words_file, threshold), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps errors to exit codes, never prints a traceback unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="reposcrub", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("reposcrub: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.UsageError as exc:  # before any command ran, as `reposcrub --bogus`
        _usage_error(exc).show()
        sys.exit(EXIT_USAGE)
    except UserError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        from reposcrub.reporters.error_text import error_message

        UserError(error_message(exc)).show()
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("reposcrub: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - last resort: one line, no secret, exit 3
        if debug:
            _print_traceback(exc)  # masked: the error may have been raised over a secret
        click.echo(f"reposcrub: internal error: {type(exc).__name__} (run with --debug for details)", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
