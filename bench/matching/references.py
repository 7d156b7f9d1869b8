"""Planning the references: which work each one cites, in which style and form, degraded how,
and what the right answer is (a DOI, or null when the cited work is not in the registry or the
reference's DOI is contradicted or unregistered).
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

from bench.matching import degrade
from bench.matching import registry as kinds
from bench.matching.registry import Corpus, Work
from bench.matching.render import STYLES, csl_item

# Shares of the reference set, by category and kind.
CATEGORY_SHARES: dict[str, float] = {
    "unstructured": 0.34,
    "degraded": 0.22,
    "structured": 0.14,
    "doi": 0.11,
    "not-in-registry": 0.19,
}
DOI_KINDS = {"doi-correct": 0.55, "doi-wrong-work": 0.225, "doi-unregistered": 0.225}
NOT_IN_REGISTRY_KINDS = {"held-out": 0.58, "near-miss": 0.42}
STRUCTURED_KINDS = ("structured-full", "structured-no-title", "structured-no-author", "structured-jvpy")

# What the cited works are, for references whose work is registered.
TARGET_SHARES: dict[str, float] = {
    kinds.PLAIN: 0.48,
    kinds.HAS_PREPRINT: 0.07,
    kinds.PREPRINT: 0.04,
    kinds.ERRATUM: 0.03,
    kinds.HAS_ERRATUM: 0.04,
    kinds.SERIES_PART: 0.05,
    kinds.NEAR_DUPLICATE: 0.05,
    kinds.FOREIGN: 0.03,
    kinds.CHAPTER: 0.06,
    kinds.BOOK: 0.03,
    kinds.PROCEEDINGS: 0.06,
    kinds.REAL: 0.06,
}

CALIBRATION_PERCENT = 30
STRUCTURED_STYLE = "structured"


@dataclass
class PlannedReference:
    id: str
    category: str
    kind: str
    work: Work  # the work whose metadata the reference carries
    expected: str | None
    form: str = "unstructured"  # or "structured"
    style: str = STRUCTURED_STYLE
    doi: str = ""  # the DOI the reference carries, if any
    item: dict = field(default_factory=dict)  # CSL item to render (unstructured form)
    et_al: bool = False
    fields: dict = field(default_factory=dict)  # structured form

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(ref_id: str) -> str:
    """calibration (30%) or test (70%), by a hash of the id, so it never depends on the order."""
    digest = hashlib.sha1(ref_id.encode()).digest()
    return "calibration" if int.from_bytes(digest[:4], "big") % 100 < CALIBRATION_PERCENT else "test"


class Planner:
    def __init__(self, corpus: Corpus, rng: random.Random):
        self.corpus = corpus
        self.rng = rng
        self.by_kind: dict[str, list[Work]] = {}
        for work in corpus.registry:
            self.by_kind.setdefault(work.kind, []).append(work)
        self.registered_pages = {
            (w.rest.get("container-title", [""])[0], w.rest.get("volume", ""), w.rest.get("page", "").split("-")[0])
            for w in corpus.registry
        }
        self.style_turn = 0
        self.near_misses: list[Work] = []

    def plan(self, count: int) -> list[PlannedReference]:
        planned: list[PlannedReference] = []
        quotas = _apportion(count, CATEGORY_SHARES)
        for category, quota in quotas.items():
            for index in range(quota):
                planned.append(getattr(self, "_" + category.replace("-", "_"))(index, quota))
        self.rng.shuffle(planned)
        self._assign_styles(planned)
        for number, reference in enumerate(planned, start=1):
            reference.id = f"ref-{number:06d}"
            if reference.form == "unstructured":
                # A plain DOI goes to the style; other forms ("https://doi.org/...") are appended.
                printed = reference.doi if reference.doi and bare_doi(reference.doi) == reference.doi.lower() else ""
                reference.item = csl_item(reference.work.rest, item_id=reference.id, abbrev=reference.work.abbrev, doi=printed)
                if reference.kind in degrade.ITEM_KINDS:
                    reference.item = degrade.degrade_item(reference.kind, reference.item, self._rng_for(reference))
                    reference.et_al = reference.kind == "et-al"
            else:
                reference.fields = self._structured_fields(reference)
        return planned

    # --- categories ------------------------------------------------------------------------

    def _unstructured(self, index: int, quota: int) -> PlannedReference:
        work = self.target()
        return PlannedReference("", "unstructured", "clean", work, work.doi)

    def _degraded(self, index: int, quota: int) -> PlannedReference:
        kind = degrade.KINDS[index % len(degrade.KINDS)]
        work = self.target(kind)
        return PlannedReference("", "degraded", kind, work, work.doi)

    def _structured(self, index: int, quota: int) -> PlannedReference:
        kind = STRUCTURED_KINDS[index % len(STRUCTURED_KINDS)]
        work = self.target()
        return PlannedReference("", "structured", kind, work, work.doi, form="structured")

    def _doi(self, index: int, quota: int) -> PlannedReference:
        kind = _pick(self.rng, DOI_KINDS)
        form = "unstructured" if self.rng.random() < 0.5 else "structured"
        if kind == "doi-correct":
            work = self.target()
            doi = _doi_variant(work.doi, self.rng)
            return PlannedReference("", "doi", kind, work, work.doi, form=form, doi=doi)
        if kind == "doi-wrong-work":
            work = self.target()
            other = self.rng.choice(self.corpus.registry)
            while other.rest.get("container-title") == work.rest.get("container-title"):
                other = self.rng.choice(self.corpus.registry)
            return PlannedReference("", "doi", kind, work, None, form=form, doi=other.doi)
        work = self.rng.choice(self.corpus.heldout)  # its own DOI, registered elsewhere, not here
        return PlannedReference("", "doi", kind, work, None, form=form, doi=work.doi)

    def _not_in_registry(self, index: int, quota: int) -> PlannedReference:
        kind = _pick(self.rng, NOT_IN_REGISTRY_KINDS)
        work = self.rng.choice(self.corpus.heldout) if kind == "held-out" else self.near_miss()
        roll = self.rng.random()
        reference = PlannedReference("", "not-in-registry", kind, work, None)
        if roll < 0.15:
            reference.form = "structured"
            reference.kind += "/" + self.rng.choice(STRUCTURED_KINDS)
        elif roll < 0.3:
            reference.kind += "/" + self.rng.choice(degrade.KINDS)
        return reference

    # --- targets ---------------------------------------------------------------------------

    def target(self, degradation: str = "") -> Work:
        for _ in range(30):
            kind = _pick(self.rng, TARGET_SHARES)
            pool = self.by_kind.get(kind)
            if not pool:
                continue
            work = self.rng.choice(pool)
            if degradation == "et-al" and len(work.rest.get("author", [])) < 3:
                continue
            if degradation == "ascii" and str(work.rest.get("author")).isascii() and work.rest.get("title", [""])[0].isascii():
                continue
            if degradation == "page-typo" and not re.search(r"\d", work.rest.get("page", "")):
                continue
            return work
        return self.rng.choice(self.corpus.registry)

    def near_miss(self) -> Work:
        """Not registered: same authors and journal as a registered article, a similar title."""
        original = self.rng.choice(self.by_kind[kinds.PLAIN])
        rest = dict(original.rest)
        journal = original.journal
        title = original.rest["title"][0]
        roll = self.rng.random()
        if roll < 0.35:
            title = f"{title}. Part II" if "Part" not in title else title.replace("Part I", "Part IV")
        elif roll < 0.75:
            title = kinds._swap_one_word(self.rng, title, kinds.vocab.FIELDS[original.field])
        else:
            title = _other_title(self.rng, original)
        year = original.rest["issued"]["date-parts"][0][0] + self.rng.choice((0, 1, 1, 2))
        volume = str(max(1, int(original.rest.get("volume") or 1) + year - original.rest["issued"]["date-parts"][0][0]))
        while True:
            first = self.rng.randint(1, 2400)
            key = (rest.get("container-title", [""])[0], volume, str(first))
            if key not in self.registered_pages:
                break
        rest.update(
            DOI=f"{original.doi}.nm{len(self.near_misses) + 1}",
            title=[title],
            volume=volume,
            page=f"{first}-{first + self.rng.randint(4, 18)}",
            issued={"date-parts": [[year]]},
        )
        rest.pop("subtitle", None)
        work = Work(rest=rest, kind=kinds.NEAR_MISS, field=original.field, abbrev=original.abbrev, related=original.doi, journal=journal)
        self.near_misses.append(work)
        return work

    # --- styles and structured fields ----------------------------------------------------------

    def _assign_styles(self, planned: list[PlannedReference]) -> None:
        # Round-robin within each category, so every category is balanced across styles.
        turns: dict[str, int] = {}
        for reference in planned:
            if reference.form != "unstructured":
                continue
            turn = turns.get(reference.category, self.rng.randrange(len(STYLES)))
            reference.style = STYLES[turn % len(STYLES)]
            turns[reference.category] = turn + 1

    def _rng_for(self, reference: PlannedReference) -> random.Random:
        return random.Random(f"{reference.id}:{reference.kind}")

    def _structured_fields(self, reference: PlannedReference) -> dict:
        rng = self._rng_for(reference)
        rest = reference.work.rest
        kind = reference.kind.rsplit("/", 1)[-1]
        fields: dict[str, str] = {}
        authors = rest.get("author") or []
        if authors and kind != "structured-no-author" and kind != "structured-jvpy":
            first = authors[0]
            family = first.get("family") or first.get("name", "")
            given = first.get("given", "")
            initials = "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)
            fields["author"] = rng.choice((family, f"{family} {initials}".strip(), f"{family}, {given}".strip(", "), f"{initials}. {family}" if initials else family))
        title = (rest.get("title") or [""])[0]
        containers = rest.get("container-title") or []
        work_type = rest.get("type")
        if work_type == "journal-article":
            abbrev = reference.work.abbrev or (rest.get("short-container-title") or [""])[0]
            if containers:
                fields["journal-title"] = abbrev if abbrev and rng.random() < 0.5 else containers[0]
            if title and kind not in ("structured-no-title", "structured-jvpy"):
                fields["article-title"] = title
            if rest.get("volume"):
                fields["volume"] = rest["volume"]
            if rest.get("issue") and kind != "structured-jvpy" and rng.random() < 0.7:
                fields["issue"] = rest["issue"]
            if rest.get("ISSN") and kind != "structured-jvpy" and rng.random() < 0.2:
                fields["ISSN"] = rest["ISSN"][0]
        elif work_type == "posted-content":
            fields["article-title"] = title
            server = (rest.get("institution") or [{}])[0].get("name", "")
            if server and rng.random() < 0.5:
                fields["journal-title"] = server
        elif work_type == "book":
            fields["volume-title"] = title
            if rest.get("ISBN") and rng.random() < 0.3:
                fields["ISBN"] = rest["ISBN"][0]
        else:  # chapters and proceedings papers
            if containers:
                fields["volume-title"] = containers[-1]
                if len(containers) > 1:
                    fields["series-title"] = containers[0]
            if title and kind not in ("structured-no-title", "structured-jvpy"):
                fields["article-title"] = title
            if rest.get("ISBN") and rng.random() < 0.3:
                fields["ISBN"] = rest["ISBN"][0]
        page = rest.get("page", "").split("-")[0]
        if page:
            fields["first-page"] = page
        year = ((rest.get("issued") or {}).get("date-parts") or [[None]])[0][0]
        if year:
            fields["year"] = str(year)
        if reference.doi:
            fields["DOI"] = reference.doi
            # A DOI alone, as many publishers deposit them; never for a wrong-work DOI, whose
            # truth (no link) only the other fields can reveal: a DOI alone is its DOI's work.
            if rng.random() < 0.3 and reference.kind != "doi-wrong-work":
                fields = {"DOI": reference.doi}
        return fields


def _other_title(rng: random.Random, original: Work) -> str:
    """An unrelated title in the original's field: the same team's other paper."""
    words = kinds.vocab.FIELDS[original.field]
    topic, topic2 = rng.sample(words["topics"], 2)
    template = rng.choice(kinds.vocab.TITLE_TEMPLATES)
    title = template.format(T=topic, T2=topic2, M=rng.choice(words["modifiers"]), X=rng.choice(words["methods"]), S=rng.choice(words["systems"]), C=rng.choice(words["conditions"]))
    return title[0].upper() + title[1:]


def bare_doi(doi: str) -> str:
    """Lower case, no resolver or "doi:" prefix: how DOIs are compared."""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE).lower()


def _doi_variant(doi: str, rng: random.Random) -> str:
    """The DOI in one of the ways publishers write it (the matcher should normalise)."""
    roll = rng.random()
    if roll < 0.5:
        return doi
    if roll < 0.7:
        return f"https://doi.org/{doi}"
    if roll < 0.8:
        return f"http://dx.doi.org/{doi}"
    if roll < 0.9:
        return doi.upper()
    return f"doi:{doi}"


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _apportion(count: int, shares: dict[str, float]) -> dict[str, int]:
    total = sum(shares.values())
    quotas = {name: int(count * share / total) for name, share in shares.items()}
    quotas[next(iter(quotas))] += count - sum(quotas.values())
    return quotas
