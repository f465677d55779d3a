/* The search page (theme/partials/digest/search-page.html): its form's fields are the
 * address's query string, answered here from the Pagefind index (digest-query.js).
 *
 * Kind, source, language and story are Pagefind filters, written in each page's search record
 * (digest/site/search_records.py). Pagefind filters match values, not ranges: a date range is the
 * months it spans as a filter (month: any of them), then the days of the first and last month
 * checked on each result's date as its details load. Sorting by date is Pagefind's own.
 */
import { escapeHTML, load, search, teaser, title } from "./digest-query.js"

const PAGE = 20                       // results shown at a time
const FIRST = 5                       // shown before the rest of the first page is loaded
const form = document.querySelector(".digest-search-form")
const status = document.getElementById("digest-search-status")
const list = document.getElementById("digest-search-results")
const more = document.getElementById("digest-search-more")
const root = new URL("../../", import.meta.url)   // this file is assets/javascripts/
const params = new URLSearchParams(location.search)

for (const [name, value] of params)
  if (form.elements[name] && value)
    form.elements[name].value = value
form.elements.story.addEventListener("focus", fillStories, { once: true })
if (["words", "type", "source", "language", "story", "from", "to"].some(name => params.get(name)))
  run(params).catch(error => {
    console.warn("search failed:", error)
    status.textContent = "The search index could not be loaded."
  })

async function run(params) {
  status.textContent = "Searching…"
  const filters = {}
  for (const name of ["type", "source", "language", "story"])
    if (params.get(name))
      filters[name] = params.get(name)
  const from = params.get("from") || "", to = params.get("to") || ""
  if (from || to)
    filters.month = { any: months(from, to) }
  const order = params.get("sort")
  const options = { filters }
  if (order === "newest" || order === "oldest")
    options.sort = { date: order === "newest" ? "desc" : "asc" }
  const { results, marks } = await search(params.get("words"), options)
  let next = 0, shown = 0
  const inRange = page => (!from || (page.meta.date || "") >= from) && (!to || (page.meta.date || "") <= to)

  async function showMore() {
    more.hidden = true
    let added = 0
    while (added < PAGE && next < results.length) {
      const batch = results.slice(next, next + (shown + added ? PAGE : FIRST))
      next += batch.length
      for (const page of await Promise.all(batch.map(result => result.data())))
        if (inRange(page)) {
          list.insertAdjacentHTML("beforeend", item(page, marks))
          added++
        }
    }
    shown += added
    status.textContent = shown ? `${shown} ${shown === 1 ? "result" : "results"}` +
      (next < results.length ? ` of up to ${results.length}` : "") : "Nothing found: try fewer words or filters."
    more.hidden = next >= results.length
  }

  more.onclick = () => showMore()
  list.replaceChildren()
  await showMore()
}

/* One result: its title (linked, marked), then teaser()'s byline and summary. */
function item(page, marks) {
  const href = new URL(page.url.replace(/^\//, ""), root).href
  return `<li class="digest-item"><a class="digest-item__title" href="${escapeHTML(href)}">${title(page, marks)}</a>` +
    `<div class="digest-item__summary">${teaser(page, marks)}</div></li>`
}

/* "2015-11", "2015-12", ... from the month of `from` to the month of `to`; an empty one is
 * the digest's first or last day (the date fields' min and max). */
function months(from, to) {
  let [year, month] = (from || form.elements.from.min || "1970-01").slice(0, 7).split("-").map(Number)
  const [lastYear, lastMonth] = (to || form.elements.to.max || "2099-12").slice(0, 7).split("-").map(Number)
  const spanned = []
  while ((year < lastYear || (year === lastYear && month <= lastMonth)) && spanned.length < 1200) {
    spanned.push(`${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`)
    month === 12 ? (year++, month = 1) : month++
  }
  return spanned
}

/* The story field offers the stories the index knows, loaded when it is first used. */
async function fillStories() {
  const { pagefind } = await load()
  const stories = Object.keys((await pagefind.filters()).story || {}).sort()
  document.getElementById("digest-stories").replaceChildren(...stories.map(title => {
    const option = document.createElement("option")
    option.value = title
    return option
  }))
}
