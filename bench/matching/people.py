"""Authors with a real-world shape: a Zipf-like surname distribution led by the names that
crowd real registries (Wang, Li, Smith, Müller, García, Nguyen...), given names from the same
culture, and productive authors who publish several papers a year with a steady team.
"""
from __future__ import annotations

import bisect
import importlib
import itertools
import random
from dataclasses import dataclass
from functools import lru_cache


def _split(names: str) -> list[str]:
    # "de Vries" and "van den Berg" are single surnames.
    words, result = names.split(), []
    particles = {"de", "van", "den", "der", "von"}
    current: list[str] = []
    for word in words:
        current.append(word)
        if word not in particles:
            result.append(" ".join(current))
            current = []
    return result


# The most frequent surnames first, per culture; their rank sets their weight.
_COMMON: tuple[tuple[str, str], ...] = (
    ("zh", "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo"),
    ("en", "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore"),
    ("ko", "Kim Lee Park Choi Jung Kang Cho Yoon"),
    ("vi", "Nguyen Tran Le Pham Hoang"),
    ("de", "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer"),
    ("es", "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Gómez Muñoz"),
    ("in", "Kumar Singh Sharma Gupta Patel Das Reddy Shah"),
    ("ja", "Tanaka Suzuki Takahashi Watanabe Sato Ito Yamamoto Nakamura Kobayashi"),
    ("pt", "Silva Santos Oliveira Ferreira Pereira Costa Almeida Souza"),
    ("fr", "Martin Bernard Dubois Durand Moreau Lefèvre Girard"),
    ("it", "Rossi Russo Ferrari Esposito Bianchi Romano Colombo"),
    ("ru", "Ivanov Smirnov Kuznetsov Popov Petrov Volkov"),
    ("pl", "Nowak Kowalski Wiśniewski Wójcik Lewandowski"),
    ("tr", "Yılmaz Kaya Demir Şahin Çelik"),
    ("nl", "de Vries van den Berg Jansen Bakker Visser"),
    ("nordic", "Jensen Nielsen Hansen Andersson Johansson Karlsson Nilsson Søndergaard"),
    ("ar", "Ali Khan Ahmed Hussain Hassan Ibrahim"),
)

# How much of the world's authorship a culture's common names carry (orders the top ranks).
_CULTURE_WEIGHT = {"zh": 5.0, "en": 2.5, "ko": 2.0, "de": 1.5, "es": 1.5, "in": 1.5, "ja": 1.3, "vi": 1.2}

# Given names Faker has no romanised list for.
_GIVEN: dict[str, str] = {
    "zh": "Wei Jing Xiaoming Hui Yan Lei Jun Hong Ying Fang Xin Yu Hao Jie Min Lin Qiang Tao Na Ming "
    "Feng Bo Yifan Zihan Haoran Xiaoyu Jiayi Chen Kai Rui Lu Ping Yong Dan Xue Yuqing Zhiwei Shu",
    "ko": "Min-jun Seo-yeon Ji-ho Hyun-woo Soo-jin Jae-hyun Eun-ji Dong-hyun Ji-won Sung-min Hye-jin",
    "vi": "Anh Minh Lan Hung Duc Huong Linh Tuan Thao Quang Van Thi Hoa Nam Phuong Khanh",
    "ja": "Hiroshi Takeshi Yuki Haruka Kenji Akira Naoko Satoshi Yoshiko Kazuo Makoto Ayumi Daisuke Emi",
    "in": "Rahul Priya Amit Anjali Vikram Sunita Arjun Deepak Kavita Sanjay Neha Ravi Pooja Suresh",
    "ru": "Sergey Alexei Dmitry Olga Natalia Ivan Elena Andrei Tatiana Mikhail Irina Vladimir Anna",
    "ar": "Mohammed Ahmed Fatima Omar Aisha Yusuf Khalid Layla Hassan Mariam Tariq Noor",
}

# Faker locales whose surnames and given names fill the long tail (with their diacritics).
_FAKER_LOCALES: dict[str, str] = {
    "en": "en_US", "de": "de_DE", "es": "es_ES", "fr": "fr_FR", "it": "it_IT", "pt": "pt_BR",
    "pl": "pl_PL", "nl": "nl_NL", "tr": "tr_TR", "nordic": "sv_SE", "cz": "cs_CZ", "dk": "da_DK",
    "gb": "en_GB", "ie": "en_IE", "hu": "hu_HU", "fi": "fi_FI",
}


@dataclass(frozen=True)
class Person:
    family: str
    given: str

    def as_rest(self, sequence: str) -> dict:
        return {"given": self.given, "family": self.family, "sequence": sequence}


class People:
    """A pool of authors: draw a lead author (productive ones more often) and their team."""

    def __init__(self, rng: random.Random, size: int, seed: int):
        surnames, cultures = _surname_table(seed)
        givens = _given_names(seed)
        # Zipf-like: weight of rank r is 1/(r + 3); common surnames hold the top ranks.
        weights = [1.0 / (rank + 3) for rank in range(len(surnames))]
        cumulative = list(itertools.accumulate(weights))
        people = []
        for _ in range(size):
            index = bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
            culture = cultures[index]
            people.append(Person(family=surnames[index], given=_given(rng, givens[culture])))
        self.people = people
        # Productivity: a few authors write many papers, most write one or two.
        productivity = [rng.paretovariate(1.3) for _ in people]
        self._cumulative = list(itertools.accumulate(productivity))
        self._rng = rng

    def lead(self) -> int:
        return bisect.bisect_left(self._cumulative, self._rng.random() * self._cumulative[-1])

    def team(self, lead: int, count: int) -> list[Person]:
        """`count` authors led by `lead`: colleagues from the lead's group, a few outsiders."""
        rng, people = self._rng, self.people
        chosen = [lead]
        group = lead - lead % 12  # groups of 12 neighbours in the pool work together
        while len(chosen) < count:
            if rng.random() < 0.8:
                candidate = min(group + rng.randrange(12), len(people) - 1)
            else:
                candidate = rng.randrange(len(people))
            if candidate not in chosen:
                chosen.append(candidate)
        return [people[i] for i in chosen]


def _given(rng: random.Random, names: list[str]) -> str:
    given = rng.choice(names)
    if rng.random() < 0.18:  # a middle name or initial: "Jenny N.", "Cinta M"
        given += " " + rng.choice("ABCDEFGHJKLMNPRSTW") + ("." if rng.random() < 0.7 else "")
    return given


@lru_cache(maxsize=4)
def _surname_table(seed: int) -> tuple[list[str], list[str]]:
    surnames: list[str] = []
    cultures: list[str] = []
    seen: set[str] = set()
    common = [(name, culture) for culture, names in _COMMON for name in _split(names)]
    # Interleave cultures so the top ranks mix Wang, Smith, Kim, Nguyen, Müller, García...
    random.Random(seed).shuffle(common)
    common.sort(key=lambda pair: (_rank_in_culture(pair) + 1) / _CULTURE_WEIGHT.get(pair[1], 1.0))
    for name, culture in common:
        surnames.append(name)
        cultures.append(culture)
        seen.add(name)
    tail = []
    for culture, locale in _FAKER_LOCALES.items():
        for name in _faker_names(locale, ("last_names", "last_names_male", "last_names_female"))[:500]:
            if name not in seen and " " not in name:
                seen.add(name)
                tail.append((name, culture))
    random.Random(seed + 1).shuffle(tail)
    return surnames + [s for s, _ in tail], cultures + [c for _, c in tail]


def _rank_in_culture(pair: tuple[str, str]) -> int:
    name, culture = pair
    for listed_culture, names in _COMMON:
        if listed_culture == culture:
            return _split(names).index(name)
    return 0


@lru_cache(maxsize=4)
def _given_names(seed: int) -> dict[str, list[str]]:
    givens = {culture: names.split() for culture, names in _GIVEN.items()}
    for culture, locale in _FAKER_LOCALES.items():
        givens[culture] = _faker_names(locale, ("first_names", "first_names_male", "first_names_female"))[:400]
    return givens


def _faker_names(locale: str, attributes: tuple[str, ...]) -> list[str]:
    """Names from Faker's data for `locale` (read directly: no Faker instance, no randomness)."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: dict[str, None] = {}
    for attribute in attributes:
        values = getattr(provider, attribute, None) or ()
        if len(values) > 1:
            names.update(dict.fromkeys(values))
    return list(names)
