"""bench/trigram_fallback.py's damaged titles: each slipped word is one edit from the word it was."""
import random

import pytest

from bench.trigram_fallback import slip
from citations.search.terms import one_edit_away


@pytest.mark.parametrize("word", ["resonances", "shell", "tomography", "aab", "abba"])
def test_a_slip_changes_a_word_by_one_edit(word):
    rng = random.Random(3)
    for _ in range(200):
        slipped = slip(word, rng)
        assert slipped != word
        assert one_edit_away(slipped, {word})
