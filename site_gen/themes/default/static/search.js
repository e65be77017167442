/* Instant search for the job board, loaded only by the search page.
 *
 * Reads search-index.json (its format is in the README), then filters as you type: words
 * match from their start, ignoring case and accents ("kube" finds "Kubernetes"); facets
 * combine with AND between them and OR within one; results are by relevance for a query,
 * newest first otherwise. The state lives in the URL (?q=python&remote=remote), so a search
 * can be shared, and the back button steps through it. No dependencies, no build step.
 */
(() => {
  "use strict";

  const root = document.getElementById("search");
  if (!root || !window.fetch || !window.URLSearchParams) return;

  const PAGE_SIZE = 50; // results shown at first, and added by "Show more"
  const OPEN_UP_TO = 8; // facets with at most this many values start unfolded
  // Where a query word is found decides its weight; a whole word counts double.
  const WEIGHTS = [["title", 8], ["company", 4], ["tags", 4], ["facts", 2], ["summary", 1]];
  const lang = document.documentElement.lang || "en";
  // The theme's strings (from its translation table) and the build's date, set by search.html.
  const I18N = JSON.parse(root.dataset.i18n || "{}");
  const TODAY = new Date(`${root.dataset.today}T00:00:00Z`);
  const ICONS = root.dataset.icons;
  const plurals = new Intl.PluralRules(lang);
  // A message with {name} placeholders filled in; a plural table picks its form by count.
  function text(key, values = {}) {
    let message = I18N[key] || key;
    if (typeof message === "object") message = message[plurals.select(values.count)] || message.other;
    return message.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  const nested = (group, key, fallback) => ((I18N[group] || {})[key]) || fallback;
  const baseTitle = document.title;

  const $ = (id) => document.getElementById(id);
  const input = $("search-q");
  const ui = {
    form: $("search-form"), app: $("search-app"), browse: $("search-browse"),
    fallback: $("search-fallback"), filters: $("search-filters"), status: $("search-status"),
    list: $("search-results"), more: $("search-more"), empty: $("search-empty"),
    clear: $("search-clear"),
  };

  // ---- text: case- and accent-insensitive words -------------------------------------------
  const MARKS = /\p{M}/gu;
  const WORD = /[\p{L}\p{N}]+/gu;
  const fold = (text) => text.normalize("NFKD").replace(MARKS, "").toLowerCase();
  const words = (text) => fold(text).match(WORD) || [];
  // " word word " so that " " + prefix finds a word start and " " + word + " " a whole word.
  const haystack = (texts) => " " + texts.map((t) => words(t).join(" ")).join(" ") + " ";

  // ---- state --------------------------------------------------------------------------------
  let facets = []; // [{key, title, values: [{key, label, parent}], byKey, inputs}]
  let postings = []; // newest first, as in the index
  let state = { q: "", selected: new Map() }; // facet position -> Set of value positions
  let results = [];
  let terms = [];
  let shown = PAGE_SIZE;
  let lastChange = null; // "type" while typing, so one search is one history entry

  fetch(root.dataset.index)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((index) => {
      if (index.version !== 1) throw new Error(`unknown index version ${index.version}`);
      start(index);
    })
    .catch((error) => {
      ui.fallback.textContent = text("failed", { error: error.message });
    });

  function start(index) {
    facets = index.facets.map((facet) => ({
      key: facet.key,
      title: nested("facets", facet.key, facet.title),
      values: facet.values.map(([key, label, , parent]) => ({
        key,
        label: nested("values", facet.key, {})[key] || label,
        parent: parent === undefined ? -1 : parent,
      })),
    }));
    facets.forEach((facet) => {
      facet.byKey = new Map(facet.values.map((value, i) => [value.key, i]));
    });
    const column = Object.fromEntries(index.fields.map((name, i) => [name, i]));
    postings = index.postings.map((row, order) => posting(row, column, order, index.base));
    buildFilters();
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      commit("submit");
    });
    input.addEventListener("input", () => commit("type"));
    ui.clear.addEventListener("click", clearAll);
    ui.more.addEventListener("click", () => {
      shown += PAGE_SIZE;
      renderResults();
    });
    window.addEventListener("popstate", () => {
      lastChange = null;
      readUrl();
    });
    ui.browse.hidden = true;
    ui.app.hidden = false;
    readUrl();
  }

  const facetAt = (key) => facets.findIndex((facet) => facet.key === key);

  function posting(row, column, order, base) {
    const member = row[column.facets];
    const labels = (key) => {
      const at = facetAt(key);
      return at < 0 ? [] : member[at].map((v) => facets[at].values[v].label);
    };
    const location = facets[facetAt("location")];
    const placeLabel = (v) => {
      const value = location.values[v];
      return value.parent < 0 ? value.label : `${value.label}, ${location.values[value.parent].label}`;
    };
    const places = row[column.places];
    const placeCountries = new Set(places.map((v) => {
      const parent = location.values[v].parent;
      return parent < 0 ? v : parent;
    }));
    const applicants = member[facetAt("location")]
      .filter((v) => location.values[v].parent < 0 && !placeCountries.has(v))
      .map(placeLabel);
    const remoteKey = member[facetAt("remote")].map((v) => facets[facetAt("remote")].values[v].key)[0];
    const item = {
      order,
      remoteKey,
      url: base + row[column.url],
      title: row[column.title],
      date: row[column.date],
      company: labels("company").join(", "),
      remote: labels("remote")[0] || "",
      places: places.map(placeLabel),
      applicants,
      types: labels("type"),
      level: labels("level").join(", "),
      tags: labels("tag"),
      salary: row[column.salary],
      summary: row[column.summary],
      member,
    };
    item.text = {
      title: haystack([item.title]),
      company: haystack([item.company]),
      tags: haystack(item.tags),
      facts: haystack([...item.places, ...applicants, item.remote, item.level, ...item.types]),
      summary: haystack([item.summary]),
    };
    return item;
  }

  // ---- the filter checkboxes -------------------------------------------------------------------
  function buildFilters() {
    facets.forEach((facet, f) => {
      if (!facet.values.length) return;
      const details = el("details", { className: "facet" });
      details.dataset.facet = facet.key;
      details.open = facet.values.length <= OPEN_UP_TO;
      const fieldset = el("fieldset", {}, el("legend", { className: "visually-hidden" }, facet.title));
      const list = el("ul");
      facet.inputs = facet.values.map((value, v) => {
        const id = `filter-${f}-${v}`;
        const box = el("input", { type: "checkbox", id, name: facet.key, value: value.key });
        const count = el("span", { className: "facet-count" });
        const item = el("li", {}, box, el("label", { htmlFor: id }, value.label, " ", count));
        if (value.parent >= 0) item.className = "facet-child";
        box.addEventListener("change", () => toggle(f, v, box.checked));
        list.append(item);
        return { item, box, count };
      });
      fieldset.append(list);
      details.append(el("summary", {}, facet.title), fieldset);
      facet.details = details;
      ui.filters.append(details);
    });
  }

  function toggle(f, v, on) {
    const chosen = state.selected.get(f) || new Set();
    if (on) chosen.add(v);
    else chosen.delete(v);
    if (chosen.size) state.selected.set(f, chosen);
    else state.selected.delete(f);
    commit("filter");
  }

  function clearAll() {
    state = { q: "", selected: new Map() };
    showState();
    commit("clear");
    input.focus();
  }

  // ---- URL state ---------------------------------------------------------------------------------
  function toUrl() {
    const params = new URLSearchParams();
    if (state.q.trim()) params.set("q", state.q.trim());
    facets.forEach((facet, f) => {
      const chosen = [...(state.selected.get(f) || [])].sort((a, b) => a - b);
      chosen.forEach((v) => params.append(facet.key, facet.values[v].key));
    });
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : "");
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    state = { q: params.get("q") || "", selected: new Map() };
    facets.forEach((facet, f) => {
      const chosen = new Set(
        params.getAll(facet.key).map((key) => facet.byKey.get(key)).filter((v) => v !== undefined),
      );
      if (chosen.size) state.selected.set(f, chosen);
    });
    showState();
    shown = PAGE_SIZE;
    update();
  }

  function showState() {
    input.value = state.q;
    facets.forEach((facet, f) => {
      const chosen = state.selected.get(f);
      (facet.inputs || []).forEach((entry, v) => {
        entry.box.checked = Boolean(chosen && chosen.has(v));
      });
      if (chosen && facet.details) facet.details.open = true;
    });
  }

  // Typing replaces the history entry it started, so Back leaves the whole query at once.
  function commit(kind) {
    if (kind === "type") state.q = input.value;
    const url = toUrl();
    if (url !== location.pathname + location.search) {
      if (kind === "type" && lastChange === "type") history.replaceState(null, "", url);
      else history.pushState(null, "", url);
    }
    lastChange = kind;
    shown = PAGE_SIZE;
    update();
  }

  // ---- matching, counting, sorting ------------------------------------------------------------
  function score(item) {
    let total = 0;
    for (const term of terms) {
      let best = 0;
      for (const [field, weight] of WEIGHTS) {
        const text = item.text[field];
        if (text.includes(` ${term} `)) best = Math.max(best, weight * 2);
        else if (best < weight && text.includes(` ${term}`)) best = weight;
      }
      if (!best) return -1;
      total += best;
    }
    return total;
  }

  function update() {
    terms = [...new Set(words(state.q))];
    const active = facets.map((_, f) => state.selected.get(f) || null);
    const counts = facets.map((facet) => new Array(facet.values.length).fill(0));
    results = [];
    for (const item of postings) {
      const relevance = terms.length ? score(item) : 0;
      if (relevance < 0) continue;
      // A value's count is what you would get by ticking it: other facets' filters apply,
      // its own facet's do not. So a posting failing exactly one facet counts there only.
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < facets.length && failures < 2; f++) {
        const chosen = active[f];
        if (chosen && !item.member[f].some((v) => chosen.has(v))) {
          failures += 1;
          failed = f;
        }
      }
      if (failures === 0) {
        results.push({ item, relevance });
        item.member.forEach((values, f) => values.forEach((v) => { counts[f][v] += 1; }));
      } else if (failures === 1) {
        item.member[failed].forEach((v) => { counts[failed][v] += 1; });
      }
    }
    if (terms.length) results.sort((a, b) => b.relevance - a.relevance || a.item.order - b.item.order);
    renderCounts(counts);
    renderResults();
    document.title = state.q.trim() ? `${state.q.trim()} – ${baseTitle}` : baseTitle;
  }

  function renderCounts(counts) {
    facets.forEach((facet, f) => {
      let visible = 0;
      (facet.inputs || []).forEach((entry, v) => {
        const count = counts[f][v];
        entry.count.textContent = String(count);
        entry.item.hidden = count === 0 && !entry.box.checked;
        if (!entry.item.hidden) visible += 1;
      });
      if (facet.details) facet.details.hidden = visible === 0;
    });
  }

  // ---- results --------------------------------------------------------------------------------
  function renderResults() {
    const total = results.length;
    ui.list.replaceChildren(...results.slice(0, shown).map(({ item }) => card(item)));
    ui.more.hidden = total <= shown;
    ui.empty.hidden = total > 0;
    ui.status.textContent = total === 0
      ? text("none")
      : text(total > shown ? "found_some" : "found", { count: total, shown });
  }

  // The same markup as the theme's partials/posting-card.html (without the logo, which the
  // index does not carry: the company's initial stands in).
  function card(item) {
    const where = [];
    if (item.remote) {
      where.push(el("span", { className: `badge badge-${item.remoteKey}` }, item.remote));
      if (item.applicants.length) where.push(` (${item.applicants.join(", ")})`);
    }
    if (item.places.length) where.push(`${where.length ? " · " : ""}${item.places.join("; ")}`);
    const facts = el("p", { className: "posting-facts" }, fact("place", "pin", ...where));
    if (item.salary) facts.append(fact("salary", "pay", salaryText(item.salary)));
    facts.append(fact("type", "briefcase", item.types.join(", ")));
    const body = el(
      "div",
      { className: "card-body" },
      el("h3", { className: "posting-title" }, el("a", { href: item.url }, ...marked(item.title))),
      el("p", { className: "posting-company" }, ...marked(item.company)),
      facts,
      el("p", { className: "posting-summary" }, ...marked(item.summary)),
    );
    if (item.tags.length) {
      const tags = el("ul", { className: "tags" }, ...item.tags.map((tag) => el("li", {}, ...marked(tag))));
      tags.setAttribute("aria-label", text("tags"));
      body.append(tags);
    }
    const initial = el("span", { className: "logo logo-initial" }, item.company.slice(0, 1).toUpperCase());
    initial.setAttribute("aria-hidden", "true");
    const days = Math.round((TODAY - new Date(`${item.date}T00:00:00Z`)) / 86400000);
    const age = el("p", { className: "posting-age" });
    if (days >= 0 && days < 7) age.append(el("span", { className: "badge badge-new" }, text("new")), " ");
    const time = el("time", { dateTime: item.date, title: longDate(item.date) }, ago(days));
    age.append(time);
    return el("li", { className: `posting-card${days >= 0 && days < 7 ? " is-new" : ""}` }, initial, body, age);
  }

  // Python's round(), which Babel uses: 2.5 -> 2, 3.5 -> 4.
  function roundHalfEven(value) {
    const rounded = Math.round(value);
    return value % 1 === 0.5 && rounded % 2 ? rounded - 1 : rounded;
  }

  function fact(kind, icon, ...content) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", `${ICONS}#${icon}`);
    svg.append(use);
    return el("span", { className: `fact ${kind}` }, svg, el("span", {}, ...content));
  }

  // "3 days ago", as the theme says it (theme.py's relative_age): a unit is used once there
  // are two of it (13 days, then 2 weeks; 8 weeks, then 2 months).
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  function ago(days) {
    if (days <= 0) return text("today");
    if (days === 1) return text("yesterday");
    for (const [unit, size] of [["year", 365], ["month", 30], ["week", 7], ["day", 1]]) {
      if (days / size >= 2 || unit === "day") return relative.format(-Math.max(1, roundHalfEven(days / size)), unit);
    }
    return "";
  }

  // The text with every word that starts with a query term wrapped in <mark>. Matching runs
  // on the folded text; a map from folded to original positions puts the marks back.
  function marked(text) {
    if (!terms.length) return [text];
    let folded = "";
    const origin = [];
    for (let i = 0; i < text.length;) {
      const char = String.fromCodePoint(text.codePointAt(i));
      for (const unit of fold(char)) {
        folded += unit;
        origin.push(i);
      }
      i += char.length;
    }
    origin.push(text.length);
    const parts = [];
    let at = 0;
    for (const match of folded.matchAll(WORD)) {
      const term = terms.find((t) => match[0].startsWith(t));
      if (!term) continue;
      const start = origin[match.index];
      const end = origin[match.index + term.length];
      if (start < at) continue;
      parts.push(text.slice(at, start), el("mark", {}, text.slice(start, end)));
      at = end;
    }
    parts.push(text.slice(at));
    return parts.filter((part) => part !== "");
  }

  const money = new Map();
  function salaryText([low, high, currency, period]) {
    if (!money.has(currency)) {
      money.set(currency, new Intl.NumberFormat(lang, {
        style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: 0,
      }));
    }
    const format = money.get(currency);
    const amount = low === high ? format.format(low) : `${format.format(low)} – ${format.format(high)}`;
    return nested("periods", period, "{amount}").replace("{amount}", amount);
  }

  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  const longDate = (iso) => dates.format(new Date(`${iso}T00:00:00Z`));

  function el(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props || {});
    node.append(...children);
    return node;
  }
})();
