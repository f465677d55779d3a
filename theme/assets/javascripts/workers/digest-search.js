/* Material's search box and results, answered from the Pagefind index (or from lunr).
 *
 * Material's page script talks to its search worker in four messages: SETUP (the lunr index),
 * READY, QUERY (the typed text) and RESULT. With ?engine=pagefind this worker answers all of
 * them itself from the Pagefind bundle the build writes to pagefind/: Pagefind loads only the
 * index chunks a query needs, where lunr first downloads and indexes every article (seconds
 * at 10,000 articles: benchmarks/search.py), and none of lunr's code is loaded. With
 * ?engine=lunr, it loads Material's own worker (its URL is in ?material=), which answers.
 *
 * The query is prepared as the index was (digest/search_records.py):
 * - Cyrillic words are cut to their Russian Snowball stem ("Лаврова" -> "лавров"): the index
 *   keeps them whole and matches query words as prefixes, so the stem finds every case form.
 *   With Pagefind the stemmer is vendor/snowball-russian.js; with lunr, lunr's own.
 * - Runs of unsegmented scripts (Chinese, Japanese, Thai...) become overlapping bigrams, as
 *   their text was indexed; every bigram of the query must then occur in the page.
 * Results are entity, story and storyline pages as well as articles; the words found are
 * marked in the titles and summaries shown.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3   // Material's SearchMessageType
const MAX_RESULTS = 50                // pages whose details are fetched per query
const root = new URL("../../../", self.location)  // this file is assets/javascripts/workers/
const params = new URL(self.location).searchParams
let pagefind = null
let russian = null                    // vendor/snowball-russian.js, loaded on the first query
let queue = Promise.resolve()         // answer queries in the order they were typed

addEventListener("message", event => {
  if (!event.data)
    return
  if (params.get("engine") !== "pagefind") {
    if (event.data.type === QUERY)
      event.data.data = lunrStem(event.data.data)
    return                            // lunr: Material's worker answers
  }
  event.stopImmediatePropagation()
  if (event.data.type === SETUP) {    // Material's (empty) lunr index is not needed
    postMessage({ type: READY })
    return
  }
  if (event.data.type !== QUERY)
    return
  const query = event.data.data
  queue = queue
    .then(() => search(query))
    .catch(error => {
      console.warn("search failed:", error)
      return { items: [] }
    })
    .then(data => postMessage({ type: RESULT, data }))
})

if (params.get("engine") !== "pagefind")
  importScripts(params.get("material"))

async function search(query) {
  const words = query.trim()
  if (!words)
    return { items: [] }
  pagefind ??= await import(new URL("pagefind/pagefind.js", root).href)
  russian ??= await import(new URL("assets/javascripts/vendor/snowball-russian.js", root).href)
  const prepared = prepareQuery(words, word => russian.stemmer(word))
  const response = await pagefind.search(prepared)
  const top = response.results.slice(0, MAX_RESULTS)
  const pages = await Promise.all(top.map(result => result.data()))
  const terms = Object.fromEntries(words.toLowerCase().split(/\s+/).map(word => [word, true]))
  // Marked: words starting with a prepared (stemmed) query word; unsegmented runs whole.
  const marks = [...prepareQuery(words, word => russian.stemmer(word), false).split(/\s+/)
    .filter(word => word && !UNSEGMENTED_WORD.test(word)), ...(words.match(UNSEGMENTED_RUN) || [])]
  return {
    items: pages.map((page, index) => [{
      location: page.url.replace(/^\//, ""),  // relative to the site root, as Material's are
      title: highlight(escapeHTML(page.meta.title || page.url), marks),
      text: teaser(page, marks),
      score: top[index].score,
      terms
    }])
  }
}

/* Material shows `text` as HTML: build it from escaped text only (Pagefind's excerpt marks
 * the matched words with <mark>, and nothing else is kept from it). */
function teaser(page, marks) {
  const byline = page.meta.byline ? `<p>${escapeHTML(page.meta.byline)}</p>` : ""
  if (page.meta.summary)
    return `${byline}<p>${highlight(escapeHTML(page.meta.summary), marks)}</p>`
  const marked = page.excerpt
    .replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002")
    .replace(/<[^>]*>/g, "")
  const text = escapeHTML(decodeEntities(marked))
    .replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>")
  return `${byline}<p>${text}</p>`
}

/* The query as the index holds words: Cyrillic words stemmed by `stem`, unsegmented runs as
 * bigrams (Pagefind's index only). The code points are search_records.UNSEGMENTED's. */
const UNSEGMENTED = "\\u0e00-\\u0eff\\u0f00-\\u0fff\\u1000-\\u109f\\u1780-\\u17ff\\u3040-\\u30ff" +
  "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}"
const UNSEGMENTED_RUN = new RegExp(`[${UNSEGMENTED}]+`, "gu")
const UNSEGMENTED_WORD = new RegExp(`^[${UNSEGMENTED}]+$`, "u")

function prepareQuery(query, stem, bigrams = true) {
  const stemmed = query.replace(/\p{Script=Cyrillic}+/gu, word => {
    const lower = word.toLowerCase()
    const stemmed = stem(lower)
    return stemmed.length >= 3 && lower.startsWith(stemmed) ? stemmed : word
  })
  if (!bigrams)
    return stemmed
  return stemmed.replace(UNSEGMENTED_RUN, run => {
    const chars = Array.from(run)
    return " " + (chars.length === 1 ? run : chars.slice(1).map((c, i) => chars[i] + c).join(" ")) + " "
  }).trim()
}

function lunrStem(query) {
  const ru = self.lunr && self.lunr.ru
  if (!ru)
    return query
  return prepareQuery(query, word => ru.stemmer(new self.lunr.Token(word)).toString(), false)
}

/* `text` (escaped HTML) with <mark> around each word that starts with a query word, and
 * around each of the query's unsegmented runs. */
function highlight(text, marks) {
  const quote = mark => mark.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  const words = marks.filter(mark => mark.length > 1 && !UNSEGMENTED_WORD.test(mark)).map(quote)
  const runs = marks.filter(mark => UNSEGMENTED_WORD.test(mark)).map(quote)
  const patterns = []
  if (words.length)
    patterns.push(`(?<![\\p{L}\\p{N}&#])(?:${words.join("|")})[\\p{L}\\p{N}]*`)
  if (runs.length)
    patterns.push(runs.join("|"))
  if (!patterns.length)
    return text
  return text.replace(new RegExp(patterns.join("|"), "giu"), found => `<mark>${found}</mark>`)
}

function escapeHTML(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;")
}

function decodeEntities(text) {
  const named = { amp: "&", lt: "<", gt: ">", quot: "\"", "#39": "'", "#x27": "'", nbsp: "\u00a0" }
  return text.replace(/&(#?\w+);/g, (entity, name) => named[name] ?? entity)
}
