/* The site's shared chrome: what Material writes into every page but only JavaScript uses.
 *
 * The build (digest/site/chrome.py) renders Material's own partials once and puts them in
 * CHROME, at the end of this file: its configuration (the __config element its bundle reads),
 * the search box's dialog, the "Back to top" button and the navigation drawer of a page
 * outside the nav. Every page loads this file, just before Material's bundle, with the page's
 * way up to the site's root in data-base; this adds them to the page as Material would have
 * written them. A browser fetches the file once for the whole site.
 */
(function (CHROME) {
  "use strict"
  var script = document.currentScript
  var base = script.getAttribute("data-base")        // Material's base_url for this page
  var root = new URL(base + "/", location.href)
  var config = CHROME.config
  config.base = base
  config.search = new URL(config.search, root).href  // Material's search worker
  if (CHROME.engine) {
    /* Material's search box: digest-search.js loads Material's worker (named in ?material=),
       stems Cyrillic query words and, with Pagefind, answers. The search page loads Pagefind
       itself (data-preload="no"): the box's worker waits for a query there. */
    var worker = new URL("assets/javascripts/workers/digest-search.js", root)
    worker.searchParams.set("material", config.search)
    worker.searchParams.set("engine", CHROME.engine)
    worker.searchParams.set("preload", script.getAttribute("data-preload") || "yes")
    config.search = worker.href
  }
  var element = document.createElement("script")
  element.id = "__config"
  element.type = "application/json"
  element.textContent = JSON.stringify(config)
  script.parentNode.insertBefore(element, script)

  var search = document.querySelector('.md-search[data-md-component="search"]')
  if (search && CHROME.search)
    search.outerHTML = CHROME.search
  var main = document.querySelector(".md-main")
  if (main && CHROME.top)
    main.insertAdjacentHTML("beforeend", CHROME.top)

  /* The navigation drawer of a page outside the nav, rendered at the site's root: its links
     (and a logo image) are made relative to this page, as Material writes them. */
  var drawer = document.querySelector("nav[data-digest-nav]")
  if (drawer && CHROME.nav) {
    var template = document.createElement("template")
    template.innerHTML = CHROME.nav
    Array.prototype.forEach.call(template.content.querySelectorAll("[href], [src]"), function (element) {
      var name = element.hasAttribute("href") ? "href" : "src"
      var value = element.getAttribute(name).replace(/^\.\//, "")
      if (!/^([a-z][a-z0-9+.-]*:|[/#?])/i.test(value))  // not absolute: from the root
        element.setAttribute(name, value === "." || value === "" ? base : base + "/" + value)
    })
    drawer.parentNode.replaceChild(template.content, drawer)
  }
})(__DIGEST_CHROME__)
