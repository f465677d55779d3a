/* Material's search box and results, answered from the Pagefind index (or from lunr).
 *
 * Material's page script talks to its search worker in four messages: SETUP (the lunr index),
 * READY, QUERY (the typed text) and RESULT. This worker loads Material's own worker (its URL
 * is in ?material=), which handles SETUP as usual (loading lunr and its Russian stemmer).
 * With ?engine=pagefind it answers QUERY itself from the Pagefind bundle the build writes to
 * pagefind/: Pagefind loads only the index chunks a query needs, where lunr first downloads
 * and indexes every article (seconds at 10,000 articles: benchmarks/search.py). With
 * ?engine=lunr, Material's worker answers.
 *
 * Both indexes keep Cyrillic words whole (Pagefind's English stemmer leaves them alone; the
 * lunr pipeline has no stemmer) and match query words as prefixes. So a Cyrillic query word
 * is cut to its Russian stem here: "Лаврова" -> "лавров" finds Лавров, Лаврова, Лавровым.
 */
"use strict"

const QUERY = 2, RESULT = 3           // Material's SearchMessageType
const MAX_RESULTS = 50                // pages whose details are fetched per query
const root = new URL("../../../", self.location)  // this file is assets/javascripts/workers/
const params = new URL(self.location).searchParams
let pagefind = null
let queue = Promise.resolve()         // answer queries in the order they were typed

addEventListener("message", event => {
  if (!event.data || event.data.type !== QUERY)
    return                            // SETUP: Material's worker below
  if (params.get("engine") !== "pagefind") {
    event.data.data = stemCyrillic(event.data.data)
    return                            // lunr: Material's worker answers
  }
  event.stopImmediatePropagation()
  const query = event.data.data
  queue = queue
    .then(() => search(query))
    .catch(error => {
      console.warn("search failed:", error)
      return { items: [] }
    })
    .then(data => postMessage({ type: RESULT, data }))
})

importScripts(params.get("material"))

async function search(query) {
  const words = query.trim()
  if (!words)
    return { items: [] }
  pagefind ??= await import(new URL("pagefind/pagefind.js", root).href)
  const response = await pagefind.search(stemCyrillic(words))
  const top = response.results.slice(0, MAX_RESULTS)
  const pages = await Promise.all(top.map(result => result.data()))
  const terms = Object.fromEntries(words.toLowerCase().split(/\s+/).map(word => [word, true]))
  return {
    items: pages.map((page, index) => [{
      location: page.url.replace(/^\//, ""),  // relative to the site root, as Material's are
      title: escapeHTML(page.meta.title || page.url),
      text: teaser(page),
      score: top[index].score,
      terms
    }])
  }
}

/* Material shows `text` as HTML: build it from escaped text only (Pagefind's excerpt marks
 * the matched words with <mark>, and nothing else is kept from it). */
function teaser(page) {
  const byline = page.meta.byline ? `<p>${escapeHTML(page.meta.byline)}</p>` : ""
  if (page.meta.summary)
    return `${byline}<p>${escapeHTML(page.meta.summary)}</p>`
  const marked = page.excerpt
    .replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002")
    .replace(/<[^>]*>/g, "")
  const text = escapeHTML(decodeEntities(marked))
    .replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>")
  return `${byline}<p>${text}</p>`
}

function stemCyrillic(query) {
  const ru = self.lunr && self.lunr.ru
  if (!ru)
    return query
  return query.replace(/\p{Script=Cyrillic}+/gu, word => {
    const lower = word.toLowerCase()
    const stem = ru.stemmer(new self.lunr.Token(lower)).toString()
    return stem.length >= 3 && lower.startsWith(stem) ? stem : word
  })
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
