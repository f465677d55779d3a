"""Which mentions name one identity: a registry entry; a person by surname and first name (a
bare surname, an initial or a particle form joining the one such person); a nationality by
itself; anything else by the skeleton of its name, Latin spellings only when alike, other
scripts' lemmas when alike or one stem; an acronym with the one name an article spells out
beside it; an organisation with and without its designator. `vote` types a group. Plain
functions over mentions (`_Candidate`); entities.py builds the entities from the groups.
"""

from __future__ import annotations

import copy
import os
import re
import unicodedata
from collections import Counter, defaultdict

from ..model import Article
from .english_ner import GROUP
from .mentions import _Candidate
from .name_keys import TOKEN, alike_across_scripts, name_key, skeleton


def _split_scripts(groups: dict[tuple, list[_Candidate]]) -> dict:
    """A consonant skeleton joins names across scripts; in groups holding two scripts:
    - a bare word no model typed (the capitalised-word rules found it), or a bare surname
      joining a person, stays only when its vowels stand where the other script's do
      (`alike_across_scripts`): the skeleton alone had joined "Bankia", "Banyak" (Indonesian
      "many") and "Bunicii" (Romanian "grandparents") to Николай Бабенко, "Brito" to
      Бейруте, "Belichick" to Кристина Белько. Such a word is a name of its own;
    - when the models typed the two scripts' mentions apart (a person "Frank", a place
      "Франции"), each script's are a name of their own;
    - a bare word no model typed joins a person of the other script only when a full name of
      that person is written in its own script: El Calafate's "Calafate" was Хуни Калафат,
      Spanish "Malaria" Йеспер Меллер, each with the same vowels in place.
    - a word of one or two letters (ИГ, IG) is a name of its own.
    Typed words of one type keep their skeleton's join, exonyms with it (Moscow, Москва)."""
    out: dict[tuple, list[_Candidate]] = defaultdict(list)
    for key, members in groups.items():
        if key[0] == "registry" or len({_latin(c.text) for c in members}) < 2:
            out[key].extend(members)
            continue
        words: dict[bool, set[str]] = {True: set(), False: set()}
        types: dict[bool, set[str]] = {True: set(), False: set()}
        full: dict[bool, bool] = {True: False, False: False}  # a full name (two words or more) in this script
        for cand in members:
            latin = _latin(cand.text)
            words[latin].add(cand.words[-1])
            full[latin] |= len(cand.words) > 1
            if cand.type and cand.type != GROUP:
                types[latin].add(cand.type)
        apart = types[True] and types[False] and not types[True] & types[False]
        for cand in members:
            latin = _latin(cand.text)
            if apart and not latin:
                out[(*key, "own script")].append(cand)
            elif len(cand.words) == 1 and len(cand.words[0]) <= 2:
                # Two letters say nothing across scripts: a Russian food blog's ИГ (Instagram)
                # had joined an impeachment report's IG (inspector general).
                out[("name", name_key(cand.words), "latin" if latin else "other", "own script")].append(cand)
            elif ((cand.type is None or key[0] == "person") and len(cand.words) == 1
                  and (not any(alike_across_scripts(cand.words[0], other) for other in words[not latin])
                       or (key[0] == "person" and cand.type is None and not full[latin]))):
                out[("name", name_key(cand.words), cand.words[0], "own script")].append(cand)
            else:
                out[key].append(cand)
    return out


def _drop_common_words(groups: dict[tuple, list[_Candidate]], articles: list[Article]) -> dict:
    """One-word names whose usual form the digest writes in lower case at least as often
    ("Police said" and "the police", "Shares in BP rose" and "its shares", "Office"): words
    capitalised because they open a sentence or follow a title, not entities. Registered
    names, and people named in full anywhere, are other groups and always kept. A sentence's
    first word (`weak`) its language writes in lower case as often leaves any group it
    joined: Romanian "Puțin" ("a little", 14 times in lower case) is no Путин, whose name
    folds the same, nor Spanish "Llevan" ("they carry", 7) Ливан; a Romanian sentence's
    "Turcia" stays Турция, an English one's "Yang" Andrew Yang (Indonesian "yang": "which")."""
    single = {key: Counter(c.text for c in members) for key, members in groups.items()
              if (key[0] == "name" or (key[0] == "person" and not key[2]))
              and all(len(c.words) == 1 for c in members)}
    usual = {key: forms.most_common(1)[0] for key, forms in single.items()}  # (form, mentions)
    language = {article.slug: article.language for article in articles}

    def language_of(cand: _Candidate) -> str:
        return "en" if cand.field == "translation" else language.get(cand.article, "")

    openers = Counter((language_of(c), c.text) for members in groups.values() for c in members if c.weak)
    wanted = {form.lower() for form, _ in usual.values()} | {form.lower() for _, form in openers}
    lower: Counter = Counter()  # (language, word) written in lower case
    for article in articles:
        for paragraphs, written_in in ((article.paragraphs, article.language),
                                       (article.translation.paragraphs if article.translation else (), "en")):
            lower.update((written_in, word) for paragraph in paragraphs
                         for word in TOKEN.findall(paragraph) if word in wanted)
    anywhere = Counter()
    for (_, word), count in lower.items():
        anywhere[word] += count
    common = {key for key, (form, mentions) in usual.items() if anywhere[form.lower()] >= mentions}
    kept = {}
    for key, members in groups.items():
        if key not in common:
            members = [c for c in members if not c.weak
                       or lower[language_of(c), c.text.lower()] < openers[language_of(c), c.text]]
            if members:
                kept[key] = members
    return kept


def group(candidates: list[_Candidate], similarity: float = 88,
           particles: frozenset[str] | set[str] = frozenset()) -> dict[tuple, list[_Candidate]]:
    """Group candidates into identities: registry entry; person by the skeletons of surname
    and first name, so that two people who share a surname stay two (a bare surname, typed
    or not, a surname with its particle ("De Marigny") and an initial ("G Henson") join the
    one such person named in the same article, else the only one named anywhere); anything
    else by the skeleton of its whole name."""
    groups: dict[tuple, list[_Candidate]] = defaultdict(list)
    pending: list[_Candidate] = []
    for cand in candidates:
        if cand.entry is not None:
            groups[("registry", cand.entry)].append(cand)
        elif cand.type == "person" and len(cand.words[0]) > 1 and not _short_form(cand.words, particles):
            groups[_person_key(cand.words)].append(cand)
        else:
            pending.append(cand)
    people_by_article: dict[str, dict[str, set[tuple]]] = defaultdict(lambda: defaultdict(set))
    people_by_surname: dict[str, set[tuple]] = defaultdict(set)
    surnames: dict[tuple, set[tuple[bool, str]]] = defaultdict(set)  # each person's surnames: (Latin?, key)
    given_by_article: dict[str, dict[str, set[tuple]]] = defaultdict(lambda: defaultdict(set))  # first names
    for key, members in groups.items():
        if key[0] == "person":
            people_by_surname[key[1]].add(key)
            for cand in members:
                people_by_article[cand.article][key[1]].add(key)
                surnames[key].add((_latin(cand.text), cand.words[-1]))
                given_by_article[cand.article][cand.words[0]].add(key)
    given = {word for people in given_by_article.values() for word in people}

    def person(cand: _Candidate, surname: str, initial: str = "", anywhere: bool = True):
        """The one person this short form names: in its article, else (`anywhere`) the only
        one named anywhere; False when its article names two such people (no one's, then)."""
        word = (_latin(cand.text), cand.words[-1])
        here = {k for k in people_by_article[cand.article].get(surname, ())
                if k[2].startswith(initial) and _spelled_alike(word, surnames[k])}
        if len(here) > 1:
            return False
        others = {k for k in people_by_surname.get(surname, ())
                  if k[2].startswith(initial) and _spelled_alike(word, surnames[k])} if anywhere else ()
        return next(iter(here or (others if len(others) == 1 else ())), None)

    nationalities = {c.words for c in pending if c.type == GROUP and len(c.words) == 1}
    for cand in sorted(pending, key=lambda c: c.weak):
        if cand.type == "person" and cand.words in nationalities:
            cand = copy.copy(cand)  # "the Welsh", "Scots" read as a person where the digest reads them as a people
            cand.type = GROUP
        if cand.type == GROUP:
            # A nationality is its own identity (type "other": it links articles, gets no page):
            # its consonants would join it to a place's by chance ("Indian" to Indiana).
            groups[(GROUP, name_key(cand.words))].append(cand)
            continue
        if cand.weak:
            # "Lavrov said ...": a sentence's first word is a name only if named elsewhere.
            key = person(cand, skeleton(cand.words[0]))
            key = key or (("name", name_key(cand.words)) if ("name", name_key(cand.words)) in groups else None)
            if key:
                groups[key].append(cand)
            continue
        if len(cand.words) >= 2 and cand.type is None and _person_key(cand.words) in groups:
            groups[_person_key(cand.words)].append(cand)
            continue
        initial = len(cand.words) == 2 and len(cand.words[0]) == 1  # "J. Kerry"
        if _short_form(cand.words, particles):
            # A surname is the person its article names in full, whatever type a model gave
            # it there ("Lavrov said" read as an organisation); elsewhere only if untyped.
            # Else it is a name like any other, keyed without its type: models of two
            # languages may type one word two ways (Роскачество, Roskachestvo).
            # A surname of three letters or less (Liu, Li, Wu, May) is too common to name the
            # one person called so anywhere in the digest: only the one its article names;
            # read as a person with no one named so there ("Mr Liu said"), it is that
            # article's alone (an entity page would link three different Lius).
            surname = skeleton(cand.words[-1])
            common = len(cand.words[-1]) <= 3
            anywhere = cand.type in ("person", None) and not common
            key = person(cand, surname, skeleton(cand.words[0])[:1] if initial else "", anywhere)
            if key is False:
                continue
            if key is None and common and cand.type == "person" and len(cand.words) == 1:
                key = ("name", name_key(cand.words), cand.article)
            if key is None and cand.type == "person" and len(cand.words) == 1 and cand.words[0] in given:
                # A first name alone ("Michael", "Samantha": seven Michaels of CNN's reports
                # were one person) is the one person its article names so, else that article's.
                here = given_by_article[cand.article].get(cand.words[0], set())
                key = next(iter(here)) if len(here) == 1 else ("name", name_key(cand.words), cand.article)
            if key is not None:
                groups[key].append(cand)
                continue
        groups[("name", name_key(cand.words))].append(cand)
    return _split_spellings(groups, similarity, particles)


def _split_spellings(groups: dict[tuple, list[_Candidate]], similarity: float,
                     particles: frozenset[str] | set[str] = frozenset()) -> dict:
    """A consonant skeleton joins one name across scripts (Москва, Moscow) but also two Latin
    names that only share consonants (Niger and Nigeria, Guinea and Ghana, Yukos and IXIS), and
    two people (Liu Xin and Lu Xian). Within a group, Latin spellings stay one name only when
    this similar (rapidfuzz ratio, chained), a person's full names when `_alike_full_names`;
    each other script's form goes with the spelling closest to its transliteration, a short
    form (a bare surname, "G Henson", "De Marigny") with the full names holding it."""
    from rapidfuzz import fuzz

    out: dict[tuple, list[_Candidate]] = defaultdict(list)
    for key, members in groups.items():
        if key[0] not in ("name", "person") or len({c.words for c in members}) < 2:  # most: one spelling
            out[key] = members
            continue
        if key[0] == "name":
            forms = sorted({" ".join(c.words) for c in members if _latin(c.text)})
            alike = lambda one, other: fuzz.ratio(one, other) >= similarity  # noqa: E731
            if not forms:  # one script, not Latin: its lemmas (Василевский and Веселовский share "vslvsk")
                forms = sorted({" ".join(c.words) for c in members})
                alike = lambda one, other: (fuzz.ratio(one, other) >= similarity  # noqa: E731
                                            or _same_stem(one, other))
        else:
            forms = sorted({" ".join(c.words) for c in members
                            if _latin(c.text) and not _short_form(c.words, particles)})
            alike = _alike_full_names
        clusters: list[list[str]] = []
        for form in forms:
            joined = [form]
            for cluster in [c for c in clusters if any(alike(form, other) for other in c)]:
                joined += cluster
                clusters.remove(cluster)
            clusters.append(joined)
        if len(clusters) < 2:
            out[key] = members
            continue
        for cand in members:
            form = " ".join(cand.words)
            # A short form goes with the full names holding it; any other form with the closest.
            short = key[0] == "person" and _short_form(cand.words, particles)
            best = max(range(len(clusters)), key=lambda i: (
                short and any(_holds(other.split(), cand.words) for other in clusters[i]),
                max(fuzz.ratio(form, other) for other in clusters[i])))
            out[key if best == 0 else (*key, clusters[best][0])].append(cand)
    return out


def _short_form(words: tuple[str, ...], particles: frozenset[str] | set[str]) -> bool:
    """A surname alone, after an initial ("G Henson") or with its particle ("De Marigny")."""
    return len(words) == 1 or (len(words) == 2 and (len(words[0]) == 1 or words[0].lower() in particles))


def _holds(full: list[str], short: tuple[str, ...]) -> bool:
    """Whether a full name holds a short form: its surname, after the same initial or particle."""
    if len(short) == 1:
        return short[0] in full
    if len(short[0]) == 1:
        return full[-1] == short[-1] and full[0][:1] == short[0]
    return " ".join(short) in " ".join(full)


def _alike_full_names(one: str, other: str) -> bool:
    """Two Latin spellings of a person's full name that are one person's: the same letters, or
    word by word (first and last when they count their words apart) each the same, or of six
    letters or more and alike (Sergei/Sergey, Muammar/Moammar, Gaddafi/Gadhafi). A short word is a name as
    spelled: the skeleton that joins them (Liu Xin, Lu Xian: "l xn") is the same for many
    Chinese names (Liu Yang, Li Yong, Lu Ying; Zhang and Zheng), whose vowels tell them apart."""
    from rapidfuzz import fuzz

    if one.replace(" ", "").replace("-", "") == other.replace(" ", "").replace("-", ""):
        return True  # Xi Jinping, Xi Jin Ping; Kim Jong-un, Kim Jong Un
    a, b = one.split(), other.split()
    pairs = zip(a, b) if len(a) == len(b) else ((a[0], b[0]), (a[-1], b[-1]))
    return all(x == y or (min(len(x), len(y)) >= 6 and fuzz.ratio(x, y) >= _ALIKE_WORDS) for x, y in pairs)


_ALIKE_WORDS = 75  # rapidfuzz ratio of two spellings of one long word: Vladimir/Volodymyr is 71


# Across scripts a word and a surname share their consonant skeleton; when it is this short
# ("kr", "ls") that is no evidence by itself, and the transliterations must be alike too: they
# differ by vowels and case endings (Керри "kerri" / Kerry 80, Асада / Assad 80), a word that
# only shares consonants more ("Los" opening a Spanish sentence / Льюис "lyuis" 50).
_SHORT_SKELETON, _ACROSS_SCRIPTS = 2, 70


def _spelled_alike(word: tuple[bool, str], surnames: set[tuple[bool, str]]) -> bool:
    """A bare word is one of a person's surnames as written, not only by its skeleton (which
    Tories and Thurso, Queen and Quinn share): in Latin script the same word (possessive
    aside); in another the same stem with a case ending (Лаврову, Лавров); across scripts
    (Керри, Kerry) the skeleton, and alike transliterations when it is short. Words and
    surnames as (Latin script?, folded key)."""
    from rapidfuzz import fuzz

    latin, key = word
    for surname_latin, surname in surnames:
        if latin != surname_latin:
            if len(skeleton(key)) > _SHORT_SKELETON or fuzz.ratio(key, surname) >= _ACROSS_SCRIPTS:
                return True
            continue
        if latin and key == surname:
            return True
        if not latin and _same_stem(key, surname):
            return True
    return False


def _same_stem(one: str, other: str) -> bool:
    """Two lemmas of one inflected word: the same stem, endings aside (pymorphy gives
    "Полякова" as "поляков" and "Поляков" as "поляк")."""
    return len(os.path.commonprefix([one, other])) >= max(3, min(len(one), len(other)) - 2)


def _latin(text: str) -> bool:
    return text.isascii() or all("LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){2,6}")


def _join_acronyms(groups: dict[tuple, list[_Candidate]], connectors: set[str]) -> dict:
    """An acronym ("US", "U.N.", "IMF") and the one name whose initials spell it ("United
    States", "United Nations", "International Monetary Fund", connectors skipped) among those
    an article names beside it are one identity, as an editor would register them; when two
    such names share the initials, or the two were read as different types, they stay apart.
    A writer spells an acronym out where it is used: the BBC of 45 CNN and BBC reports was
    "Benavista Bowls Club", the one name spelling it in the digest, named in a report with no BBC."""
    spelled_by: dict[str, set[tuple]] = defaultdict(set)
    for key, members in groups.items():
        if key[0] == "name":
            # A name holding an acronym spells nothing by its first letter: "US Senate" is no "US".
            for words in {c.words for c in members if len(c.words) >= 2 and c.spells
                          and not any(_ACRONYM.fullmatch(word) for word in TOKEN.findall(c.text))}:
                spelling = [w for w in words if w not in connectors]
                if len(spelling) >= 2 and all(len(w) > 1 for w in spelling):  # "Booker T" spells no "BT"
                    spelled_by["".join(w[0] for w in spelling)].add(key)
    for key in [k for k in groups if k[0] == "name"]:
        members = groups[key]
        if not all(_ACRONYM.fullmatch(c.text) for c in members):
            continue
        named_in = {c.article for c in members}
        full = {other for other in spelled_by.get(members[0].text.replace(".", "").lower(), set()) - {key}
                if any(c.article in named_in for c in groups[other])}
        if len(full) != 1:
            continue
        (target,) = full
        kinds = {vote(members), vote(groups[target])} - {"other"}
        if len(kinds) <= 1:
            groups[target] += groups.pop(key)
    return groups


def _join_designated(groups: dict[tuple, list[_Candidate]], designators: set[str]) -> dict:
    """An organisation's name with its designator ("Labour Party", "Microsoft Corp") and
    without it ("Labour", "Microsoft") are one identity, when neither was read as a person
    or a place ("Green Party" stays apart from a Mr Green)."""
    for key in [k for k in groups if k[0] == "name"]:
        members = groups[key]
        words = Counter(c.words for c in members).most_common(1)[0][0]
        if len(words) < 2 or words[-1] not in designators:
            continue
        base = ("name", name_key(words[:-1]))
        if base == key or base not in groups:
            continue
        if {vote(members), vote(groups[base])} <= {"organisation", "other"}:
            groups[base] += groups.pop(key)
    return groups


def _person_key(words: tuple[str, ...]) -> tuple:
    return ("person", skeleton(words[-1]), skeleton(words[0]))


def vote(members: list[_Candidate], one_word: bool = False) -> str:
    """The type most of a group's mentions were read as; a nationality or group ("German",
    "Tories") is no type. A word no person's full name holds (`one_word`) that the model read
    as something else at least a third as often as a person is that something: news names
    a person in full, and spaCy reads clubs and towns as people ("Swansea" 11 times a person,
    9 a club or a place, in CNN and BBC reports), while a stray reading of a one-name
    footballer ("Neymar" 8 to 1) is noise. A share, not a count: a digest's size must not
    tip it. benchmarks/ner.py, typed F1 CoNLL testa/testb, UNER dev/test: without the rule
    0.734/0.661/0.692/0.670; any other reading 0.739/0.665/0.692/0.668; a third 0.737/0.663/
    0.692/0.668; two others or as many as persons 0.736/0.662/0.692/0.671 (one run each)."""
    votes = Counter(c.type for c in members if c.type and c.type != GROUP)
    others = votes.total() - votes["person"]
    if one_word and others and 2 * others >= votes["person"]:
        votes.pop("person", None)
    return votes.most_common(1)[0][0] if votes else "other"


def identities(candidates: list[_Candidate], articles: list[Article], words: dict,
               similarity: float) -> dict[tuple, list[_Candidate]]:
    """The mentions of a digest grouped into identities (module docstring), keyed."""
    groups = group(candidates, similarity, set(words["grouping"]["surname_particles"]))
    groups = _drop_common_words(_split_scripts(groups), articles)
    groups = _join_acronyms(groups, set(words["names"]["connectors"]))
    return _join_designated(groups, set(words["grouping"]["organisation_designators"]))
