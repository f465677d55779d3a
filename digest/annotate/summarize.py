"""summarize(): a short extractive summary of every article (≤ 3 sentences, ≤ 75 words).

Extractive, not generative: no model download, deterministic, and every word is the
article's own, so a summary cannot state what the article does not. Sentences are scored by
where they stand (news puts the gist first) plus how central they are (how many of the
article's recurring content words they carry: the classic word-frequency summarizer), then
the best are taken, most redundant ones skipped, until the budget is full, in article order.
The summary opens with the lead: the first sentence that stands alone (a feature's "They are
the ..." opener leans on what follows). When the lead's next sentence does not fit, the
summary ends there rather than skip to a shorter, later one (which leaves a gap in the
lead's thread, and on CNN/DailyMail lost 0.5 ROUGE-2 to the lead cut to the same length).
A sentence that leans on the one before it ("He said ...", "But ...", half a quote) is taken
only after that one. benchmarks/summarize.py compares it with the lead cut to the same length
on human-written summaries (CNN/DailyMail highlights, XSum) and with lead-3 on BBC's extractive
ones, whose picks reward centrality: the weights lean on position, as human summaries do.

What a summary never holds: a dateline ("MOSCOW, December 14." / "СУХУМ, 14 ноя — Sputnik."
is cut from the sentence that starts with it), a byline, a caption or a subheading (text that
does not end like a sentence), or a junk line (summaries read `clean`'s output). Datelines and
bylines are data: `dateline` and `byline` rules in digest/data/patterns/*.yml.

Text: the English translation when there is one (`article.english_paragraphs`), else the
article's own paragraphs in its own language; `summary_language` says which. An editor's
`summary:` wins as written (taken as English, the digest's language).

Cost: ~0.2 ms per article (1,000 articles in 0.2 s, benchmarks/text_stages.py); only the
first `candidate_chars` characters are split into sentences, whatever the length. A rebuild
takes unchanged articles' summaries from the cache: 0.2 s is a tenth of what bare Material
takes to build the same 1,000 pages.
"""

from __future__ import annotations

import re

from ..cache import Cache
from ..intake.clean import Rule, load_rules
from ..model import Article
from ..parallel import fork_map
from ..sentences import SentenceSplitter
from ..settings import Settings

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Sentence ends: Latin and Cyrillic, CJK, Devanagari (।), Arabic and Urdu (؟ ۔), Armenian, Ethiopic.
_SENTENCE_END = re.compile(r"[.!?…。！？।॥؟۔։።][\"'”»)\]]*$")
_INNER_END = re.compile(r"[.!?…।؟۔][\"'”»)\]]*\s+\S|[。！？]")  # a sentence ends inside the text
# An editor's list item or quotation ("- Retiring early takes time.", "1. ...", "> ..."): the
# page shows it as a list or a quote; a summary is prose, so it takes the words without the marker.
_BLOCK_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)]|>)\s+(?=\S)")


SUMMARY_VERSION = 9  # bump when summaries change: old cache entries then miss


def summarize(articles: list[Article], settings: Settings, cache: Cache | None = None) -> list[Article]:
    """Fill summary and summary_language on each article; return the articles. With a
    `cache`, an article whose text is unchanged keeps its summary without work."""
    options = settings.section("summarize")
    rules = load_rules(settings)
    datelines = [r for r in rules if r.kind == "dateline"]
    bylines = [r for r in rules if r.kind == "byline"]
    splitters: dict[str, SentenceSplitter] = {}
    cache = cache or Cache(None)

    def summary(text: tuple[list[str], str]) -> str:
        paragraphs, language = text
        return " ".join(_select(_candidates(paragraphs, splitters.setdefault(language, SentenceSplitter(language)),
                                            datelines, bylines, options), options))

    texts = []  # (article, paragraphs, language) of each article without an editor's summary
    for article in articles:
        if article.summary_override:
            article.summary, article.summary_language = article.summary_override.strip(), "en"
            continue
        paragraphs, language = article.english_paragraphs, "en"
        if not paragraphs:
            paragraphs, language = article.paragraphs, article.language
        article.summary_language = language
        texts.append((article, paragraphs, language))
    context = Cache.key(SUMMARY_VERSION, options, datelines, bylines)
    found = cache.each("summaries", [(p, lang) for _, p, lang in texts],
                       lambda text: Cache.key(context, *text), lambda todo: fork_map(summary, todo, label="summaries"),
                       lambda found: isinstance(found, str))
    for (article, _, _), summary in zip(texts, found):
        article.summary = summary
    return articles


def summarize_text(paragraphs: list[str], language: str, settings: Settings) -> str:
    """The summary of some paragraphs (for benchmarks and tools working outside a build)."""
    options = settings.section("summarize")
    rules = load_rules(settings)
    sentences = _candidates(paragraphs, SentenceSplitter(language), [r for r in rules if r.kind == "dateline"],
                            [r for r in rules if r.kind == "byline"], options)
    return " ".join(_select(sentences, options))


def count_words(text: str) -> int:
    """Words for the budget: space-separated words, each CJK character counting as one."""
    cjk = len(_CJK.findall(text))
    return cjk + len(_CJK.sub(" ", text).split())


def _candidates(paragraphs: list[str], splitter: SentenceSplitter, datelines: list[Rule],
                bylines: list[Rule], options) -> list[str]:
    """The article's sentences that may stand in a summary, datelines cut, in order. An
    article whose every sentence is short ("Putin met Obama.") gets them all: a summary is
    empty only for a text without a sentence (a gallery's captions)."""
    return (_sentences(paragraphs, splitter, datelines, bylines, options, strict=True)
            or _sentences(paragraphs, splitter, datelines, bylines, options, strict=False))


def _sentences(paragraphs: list[str], splitter: SentenceSplitter, datelines: list[Rule],
               bylines: list[Rule], options, strict: bool) -> list[str]:
    sentences = []
    budget = options["candidate_chars"]
    for paragraph in paragraphs:
        if budget <= 0:
            break
        if not _SENTENCE_END.search(paragraph.strip()) and not _INNER_END.search(paragraph):
            continue  # a subheading, caption or fragment (no sentence ends in it), not prose
        # Splitting is the costly part: split no more text than the candidates can come from.
        # A sentence cut here does not end like one, and is dropped below.
        paragraph, budget = paragraph[:budget], budget - len(paragraph)
        paragraph = _BLOCK_MARKER.sub("", paragraph, count=1)
        for sentence in splitter.split(paragraph):
            sentence = strip_dateline(sentence, datelines)
            if any(rule.regex.fullmatch(sentence) for rule in bylines):
                continue
            if (strict and count_words(sentence) < options["min_sentence_words"]) or not _SENTENCE_END.search(sentence):
                continue
            sentences.append(sentence)
            if len(sentences) >= options["candidate_sentences"]:
                return sentences
    return sentences


def strip_dateline(sentence: str, datelines: list[Rule]) -> str:
    """The sentence without the dateline it opens with ("MOSCOW, December 14. The ..." -> "The ...")."""
    for rule in datelines:
        match = rule.regex.match(sentence)
        if match and match.end() < len(sentence):
            rest = sentence[match.end():].lstrip(" .,:;—–-")
            return rest[:1].upper() + rest[1:]
    return sentence


def _content_words(sentence: str, min_length: int) -> set[str]:
    return {w.casefold() for w in _WORD.findall(sentence) if len(w) >= min_length}


def _select(sentences: list[str], options) -> list[str]:
    if not sentences:
        return []
    min_length = options["content_word_length"]
    words = [_content_words(s, min_length) for s in sentences]
    frequency: dict[str, int] = {}
    for bag in words:
        for word in bag:
            frequency[word] = frequency.get(word, 0) + 1
    others = max(len(sentences) - 1, 1)
    scores = []
    for index, bag in enumerate(words):
        recurrence = sum(frequency[w] - 1 for w in bag) / others
        centrality = recurrence / max(len(bag), 1) ** options["length_exponent"]
        position = 1.0 / (1 + index) ** options["position_decay"]
        scores.append(options["position_weight"] * position + options["centrality_weight"] * centrality)
    chosen: list[int] = []
    used = 0
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    leans = [dangling(s) for s in sentences]
    # The lead: the first sentence that stands alone ("They are the markings ..." opening a
    # feature leans on what follows; the summary opens where the article can be quoted).
    lead = next((i for i, d in enumerate(leans) if not (d and options["skip_dangling"])), 0)
    if options["keep_lead"]:  # the lead sentence states the news; the rest is chosen by score
        order = [lead] + [i for i in order if i != lead]
    for index in order:
        length = count_words(sentences[index])
        if used + length > options["max_words"]:
            if chosen and set(range(lead, index)) <= set(chosen):
                break  # the lead goes on with a long sentence: a later one in its place reads as a gap
            continue
        if options["skip_dangling"] and leans[index] and index - 1 not in chosen:
            continue
        if any(_overlap(words[index], words[other]) > options["max_overlap"] for other in chosen):
            continue
        chosen.append(index)
        used += length
        if len(chosen) == options["max_sentences"]:
            break
    if not chosen:  # every sentence is over budget: the first one, cut at a word boundary
        return [_truncate(sentences[0], options["max_words"])]
    return [sentences[i] for i in sorted(chosen)]


# A sentence opening with one of these leans on the one before it ("He said", "That was",
# "But"): without that one, it dangles. English and Russian; other languages' openers pass.
_OPENERS = {"he", "she", "it", "they", "this", "that", "these", "those", "his", "her", "its", "their",
            "but", "and", "however", "also", "yet", "so", "then", "meanwhile", "instead", "still",
            "moreover", "furthermore", "besides", "otherwise", "such", "both",
            "он", "она", "оно", "они", "это", "этот", "эта", "эти", "его", "ее", "её", "их", "но", "и",
            "однако", "также", "тоже", "поэтому", "там", "тогда"}
# ... and these phrases ("On the other hand, ...", "При этом ...").
_OPENING_PHRASES = re.compile(
    r"(?:on the other hand|in addition|at the same time|as a result|for example|for instance|in contrast"
    r"|by contrast|even so|after that|in other words|on top of that|apart from that"
    r"|кроме того|при этом|в то же время|тем не менее|в свою очередь|к тому же|в результате|помимо этого"
    r"|между тем|например)\b", re.IGNORECASE)
# ... but "This week", "That night", "These days" say when, and lean on nothing.
_WHEN = re.compile(
    r"(?:this|that|these|those)\s+(?:week|weekend|month|year|morning|afternoon|evening|night|day|days|season"
    r"|spring|summer|autumn|fall|winter|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
    r"|(?:этот|эта|эти)\s+(?:год|месяц|день|вечер|раз|неделя|весна|лето|осень|зима|дни|выходные)\b",
    re.IGNORECASE)
_QUOTES = re.compile(r"[\"“”«»‘’]")
# British outlets quote with straight single quotes, which are also apostrophes ("world's",
# "players' wages", "rock 'n' roll"): a quote opens before a word at the start or after a
# space or bracket, and closes after a word or a sentence's punctuation, before a space,
# punctuation or the end ("tough,' said", "'no' to").
_SINGLE_QUOTE = re.compile(r"(?:^|(?<=[\s(\[]))'(?=\w)|(?<=[\w.,!?;:…])'(?=[\s.,!?;:…)]|$)")


def _single_quotes_close(sentence: str) -> bool:
    """Every single quote the sentence opens it closes, and it closes none it did not open
    (a closing quote after punctuation with none open: the tail of a quote)."""
    open_ = False
    for match in _SINGLE_QUOTE.finditer(sentence):
        i = match.start()
        opens = i == 0 or sentence[i - 1] in " \t\n(["
        if opens and not open_:
            open_ = True
        elif open_:
            open_ = False
        elif i and sentence[i - 1] in ".,!?;:…":
            return False
    return not open_


def dangling(sentence: str) -> bool:
    """The sentence leans on the one before it: a referring opener or connecting phrase, or
    half a quote (the splitter cut a quotation in two)."""
    opening = sentence.lstrip("\"'“‘«( ")
    first = _WORD.match(opening)
    if first and first.group().casefold() in _OPENERS and not _WHEN.match(opening):
        return True
    if _OPENING_PHRASES.match(opening):
        return True
    quotes = _QUOTES.findall(sentence)
    opening = sum(q in "“«‘" for q in quotes) - sum(q in "”»’" for q in quotes)
    straight = sum(q == '"' for q in quotes)
    return straight % 2 == 1 or opening > 0 or not _single_quotes_close(sentence)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _truncate(sentence: str, max_words: int) -> str:
    words = sentence.split()
    return sentence if len(words) <= max_words else " ".join(words[:max_words]).rstrip(",;:—–-") + " …"
