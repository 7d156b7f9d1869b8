"""Deciding which candidate, if any, a reference cites: precision first, then recall.

A reference with a DOI is linked to that DOI's work or to nothing (a DOI waits for its work
and is never fuzzy-linked elsewhere); its other fields can only flag it as contradicted.
Without a DOI every eligible candidate is scored field by field (`scoring`), and the best is
accepted only above the threshold, clearly ahead of the runner-up, and with several fields
agreeing independently (a gate).
"""
from __future__ import annotations

from typing import Sequence

from citations.matching import weights
from citations.matching.features import WorkFeatures, work_features
from citations.matching.parse import name_in
from citations.matching.records import MatchResult, ReferenceQuery, WorkRecord
from citations.matching.text import JOURNAL_WORDS
from citations.matching.scoring import FIELDS, Agreements, ReferenceView, agreements, score_bound, view_reference


def match(ref: ReferenceQuery, *, candidates: Sequence[WorkRecord]) -> MatchResult:
    view = view_reference(ref)
    if view.dois:
        return _match_doi(view, candidates)
    if _too_little(view):
        return MatchResult(outcome="unmatched", method=view.method, reason="too-little-to-match")
    if not candidates:
        return MatchResult(outcome="unmatched", method=view.method, reason="no-candidates")
    return _match_fields(view, candidates)


def settled_by_place(ref: ReferenceQuery, result: MatchResult) -> bool:
    """Whether a match made among the works at the reference's (volume, first page) alone stands
    whatever else the registry holds, so that no text search is needed for it.

    It does when the work agrees on both the volume and the first page: any other work is at
    another volume or page, which the reference contradicts, and so scores well below it (the
    margin is checked among the works at that place). Not for a string that says it cites a
    preprint or a notice: those can be the cited work without sharing its journal's numbering.
    """
    if result.outcome != "matched" or result.method == "publisher-doi":
        return False
    fields = result.details.get("fields", {})
    if fields.get("volume", 0.0) < 1.0 or fields.get("page", 0.0) < 1.0:
        return False
    string = view_reference(ref).string
    return string is None or not (string.says_preprint or string.says_notice)


# --- References with a DOI -----------------------------------------------------------------

def _match_doi(view: ReferenceView, candidates: Sequence[WorkRecord]) -> MatchResult:
    work = next((w for doi in view.dois for w in candidates if w.doi.lower() == doi), None)
    if work is None:
        return MatchResult(
            outcome="unmatched", method="publisher-doi", reason="doi-not-registered",
            details={"dois": list(view.dois)},
        )
    if _doi_only(view):
        # Nothing to agree or disagree with the work: every field is 0 (`agreements` would say the
        # same after building the work's features, most of a DOI reference's cost).
        return MatchResult(
            outcome="matched", method="publisher-doi", work=work, score=1.0, agreed=("doi",), reason="doi",
            details={"fields": dict.fromkeys(FIELDS, 0.0)},
        )
    features = work_features(work)
    found = agreements(view, features)
    contradicted = _doi_contradictions(view, features, found)
    agreed = ("doi",) + found.agreed()
    if contradicted:
        return MatchResult(
            outcome="contradicted", method="publisher-doi", work=work, score=found.score, agreed=agreed,
            reason="contradicted", details={"contradicted": list(contradicted), "fields": found.fields},
        )
    return MatchResult(
        outcome="matched", method="publisher-doi", work=work, score=1.0, agreed=agreed, reason="doi",
        details={"fields": found.fields},
    )


def _doi_only(view: ReferenceView) -> bool:
    """A reference that gives a DOI and nothing else to check it against (no string, no fields)."""
    return view.string is None and not view.has_fields and view.in_book is None


def _doi_contradictions(view: ReferenceView, work: WorkFeatures, found: Agreements) -> tuple[str, ...]:
    """The fields that show the reference describes another work than its DOI's."""
    fields = found.fields
    contradicted = []
    if fields["year"] < 0:
        contradicted.append("year")
    if fields["page"] < 0 and (view.first_page or work.first_page not in view.string.numbers):
        contradicted.append("page")
    if fields["container"] < 0 or fields["identifier"] < 0:
        contradicted.append("container")
    if fields["title"] < 0 and (view.title or (fields["author"] <= 0 and fields["container"] <= 0)):
        contradicted.append("title")  # (a string's other words alone never unlink a publisher's DOI)
    elif fields["title"] < 0:
        pass
    elif (
        not view.title and view.string is not None and work.title
        and len(view.string.content_words) >= weights.DOI_UNRELATED_MIN_WORDS
        and found.title_sim < weights.TITLE_UNRELATED_SIM
        and fields["author"] <= 0 and fields["container"] <= 0
    ):
        contradicted.append("title")  # a whole reference about something else
    return tuple(contradicted)


# --- References without a DOI --------------------------------------------------------------

def _too_little(view: ReferenceView) -> bool:
    if view.string is not None:
        return len(view.string.content_words) < 2 and not view.string.volume_pages
    informative = [view.title, view.containers, view.author, view.volume, view.first_page, view.issn, view.isbn]
    if view.year and view.title_info >= 1.0:
        return False  # a whole informative title and its year: the title-year gate decides
    return sum(1 for field in informative if field) < 2


def _match_fields(view: ReferenceView, candidates: Sequence[WorkRecord]) -> MatchResult:
    unique: dict[str, WorkRecord] = {}
    for work in candidates:
        unique.setdefault(work.doi.lower() or f"id:{work.id}", work)  # the same work fetched by two lookups
    scored = _score_competitive(view, list(unique.values()))
    if scored is None:  # the best is a preprint: whether it may be linked depends on every candidate
        scored = [(work, features, agreements(view, features)) for work in unique.values() for features in (work_features(work),)]
    return _decide(view, scored)


def _score_competitive(view: ReferenceView, works: list[WorkRecord]):
    """The candidates scored exactly, best bound first, until no bound can come within MARGIN of
    the best plain candidate (the others can be neither best nor a close runner-up). None when the
    best so scored is a preprint, whose eligibility needs every candidate (`_names_container`)."""
    bounded = sorted((-score_bound(view, work), n) for n, work in enumerate(works))
    scored: list[tuple[WorkRecord, WorkFeatures, Agreements]] = []
    best_plain = None
    for negative_bound, n in bounded:
        if best_plain is not None and -negative_bound < best_plain - weights.MARGIN:
            break
        work = works[n]
        features = work_features(work)
        found = agreements(view, features)
        scored.append((work, features, found))
        if not features.is_notice and not features.is_posted_content and (best_plain is None or found.raw > best_plain):
            best_plain = found.raw
    if len(scored) < len(works):
        top = max(scored, key=lambda s: s[2].raw)
        if top[1].is_posted_content:
            return None
    order = {id(work): n for n, work in enumerate(works)}
    scored.sort(key=lambda s: order[id(s[0])])  # ties go to the index's order, as without pruning
    return scored


def _decide(view: ReferenceView, scored) -> MatchResult:
    names_journal = view.names_journal or (
        view.string is not None and not view.string.says_preprint and any(_names_container(s) for s in scored)
    )
    eligible = [s for s in scored if _eligible(view, s[1], s[2], names_journal)]
    if not eligible:
        return MatchResult(outcome="unmatched", method=view.method, reason="below-threshold",
                           details={"ineligible": len(scored)})
    eligible.sort(key=lambda s: s[2].raw, reverse=True)
    work, features, best = eligible[0]
    runner_up = _runner_up(eligible, features)
    details = {"fields": best.fields, "title_sim": round(best.title_sim, 3), "candidate": work.doi}
    gate = passed_gate(best, structured_title=bool(view.title)) or _preprint_gate(view, features, best, names_journal)
    result = dict(method=view.method, score=best.score, runner_up=min(1.0, max(0.0, runner_up)))
    # A work without a volume cannot earn the volume's weight: its threshold leaves it out. A
    # reference giving only a title and a year cannot reach the threshold: its gate is its test.
    threshold = weights.ACCEPT_SCORE - (weights.WEIGHTS["volume"] / weights.SCORE_SCALE if gate == "container-page-year" else 0.0)
    if gate == "title-year":
        threshold = weights.TITLE_YEAR_ACCEPT_SCORE
    elif gate == "server-author-year":
        threshold = weights.SERVER_AUTHOR_YEAR_ACCEPT_SCORE
    if best.raw < threshold or gate is None:
        return MatchResult(outcome="unmatched", reason="below-threshold", details=details, **result)
    other = _other_version(eligible, features)
    if best.raw - runner_up < weights.MARGIN or (other is not None and not _tells_versions_apart(best, other)):
        # (Title, authors and year cannot tell a journal article from its preprint.)
        return MatchResult(outcome="unmatched", reason="ambiguous", details=details, **result)
    details["gate"] = gate
    return MatchResult(outcome="matched", work=work, agreed=best.agreed(), reason=gate, details=details, **result)


def _preprint_gate(view: ReferenceView, work: WorkFeatures, found: Agreements, names_journal: bool) -> str | None:
    """ "X. Li, S. Nowak, bioRxiv (2015)": a preprint cited by its authors, server and year alone.

    Only for posted content and a reference naming no journal, volume or pages (those cite the
    published version). The server's name, the year and the first author must agree in full, no
    field may contradict, the string may name nobody the preprint lacks, and it must name two of
    its authors (a lone common surname posts on a big server many times a year)."""
    if not work.is_posted_content or names_journal:
        return None
    agrees = found.agrees
    if not (agrees("container", weights.GATE_PLACE_CONTAINER) and agrees("author", 1.0) and agrees("year", 1.0)):
        return None
    if found.contradicted() or found.other_words:
        return None
    if len(work.authors) > 1 and (
        view.string is None or sum(1 for name in work.authors if name_in(view.string.folded, name)) < 2
    ):
        return None
    return "server-author-year"


def _names_container(scored) -> bool:
    """The string names this journal article's journal (a long enough name to be sure)."""
    _, features, found = scored
    return (
        not features.is_posted_content and not features.is_book and found.fields["container"] >= 0.8
        and len(features.containers[0]) >= 8
    )


def _eligible(view: ReferenceView, work: WorkFeatures, found: Agreements, names_journal: bool) -> bool:
    if work.is_notice and not view.says_notice and not _cites_notice_by_place(view, found):
        return False  # an erratum never stands in for the article it corrects
    if view.string is not None and view.string.cites_notice and not work.is_notice and view.string.cites_notice not in work.title:
        return False  # nor the article for its erratum ("Corrigendum to “...”" cites the corrigendum)
    if work.is_posted_content and (names_journal or _says_journal(view, work)):
        return False  # a reference naming a journal, volume or pages cites the published version
    return True


def _says_journal(view: ReferenceView, work: WorkFeatures) -> bool:
    """The string has a word only journals' names have ("Acta", "Bulletin of", "International
    Journal" left of a cut string) and this preprint has none of it."""
    return view.string is not None and any(
        word in JOURNAL_WORDS and word not in work.own_words for word in view.string.tokens
    )


def _cites_notice_by_place(view: ReferenceView, found: Agreements) -> bool:
    """A reference without a title of its own that gives the notice's own first page (and no
    other volume) cites the notice: the article it corrects starts elsewhere."""
    fields = found.fields
    return not view.title and fields["page"] >= 1.0 and fields["volume"] >= 0 and fields["title"] >= 0


def _runner_up(eligible, best: WorkFeatures) -> float:
    """The second-best score, not counting another version of the best (its preprint)."""
    for _, features, found in eligible[1:]:
        if features.is_posted_content != best.is_posted_content and features.title == best.title:
            continue
        return found.raw
    return 0.0


def _tells_versions_apart(found: Agreements, other: Agreements) -> bool:
    """The reference agrees with the work on what its other version (journal article or preprint)
    lacks or has otherwise: the container (journal or server), the volume, the pages, or the year
    (a preprint is often posted the year before its article)."""
    return any(found.agrees(name) for name in ("container", "volume", "page")) or found.fields["year"] > other.fields["year"]


def _other_version(eligible, best: WorkFeatures) -> Agreements | None:
    """How the reference agrees with the best candidate's other version (its preprint, or the
    article of a preprint), when that is a candidate too."""
    for _, features, found in eligible[1:]:
        if features.is_posted_content != best.is_posted_content and features.title == best.title:
            return found
    return None


def passed_gate(found: Agreements, *, structured_title: bool = False) -> str | None:
    """The name of the first combination of independently agreeing fields that holds, or None.

    `structured_title`: the reference gives its title as a field of its own (not in a string)."""
    agrees = found.agrees
    others = sum((
        agrees("author"), agrees("year"), agrees("container") or agrees("identifier"),
        agrees("volume"), agrees("page"),
    ))
    contradictions = len(found.contradicted())
    # (Only with the authors agreeing too: the same title in the same journal and year, at other
    # pages and by other people, is another article, as generic titles recur.)
    tolerated = 1 if found.title_sim >= weights.GATE_TITLE_TOLERATES_ONE_CONTRADICTION and agrees("author") else 0
    if (
        found.title_sim >= weights.GATE_TITLE_SIM and found.title_info >= weights.GATE_TITLE_INFO
        and found.fields["title"] > 0 and others >= weights.GATE_TITLE_OTHERS and contradictions <= tolerated
    ):
        return "title"
    # A string that names people the work lacks cites their work: without a title, the journal,
    # volume and page only link when the names agree too (or the string names nobody).
    names_agree = agrees("author") or found.other_words == 0 or found.title_sim >= weights.GATE_PARTIAL_TITLE_SIM
    # A first-page typo whose last page agrees: only with the year and the author agreeing as well.
    page_agrees = agrees("page", 1.0) or (
        agrees("page", weights.PAGE_LAST_AGREEMENT) and agrees("author", 1.0) and agrees("year", 1.0)
    )
    if (
        (agrees("container", 0.8) or agrees("identifier"))
        and agrees("volume", 1.0) and page_agrees and (agrees("year") or agrees("author"))
        and names_agree and found.fields["title"] >= 0
    ):
        return "journal-volume-page"
    if (
        agrees("container", 0.8) and agrees("page", 1.0) and agrees("author") and agrees("year")
        and found.fields["volume"] >= 0
    ):
        return "container-page-author-year"  # book chapters, and articles registered without a volume
    if (
        found.title_sim >= weights.GATE_TITLE_AUTHOR_SIM and found.title_info >= 1.0 and agrees("author", 1.0)
        and not contradictions
    ):
        # A string cut after its title: the whole of an informative title and its first author.
        return "title-author"
    if (
        agrees("container", weights.GATE_PLACE_CONTAINER) and agrees("page", 1.0) and agrees("year", 1.0)
        and found.fields["volume"] == 0 and not contradictions and names_agree
    ):
        # Proceedings (and journals registered without volumes): the volume, the page in it and
        # the year name one paper as a journal's volume and page do.
        return "container-page-year"
    if (
        structured_title and found.title_sim >= weights.GATE_TITLE_AUTHOR_SIM and found.title_info >= 1.0
        and agrees("year", 1.0) and not contradictions
    ):
        # A reference deposited as a title and a year: the whole of an informative title (4+
        # content words; "An Introduction to X" is no such title) in that very year.
        return "title-year"
    if (
        found.title_sim >= weights.GATE_PARTIAL_TITLE_SIM and found.title_info >= 0.5
        and found.fields["title"] > 0 and others >= weights.GATE_PARTIAL_TITLE_OTHERS and not contradictions
    ):
        return "partial-title"
    return None
