"""The changed part of a blob: what a later version of a file needs scanning for."""
from __future__ import annotations

from reposcrub.delta import changed_windows


def novel_view(data: bytes, base: bytes, context_lines: int = 3) -> bytes | None:
    """The blob as the detectors see it: the windows kept, every other byte but line breaks blank."""
    changes = changed_windows(data, base, context_lines)
    if changes is None:
        return None
    windows = changes.windows
    for start, end in changes.new:  # each new run lies in a window
        assert any(low <= start and end <= high for low, high in windows)
    view = bytearray(b if b == 0x0A else 0x20 for b in data)
    last = -1
    for start, end in windows:
        assert last < start < end <= len(data)  # ordered, apart, not empty
        assert start == 0 or data[start - 1] == 0x0A  # whole lines
        assert end == len(data) or data[end - 1] == 0x0A
        view[start:end] = data[start:end]
        last = end
    return bytes(view)


BASE = b"".join(b"line %d of the old version\n" % i for i in range(200))  # past SMALL_CHANGE


def kept_lines(view: bytes) -> list[int]:
    return [n for n, line in enumerate(view.split(b"\n")) if line.strip()]


def test_unchanged_blob_is_all_blank_with_its_line_breaks():
    view = novel_view(BASE, BASE)
    assert view is not None and len(view) == len(BASE)
    assert view.count(b"\n") == BASE.count(b"\n") and not view.strip()


def test_a_new_line_is_kept_with_three_lines_either_side_at_the_same_offsets():
    lines = BASE.split(b"\n")
    lines.insert(20, b"token = 'new value'")
    data = b"\n".join(lines)
    view = novel_view(data, BASE)
    assert view is not None and len(view) == len(data)
    assert kept_lines(view) == list(range(17, 24))
    start = data.index(b"token")
    assert view[start:start + 19] == b"token = 'new value'"
    assert all(v in (d, 0x20) for v, d in zip(view, data))  # every byte is itself or a blank


def test_lines_moved_or_repeated_from_the_old_version_are_not_new():
    lines = BASE.split(b"\n")
    data = b"\n".join(lines[20:] + lines[:20])
    view = novel_view(data, BASE)
    assert view is not None and not view.strip()


def test_changes_at_both_ends_and_merged_windows():
    lines = BASE.split(b"\n")
    data = b"\n".join([b"first new"] + lines[:10] + [b"middle new", b"another new"] + lines[10:] + [b"last new"])
    view = novel_view(data, BASE)
    assert view is not None
    # 0 and 204 are new at the ends, 11 and 12 in the middle; 203 is empty, so blank anyway
    assert kept_lines(view) == [0, 1, 2, 3, *range(8, 16), 201, 202, 204]


def test_one_small_edit_is_kept_whole_without_comparing_lines():
    lines = BASE.split(b"\n")
    data = b"\n".join(lines[:100] + [b"new one", lines[40], b"new two"] + lines[100:])  # 40 repeats an old line
    assert kept_lines(novel_view(data, BASE)) == list(range(97, 106))


def test_a_mostly_new_blob_is_scanned_whole():
    assert novel_view(b"all\nnew\ncontent\n" * 10, BASE) is None
    assert novel_view(b"x", b"") is None


def test_crlf_and_no_trailing_newline():
    base = b"a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\ni\r\nj"
    data = base.replace(b"e\r", b"secret e\r")
    view = novel_view(data, base, context_lines=1)
    assert view is not None and len(view) == len(data)
    assert view.split(b"\n")[4] == b"secret e\r" and view.split(b"\n")[3] == b"d\r"
    assert view.split(b"\n")[0].strip() == b""


def test_every_new_line_is_kept_whole_under_random_edits():
    """Against a plain line-by-line reference: each line not in the old version, and the
    lines within three of it, is in the view byte for byte; every other byte is blank."""
    import random

    rng = random.Random(7)
    vocabulary = [b"alpha = 1", b"beta = 'two'", b"", b"  gamma()", b"# delta", b"epsilon: x", b"zeta\r"]
    for _ in range(300):
        old = [rng.choice(vocabulary) + b"%d" % rng.randrange(30) for _ in range(rng.randrange(0, 400))]  # both sides of SMALL_CHANGE
        new = list(old)
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(new) + 1)
            if rng.random() < 0.6 or not new:
                new.insert(at, b"new %d" % rng.randrange(10**6))
            else:
                new.pop(min(at, len(new) - 1))
        base, data = b"\n".join(old) + b"\n" * rng.randrange(2), b"\n".join(new) + b"\n" * rng.randrange(2)
        view = novel_view(data, base)
        if view is None:
            continue
        assert len(view) == len(data)
        seen = set(base.split(b"\n"))
        lines, shown = data.split(b"\n"), view.split(b"\n")
        for n, line in enumerate(lines):
            if line and line not in seen:
                for k in range(max(0, n - 3), min(len(lines), n + 4)):
                    assert shown[k] == lines[k], (base, data, n, k)
        assert all(v == d or v == 0x20 for v, d in zip(view, data))
        assert [i for i, b in enumerate(data) if b == 0x0A] == [i for i, b in enumerate(view) if b == 0x0A]


def test_holds_new_tells_findings_on_new_lines_from_those_on_context_lines():
    lines = BASE.split(b"\n")
    data = b"\n".join(lines[:100] + [b"token = 'new'"] + lines[100:])
    changes = changed_windows(data, BASE)
    assert changes is not None and len(changes.new) == 1
    new_start, new_end = changes.new[0]
    assert data[new_start:new_end] == b"token = 'new'"
    assert changes.holds_new(new_start + 8, new_start + 13)  # inside the new line
    assert changes.holds_new(new_start - 5, new_start + 2)  # from the line above into it
    assert not changes.holds_new(new_start - 20, new_start - 2)  # the context line above only
    assert not changes.holds_new(new_end + 1, new_end + 10)  # the context line below only
    assert changes.holds_new(new_start, new_start)  # an empty span at its start
