/* Material's search box and results, answered from the Pagefind index (or from lunr).
 *
 * Material's page script talks to its search worker in four messages: SETUP (the lunr index),
 * READY, QUERY (the typed text) and RESULT. With ?engine=pagefind this worker answers all of
 * them itself from the Pagefind bundle the build writes to pagefind/ (through
 * ../digest-query.js, shared with the search page): Pagefind loads only the index chunks a
 * query needs, where lunr first downloads and indexes every article (seconds at 10,000
 * articles: benchmarks/search.py), and none of lunr's code is loaded. With ?engine=lunr it
 * loads Material's own worker (its URL is in ?material=), which answers; Cyrillic query words
 * are first cut to their stem with lunr's Russian stemmer, as digest-query.js does.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3   // Material's SearchMessageType
const MAX_RESULTS = 50                // pages whose details are fetched per query
const FIRST_RESULTS = 10              // answered first: what Material shows before scrolling
const TYPING_PAUSE_MS = 50            // a query is searched once no key follows it this long
const root = new URL("../../../", self.location)  // this file is assets/javascripts/workers/
const params = new URL(self.location).searchParams
let queue = Promise.resolve()         // answer queries in the order they were typed
let latest = 0                        // the number of the last query typed: older ones are dropped

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
    // Material's search would load its whole lunr index now; Pagefind loads its small entry
    // files and WebAssembly (~100 KB, then cached), so the first query waits only for its
    // own index chunks. A reader with a slow link loses nothing: queries queue behind it.
    if (params.get("preload") !== "no")
      queue = queue.then(() => shared()).then(digest => digest.init()).catch(() => {})
    return
  }
  if (event.data.type !== QUERY)
    return
  const query = event.data.data
  const asked = ++latest
  const stale = () => asked !== latest
  queue = queue
    .then(() => stale() || pause(TYPING_PAUSE_MS))
    .then(() => search(query, data => !stale() && postMessage({ type: RESULT, data }), stale))
    .catch(error => {
      console.warn("search failed:", error)
      postMessage({ type: RESULT, data: { items: [] } })
    })
})

if (params.get("engine") !== "pagefind")
  importScripts(params.get("material"))

/* A Pagefind search cannot be stopped once started, and a prefix costs more than the word
 * it grows into ("elect" ranks 2,128 pages at 10,000 articles, 0.27 s; "election" 0.1 s):
 * a reader typing on would wait for each one. So a query waits for a short pause in the
 * typing first, and is dropped if a key came meanwhile (a burst of keys costs one search). */
function pause(ms) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/* Answer `query` through `answer`, twice: the first results as soon as their details have
 * loaded (Material shows ten at first), then up to MAX_RESULTS. Each answer replaces the
 * list; the queue keeps the next query's answers after both.
 * Material asks at every key. One letter of an alphabet matches much of the index (3,288
 * pages for "e" at 10,000 articles, 0.4 s to rank here) and says nothing yet: it is
 * not searched (one Chinese character is a word, and is). A query typed over (`stale()`:
 * the reader typed on) stops where it is, so each key does not wait for every one before. */
async function search(query, answer, stale) {
  const words = query.trim()
  if (!words)
    return answer({ items: [] })
  if (stale() || (Array.from(words).length < 2 && !/[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/u.test(words)))
    return
  const digest = await shared()
  const { results, marks } = await digest.search(words)
  if (stale())
    return
  const top = results.slice(0, MAX_RESULTS)
  const terms = Object.fromEntries(words.toLowerCase().split(/\s+/).map(word => [word, true]))
  const item = (page, index) => [{
    location: page.url.replace(/^\//, ""),  // relative to the site root, as Material's are
    title: digest.title(page, marks),
    text: digest.teaser(page, marks),
    score: top[index].score,
    terms
  }]
  const first = await Promise.all(top.slice(0, FIRST_RESULTS).map(result => result.data()))
  answer({ items: first.map(item) })
  if (top.length > FIRST_RESULTS && !stale()) {
    const rest = await Promise.all(top.slice(FIRST_RESULTS).map(result => result.data()))
    answer({ items: [...first, ...rest].map(item) })
  }
}

function shared() {
  return import(new URL("assets/javascripts/digest-query.js", root).href)
}

function lunrStem(query) {
  const ru = self.lunr && self.lunr.ru
  if (!ru)
    return query
  return query.replace(/\p{Script=Cyrillic}+/gu, word => {
    const lower = word.toLowerCase()
    const stem = ru.stemmer(new self.lunr.Token(lower)).toString()
    return stem.length >= 3 && lower.startsWith(stem) ? stem : word
  })
}
