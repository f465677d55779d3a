/* Searching the digest's Pagefind index: shared by Material's search box (answered in
 * workers/digest-search.js) and the search page (digest-search-page.js).
 *
 * The query is prepared as the index was written (digest/site/search_records.py):
 * - Cyrillic words are cut to their Russian Snowball stem ("Лаврова" -> "лавров"): the index
 *   keeps them whole and matches query words as prefixes, so the stem finds every case form.
 *   The stemmer is vendor/snowball-russian.js (Snowball's own algorithm, as lunr's).
 * - Runs of unsegmented scripts (Chinese, Japanese, Thai...) become overlapping bigrams, as
 *   their text was indexed; every bigram of the query must then occur in the page.
 * Results are shown from escaped text only, with the words found marked.
 */

const root = new URL("../../", import.meta.url)   // this file is assets/javascripts/
let engine = null

/* Pagefind and the stemmer, loaded once, on first use. */
export async function load() {
  engine ??= Promise.all([
    import(new URL("pagefind/pagefind.js", root).href),
    import(new URL("assets/javascripts/vendor/snowball-russian.js", root).href),
    // A large digest has several indexes (digest/site/search_index.py, ShardedIndex).
    fetch(new URL("pagefind/digest-shards.json", root)).then(response => response.ok ? response.json() : [])
      .catch(() => []),
  ]).then(async ([pagefind, russian, shards]) => {
    const more = await Promise.all(shards.slice(1).map(folder => import(new URL(`${folder}pagefind.js`, root).href)))
    const indexes = [pagefind, ...more]
    // In a page (the search page), Pagefind would start a shared worker of its own and load
    // its WebAssembly there: a fetch and a start-up more before the first result.
    if (typeof window !== "undefined")
      await Promise.all(indexes.map(index => index.options({ noWorker: true })))
    return { pagefind: indexes.length === 1 ? pagefind : merged(indexes), stem: word => russian.stemmer(word) }
  })
  return engine
}

/* Several Pagefind indexes answering as one. Each holds a date range, newest first, so a
 * date order is the indexes' results one after another; otherwise all results by score.
 * (Pagefind's own mergeIndex orders by score whatever the sort.) */
function merged(indexes) {
  const sumFilters = all => {
    const total = {}
    for (const filters of all)
      for (const [name, values] of Object.entries(filters || {}))
        for (const [value, count] of Object.entries(values))
          (total[name] ??= {})[value] = (total[name][value] || 0) + count
    return total
  }
  return {
    init: () => Promise.all(indexes.map(index => index.init())),
    filters: async () => sumFilters(await Promise.all(indexes.map(index => index.filters()))),
    async search(term, options = {}) {
      const responses = await Promise.all(indexes.map(index => index.search(term, options)))
      const direction = Object.values(options.sort || {})[0]
      const results = direction
        ? (direction === "asc" ? [...responses].reverse() : responses).flatMap(response => response.results)
        : responses.flatMap(response => response.results).sort((a, b) => b.score - a.score)
      return {
        results,
        filters: sumFilters(responses.map(response => response.filters)),
        unfilteredResultCount: responses.reduce((sum, response) => sum + response.unfilteredResultCount, 0),
      }
    },
  }
}

/* Load Pagefind's entry files and WebAssembly ahead of a first query. */
export async function init() {
  const { pagefind } = await load()
  await pagefind.init()
}

/* Pagefind's results for `query` (null: every page the filters keep), with the words to
 * mark in what is shown. `options` are Pagefind's (filters, sort). */
export async function search(query, options = {}) {
  const { pagefind, stem } = await load()
  const words = (query || "").trim()
  const response = await pagefind.search(words ? prepareQuery(words, stem) : null, options)
  const marks = words ? [
    ...prepareQuery(words, stem, false).split(/\s+/).filter(word => word && !UNSEGMENTED_WORD.test(word)),
    ...(words.match(UNSEGMENTED_RUN) || []),
  ] : []
  return { results: response.results, marks }
}

// The code points of search_records.UNSEGMENTED.
const UNSEGMENTED = "\\u0e00-\\u0eff\\u0f00-\\u0fff\\u1000-\\u109f\\u1780-\\u17ff\\u3040-\\u30ff" +
  "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}"
const UNSEGMENTED_RUN = new RegExp(`[${UNSEGMENTED}]+`, "gu")
const UNSEGMENTED_WORD = new RegExp(`^[${UNSEGMENTED}]+$`, "u")

/* The query as the index holds words: Cyrillic words stemmed by `stem`; with `bigrams`,
 * unsegmented runs as their bigrams. */
export function prepareQuery(query, stem, bigrams = true) {
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

/* `text` (escaped HTML) with <mark> around each word that starts with a mark (a prepared
 * query word) and around each of the query's unsegmented runs. */
export function highlight(text, marks) {
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

/* What a result shows under its title, as HTML from escaped text: its byline (source, date,
 * language; or what kind of page it is), then its summary, or Pagefind's excerpt (whose
 * <mark>s are kept, and nothing else of its markup). */
export function teaser(page, marks) {
  const byline = page.meta.byline ? `<p>${escapeHTML(page.meta.byline)}</p>` : ""
  if (page.meta.summary)
    return `${byline}<p${langAttribute(page.meta.summary_lang)}>${highlight(escapeHTML(page.meta.summary), marks)}</p>`
  const marked = page.excerpt
    .replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002")
    .replace(/<[^>]*>/g, "")
  const text = escapeHTML(decodeEntities(marked))
    .replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>")
  return `${byline}<p>${text}</p>`
}

/* A result's title as HTML: escaped, marked, in its language when that is not English. */
export function title(page, marks) {
  return `<span${langAttribute(page.meta.lang)}>${highlight(escapeHTML(page.meta.title || page.url), marks)}</span>`
}

function langAttribute(code) {
  return code && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(code) ? ` lang="${code}"` : ""
}

export function escapeHTML(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;")
}

function decodeEntities(text) {
  const named = { amp: "&", lt: "<", gt: ">", quot: "\"", "#39": "'", "#x27": "'", nbsp: "\u00a0" }
  return text.replace(/&(#?\w+);/g, (entity, name) => named[name] ?? entity)
}
