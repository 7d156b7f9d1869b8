"""Every number the matcher decides with: field weights, similarity ramps, gates and thresholds.

How they were set (first calibration, by hand): on the hand-written hard cases in
`tests/citations/matching/` and on the 86 real Crossref records in `shared/data/crossref-unixsd`
(their references rendered in several styles must match; none of their 2,365 real references,
which cite other works, may match one of them). The benchmark built from citeproc-py renderings
will re-tune them on a held-out calibration split; keep every tunable number here, so re-tuning
is an edit of this file only.

Scoring is a weighted sum of per-field agreements: each field's agreement is in -1..1
(1 = the field agrees, 0 = no evidence either way, negative = it contradicts), multiplied by the
field's weight; the sum divided by SCORE_SCALE and clipped to 0..1 is the candidate's score.
A candidate is accepted only when (a) its score reaches ACCEPT_SCORE, (b) it leads the runner-up
by MARGIN, and (c) one of the gates holds: several fields agreeing independently, so that one
lucky field (a common title, a popular author, a page number) never links on its own.
"""
from __future__ import annotations

# --- Field weights (positive agreement). A full agreement on every field sums to ~1.36. ---
WEIGHTS: dict[str, float] = {
    "title": 0.40,
    "author": 0.15,
    "year": 0.12,
    "container": 0.15,
    "volume": 0.12,
    "page": 0.18,
    "issue": 0.04,
    "identifier": 0.20,  # ISSN or ISBN equality (structured references only)
}

# --- Weights of contradictions (agreement -1 multiplies these instead). ---
# Only fields whose disagreement really says "another work" are penalised; an author written
# differently, or a missing field, is no evidence against.
CONTRADICTION_WEIGHTS: dict[str, float] = {
    "title": 0.30,  # structured article_title clearly unrelated to the work's title
    "author": 0.08,  # structured author names none of the work's authors
    "year": 0.15,  # more than one year apart (one year is online-first vs print)
    "container": 0.12,  # structured journal title clearly another journal
    "volume": 0.10,
    "page": 0.18,  # the reference shows pages and the work's first page is not among them
    "issue": 0.06,  # "12(3)" written with the work's volume, and the work is in another issue
    "identifier": 0.10,  # structured ISSN differs from every ISSN of the work
}

# Score = clip(sum / SCORE_SCALE, 0, 1). With 0.9 the weakest passing gates sit near 0.6.
SCORE_SCALE = 0.90

# --- Decision thresholds (on the 0..1 score). ---
ACCEPT_SCORE = 0.60  # below: "below-threshold"
MARGIN = 0.12  # best minus runner-up (unclipped scores) below this: "ambiguous"

# --- Title similarity ---
# rapidfuzz similarity (0..1) of the work's normalised title against the reference is mapped
# linearly from TITLE_SIM_FLOOR (agreement 0) to TITLE_SIM_FULL (agreement 1): a title that is
# only "about the same topic" earns nothing, an OCR-damaged one most of the weight.
TITLE_SIM_FLOOR = 0.70
TITLE_SIM_FULL = 0.97
# The ramp is raised to this power: near the top one word of difference ("... in mice" vs
# "... in rats") must cost a lot, so that an exact title clearly beats its sibling paper's.
TITLE_RAMP_POWER = 2.0
# A title with fewer content words than this is weak evidence ("Editorial", "Nature"):
# its agreement is scaled by content_words / TITLE_INFORMATIVE_WORDS.
TITLE_INFORMATIVE_WORDS = 4
# Fuzzy title comparison is the costly step; a title sharing fewer than this share of its
# content words with the reference is not compared character by character (its similarity is
# taken as that share times TITLE_PREFILTER_DISCOUNT, far below the floor).
TITLE_PREFILTER_MIN_SHARE = 0.34
TITLE_PREFILTER_DISCOUNT = 0.6
# An unstructured string without this work's title (similarity below GATE_PARTIAL_TITLE_SIM) but
# with at least this many content words that are none of the work's (title, names, container
# and its abbreviations) carries another title: a contradiction. Calibration split: 4 keeps
# title-less styles (author names and journal abbreviations only) and cut strings matching.
OTHER_TITLE_WORDS = 4
# A string with the work's main title but not its subtitle earns the main title's credit only when
# it does not go on with another subtitle: of the first SUBTITLE_WORDS_LOOKED_AT content words after
# the main title (before any number), this many that are none of the work's are another subtitle.
SUBTITLE_WORDS_LOOKED_AT = 3
OTHER_SUBTITLE_WORDS = 2
# Structured article_title below this similarity is "unrelated" (a contradiction).
TITLE_UNRELATED_SIM = 0.50
# A subtitle-less match against the main title only counts this much of a full match.
MAIN_TITLE_FACTOR = 0.97

# --- Gates (which independent agreements must hold) ---
GATE_TITLE_SIM = 0.88  # "title agrees" for the title gate (similarity, before the ramp)
GATE_TITLE_INFO = 0.75  # and the title has at least 3 of 4 informative words
GATE_TITLE_OTHERS = 2  # title gate: this many of author/year/container/volume/page agree as well
# A string cut after its title: the title (informative, 4+ content words) this close and the
# first author, nothing contradicting, and no preprint/article twin of the same title.
GATE_TITLE_AUTHOR_SIM = 0.98  # above MAIN_TITLE_FACTOR: the whole title, not its main title alone
GATE_PARTIAL_TITLE_SIM = 0.72  # damaged or cut titles: a weaker title ...
GATE_PARTIAL_TITLE_OTHERS = 3  # ... with this many other fields agreeing, and none contradicting
# The title gate tolerates one contradicting field (a year or page typo) only for a title this close.
GATE_TITLE_TOLERATES_ONE_CONTRADICTION = 0.95
# The title-year gate (a structured title and year alone) needs both in full: title and year
# agreeing at 1.0 sum to (0.40 + 0.12) / 0.90 = 0.578; this leaves room for a title at 0.98.
TITLE_YEAR_ACCEPT_SCORE = 0.56
# A preprint cited by its server, year and authors alone ("X. Li, S. Nowak, bioRxiv (2015)"): those
# three in full sum to (0.15 + 0.12 + 0.15) / 0.90 = 0.467; the gate's own conditions decide.
SERVER_AUTHOR_YEAR_ACCEPT_SCORE = 0.46
# A container, first page and year with no volume on either side (proceedings) link only when the
# container agrees this well (its name or its abbreviation, not a fuzzy likeness).
GATE_PLACE_CONTAINER = 0.9
FIELD_AGREES = 0.5  # a field's agreement at least this counts as "agrees" for a gate

# --- Author ---
AUTHOR_FUZZY_MIN = 0.86  # OCR-damaged surname: rapidfuzz ratio at least this ...
AUTHOR_FUZZY_AGREEMENT = 0.6  # ... earns this agreement (exact first author: 1.0)
AUTHOR_OTHER_AGREEMENT = 0.6  # the first author missing but a co-author named
AUTHOR_FUZZY_MIN_LENGTH = 5  # shorter surnames must match exactly

# --- Container (journal / book) ---
CONTAINER_FUZZY_MIN = 0.92  # fuzzy match of a long container variant inside the string
CONTAINER_FUZZY_MIN_LENGTH = 12
CONTAINER_COMPACT_MIN_LENGTH = 8  # "procnatlacadsciusa" inside the string without spaces
CONTAINER_ABBREVIATION_AGREEMENT = 0.9
# A structured journal title only "fuzzily like" the work's (Phys Rev B / Phys Rev D) earns no
# agreement: its similarity is scaled by this, below any gate.
CONTAINER_FUZZY_FACTOR = 0.75
CONTAINER_CONTRADICTS_BELOW = 0.45
# A structured journal title whose start abbreviates the whole of the work's ("Proc Natl Acad Sci
# USA" for "Proceedings of the National Academy of Sciences"): neither agreement nor contradiction.
CONTAINER_PARTIAL_SIMILARITY = 0.5  # structured journal title this unlike the work's: another journal

# --- Pages ---
PAGE_ELSEWHERE_AGREEMENT = 0.5  # first page found in the string but not as a range start
# The first page differs (a typo) but the range ends at the work's last page: no penalty, little
# credit; with journal, volume, year and author all agreeing it stands in for the page in the gate.
PAGE_LAST_AGREEMENT = 0.3

# --- DOI references ---
YEAR_TOLERANCE = 1  # years further apart than this contradict
# An unstructured string with this many content words, none of which points at the DOI's work
# (title, first author, container), is about another work.
DOI_UNRELATED_MIN_WORDS = 6

# --- Queries ---
MAX_QUERY_TERMS = 30
MAX_VOLUME_PAGES = 6
