"""The per-field comparison of `compare.py`, written as DuckDB SQL: the same normal forms, so the columnar engine
and the row-by-row reference agree pair for pair (tests/reconcile/test_engines_agree.py holds them to it).

Every value is text (as both platforms' bulk files give it). `''` and NULL are both blank, as `compare._blank`
says; a normal form is tagged text ('n:' number, 'b:' boolean, 's:' anything else) so a number never equals
a word that happens to spell it, exactly as Python's float never equals a str.
"""

from __future__ import annotations

from harness.reconcile.spec import FieldKind, FieldSpec
from harness.sync.rules import SyncRule

# What Python's str.strip() removes for the values the platforms send (ASCII whitespace).
_SPACES = "' \t\n\r\x0b\x0c'"


def literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _trim(x: str) -> str:
    return f"trim({x}, {_SPACES})"


def _digits(t: str) -> str:
    return f"regexp_full_match({t}, '[0-9]+')"


def _epoch(t: str, fmt: str) -> str:
    return f"strftime(epoch_ms(TRY_CAST({t} AS BIGINT)), '{fmt}')"


def _base(kind: FieldKind, x: str) -> str:
    """The normal form of one non-blank text value `x`, per field kind (compare.normaliser's base)."""
    t = _trim(x)
    if kind is FieldKind.NUMBER:
        return (f"CASE WHEN TRY_CAST({t} AS DOUBLE) IS NOT NULL THEN 'n:' || CAST(TRY_CAST({t} AS DOUBLE) AS VARCHAR) "
                f"ELSE 's:' || {t} END")
    if kind is FieldKind.BOOLEAN:
        return (f"CASE lower({t}) WHEN 'true' THEN 'b:1' WHEN '1' THEN 'b:1' WHEN 'false' THEN 'b:0' "
                f"WHEN '0' THEN 'b:0' ELSE 's:' || lower({t}) END")
    if kind is FieldKind.DATE:
        return (f"CASE WHEN length({t}) >= 10 AND substr({t}, 5, 1) = '-' THEN substr({t}, 1, 10) "
                f"WHEN {_digits(t)} THEN COALESCE({_epoch(t, '%Y-%m-%d')}, {t}) ELSE {t} END")
    if kind is FieldKind.DATETIME:
        iso = f"replace(replace({t}, 'Z', '+00:00'), '+0000', '+00:00')"
        return (f"CASE WHEN length({t}) >= 20 AND substr({t}, 11, 1) = 'T' AND (suffix({t}, 'Z') OR "
                f"suffix({t}, '+0000') OR suffix({t}, '+00:00')) THEN substr({t}, 1, 19) "
                f"WHEN {_digits(t)} THEN COALESCE({_epoch(t, '%Y-%m-%dT%H:%M:%S')}, {t}) "
                f"ELSE COALESCE(strftime(TRY_CAST({iso} AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S'), {t}) END")
    if kind is FieldKind.MULTI:
        return (f"array_to_string(list_sort(list_filter(list_transform(string_split({x}, ';'), "
                f"lambda p: {_trim('p')}), lambda p: p <> '')), chr(31))")
    return t


def synonym_map(spec: FieldSpec) -> str | None:
    """The field's picklist synonyms as a DuckDB MAP literal (variant, lower-cased -> canonical); later rows win,
    as they do in compare.normaliser's dict."""
    if not spec.synonyms:
        return None
    table = {variant.strip().lower(): canonical for variant, canonical in spec.synonyms}
    return "MAP {" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in table.items()) + "}"


def normal_form(spec: FieldSpec, x: str) -> str:
    table = synonym_map(spec)
    if table is None:
        return _base(spec.kind, x)
    translated = f"COALESCE(({table})[lower({_trim(x)})], {_trim(x)})"
    return _base(spec.kind, translated)


def _blank(x: str) -> str:
    return f"({x} IS NULL OR {x} = '')"


def _utc(x: str) -> str:
    return f"(suffix({x}, 'Z') OR suffix({x}, '+0000') OR suffix({x}, '+00:00'))"


def _plain(x: str) -> str:
    """No whitespace and no empty part: a multi-select value whose parts need no trimming or dropping."""
    return (f"NOT (contains({x}, ' ') OR contains({x}, chr(9)) OR contains({x}, chr(10)) OR contains({x}, chr(13)) "
            f"OR contains({x}, chr(11)) OR contains({x}, chr(12)) OR contains({x}, ';;') OR starts_with({x}, ';') "
            f"OR suffix({x}, ';'))")


def _differs(spec: FieldSpec, h: str, s: str) -> str:
    """Both values are non-blank and differ as given: do their normal forms differ? Cheap shapes first (the
    spellings the platforms actually send), the full normal form only for what the shortcuts cannot settle."""
    full = f"{normal_form(spec, h)} IS DISTINCT FROM {normal_form(spec, s)}"
    if spec.synonyms:
        return full
    if spec.kind is FieldKind.NUMBER:
        # Two numbers compare as numbers (no text formatting); otherwise the trimmed texts, as _numbers_equal.
        # (A failed cast is NULL, so the comparison is NULL exactly when one side is not a number.)
        return f"COALESCE(TRY_CAST({h} AS DOUBLE) <> TRY_CAST({s} AS DOUBLE), {_trim(h)} <> {_trim(s)})"
    if spec.kind is FieldKind.DATETIME:
        # Both in UTC with a 'T' at the 11th character: the first 19 characters say everything (compare._datetime).
        return (f"CASE WHEN substr({h}, 11, 1) = 'T' AND substr({s}, 11, 1) = 'T' AND length({h}) >= 20 AND "
                f"length({s}) >= 20 AND {_utc(h)} AND {_utc(s)} THEN substr({h}, 1, 19) <> substr({s}, 1, 19) "
                f"ELSE {full} END")
    if spec.kind is FieldKind.MULTI:
        return (f"CASE WHEN {_plain(h)} AND {_plain(s)} THEN list_sort(string_split({h}, ';')) <> "
                f"list_sort(string_split({s}, ';')) ELSE {full} END")
    return full


def mismatch(spec: FieldSpec, h: str, s: str) -> str | None:
    """A boolean SQL expression: the pair disagrees on this field as its sync rule defines agreement after a
    completed sync (FieldComparator.agrees); None for a field that is not compared (Don't sync)."""
    if spec.rule is SyncRule.DONT_SYNC:
        return None
    if spec.hubspot_read_only:
        return f"(NOT {_blank(h)} AND {_blank(s)})"
    # One CASE, so each later test only sees the rows the earlier ones left (raw equality settles most).
    return (f"(CASE WHEN {h} IS NOT DISTINCT FROM {s} THEN false WHEN {_blank(h)} THEN NOT {_blank(s)} "
            f"WHEN {_blank(s)} THEN true ELSE {_differs(spec, h, s)} END)")
