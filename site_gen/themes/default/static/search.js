/* Instant search for the job board, loaded only by the search page.
 *
 * Reads the head of the search index (search-index.json, version 2, see docs/search.md) and
 * then only the shards a search needs: the words a query's terms start, the facets it
 * filters or counts, the rows of the results shown. Words match from their start, ignoring
 * case and accents ("kube" finds "Kubernetes"); facets combine with AND between them and OR
 * within one; results are by relevance for a query (title before description, every word
 * before some), newest first otherwise, and featured postings first among equals. The state lives in the URL (?q=python&remote=remote),
 * so a search can be shared and the back button steps through it. Every label comes from the
 * page (the theme's translations). No dependencies, no build step.
 */
(() => {
  "use strict";

  const root = document.getElementById("search");
  if (!root || !window.fetch || !window.URLSearchParams) return;

  const PAGE_SIZE = 20; // results shown at first, and added by "Show more"
  const FIRST = 5; // results drawn without waiting for the rest of the page
  const OPEN_UP_TO = 8; // facets with at most this many values start unfolded
  const WEIGHTS = [8, 4, 4, 2, 1]; // by text field: title, company, tags, facts, description
  const PAUSE_FOR = 150000; // bytes: a term still being typed loads more only after a pause
  const PAUSE = 350; // ms
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

  // ---- text: case- and accent-insensitive words (as the index folds them) -------------------
  const MARKS = /\p{M}/gu;
  const WORD = /[\p{L}\p{N}]+/gu;
  const fold = (text) => text.normalize("NFKD").replace(MARKS, "").toLowerCase();
  const words = (text) => fold(text).match(WORD) || [];

  // ---- the index: its head, and shards loaded once, on demand ---------------------------------
  let head = null;
  let N = 0;
  let featured = null; // posting number -> 1 if featured on the build's day
  let listed = null; // posting numbers in the listings' order: featured first, then newest
  const loaded = new Map(); // shard name -> its data, once arrived
  const loading = new Map(); // shard name -> promise of its data
  function load(name) {
    if (!loading.has(name)) {
      const inline = head.inline && head.inline[name];
      const data = inline ? Promise.resolve(inline) : fetch(`${head.folder_url}${name}.json`).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json();
      });
      loading.set(name, data.then((value) => { loaded.set(name, value); return value; }));
    }
    return loading.get(name);
  }
  const undelta = (list) => {
    const out = new Int32Array(list.length);
    let at = 0;
    for (let i = 0; i < list.length; i++) out[i] = at += list[i];
    return out;
  };

  // Text shards hold consecutive ranges of the sorted words; a term needs those whose range
  // holds a word it starts.
  function textShards(term) {
    const firsts = head.text.shards;
    let lo = 0;
    while (lo + 1 < firsts.length && firsts[lo + 1][0] <= term) lo++;
    let hi = lo;
    while (hi + 1 < firsts.length && firsts[hi + 1][0].startsWith(term)) hi++;
    const names = [];
    let bytes = 0;
    for (let i = lo; i <= hi; i++) {
      names.push(`text-${i}`);
      if (!loaded.has(`text-${i}`)) bytes += firsts[i][1];
    }
    return { names, bytes };
  }

  // A facet's data: each posting's values (column of symbols or lists per value, see docs).
  const facetData = new Map(); // facet position -> {of(i): value positions}
  function facetShard(f) {
    const name = `facet-${facets[f].key}`;
    if (!facetData.has(f) && loaded.has(name)) facetData.set(f, decodeFacet(loaded.get(name)));
    return name;
  }
  function decodeFacet(data) {
    if (data.column !== undefined) {
      const { combinations, width, column } = data;
      const digit = new Uint8Array(128);
      [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].forEach((c, i) => {
        digit[c.charCodeAt(0)] = i;
      });
      const codes = new Uint16Array(N);
      for (let i = 0, at = 0; i < N; i++) {
        let code = 0;
        for (let w = 0; w < width; w++) code = code * 64 + digit[column.charCodeAt(at++)];
        codes[i] = code;
      }
      return { of: (i) => combinations[codes[i]] };
    }
    const each = Array.from({ length: N }, () => []);
    data.lists.forEach((list, v) => undelta(list).forEach((i) => each[i].push(v)));
    return { of: (i) => each[i] };
  }

  // ---- state --------------------------------------------------------------------------------
  let facets = []; // [{key, title, values: [{key, label, parent, count}], byKey, inputs}]
  let state = { q: "", selected: new Map() }; // facet position -> Set of value positions
  let results = []; // posting numbers, in order
  let partial = false; // no posting has every word: these have some of them
  let terms = [];
  let shown = PAGE_SIZE;
  let lastChange = null; // "type" while typing, so one search is one history entry
  let pendingUrl = null; // { url, replace }: the address of the last change, not yet written
  let generation = 0; // the latest search; an older one's late answer is dropped
  let pauseTimer = 0;

  fetch(root.dataset.index)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((index) => {
      if (index.version !== 2) throw new Error(`unknown index version ${index.version}`);
      start(index);
    })
    .catch((error) => {
      ui.fallback.textContent = text("failed", { error: error.message });
    });

  function start(index) {
    head = index;
    N = index.count;
    featured = new Uint8Array(N);
    const starred = undelta(index.featured || []);
    starred.forEach((i) => { featured[i] = 1; });
    listed = [...starred, ...Array.from({ length: N }, (_, i) => i).filter((i) => !featured[i])];
    head.folder_url = new URL(index.folder, new URL(root.dataset.index, location.href)).href;
    facets = index.facets.map((facet) => ({
      key: facet.key,
      title: nested("facets", facet.key, facet.title),
      values: facet.values.map(([key, label, count, parent]) => ({
        key,
        count,
        label: nested("values", facet.key, {})[key] || label,
        parent: parent === undefined ? -1 : parent,
      })),
      lists: facet.encoding === "lists",
    }));
    facets.forEach((facet) => {
      facet.byKey = new Map(facet.values.map((value, i) => [value.key, i]));
    });
    buildFilters();
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      commit("submit");
    });
    input.addEventListener("input", () => commit("type"));
    ui.clear.addEventListener("click", clearAll);
    ui.more.addEventListener("click", () => {
      shown += PAGE_SIZE;
      update();
    });
    window.addEventListener("popstate", () => {
      lastChange = null;
      pendingUrl = null; // the address moved: it is the state now
      readUrl();
    });
    ui.browse.hidden = true;
    ui.app.hidden = false;
    readUrl();
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
        const count = el("span", { className: "facet-count" }, String(value.count));
        const item = el("li", {}, box, el("label", { htmlFor: id }, value.label, " ", count));
        if (value.parent >= 0) item.className = "facet-child";
        box.addEventListener("change", () => toggle(f, v, box.checked));
        list.append(item);
        return { item, box, count, shown: value.count };
      });
      fieldset.append(list);
      details.append(el("summary", {}, facet.title), fieldset);
      // Counts are worked out for the facets one can see: unfolding one counts it.
      details.addEventListener("toggle", () => {
        if (details.open && (terms.length || state.selected.size) && !facetData.has(f)) update();
      });
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
  // The address is written after the results are drawn (writeUrl): writing history can take
  // a browser longer than the search itself, and a keystroke's results come first.
  function commit(kind) {
    if (kind === "type") state.q = input.value;
    const typing = kind === "type" && lastChange === "type";
    if (pendingUrl && !typing) writeUrl();
    pendingUrl = { url: toUrl(), replace: pendingUrl ? pendingUrl.replace : typing };
    lastChange = kind;
    shown = PAGE_SIZE;
    update(kind === "type");
  }

  function writeUrl() {
    const pending = pendingUrl;
    pendingUrl = null;
    if (!pending || pending.url === location.pathname + location.search) return;
    if (pending.replace) history.replaceState(null, "", pending.url);
    else history.pushState(null, "", pending.url);
  }

  // After the next paint: the frame with the results goes out first.
  const writeUrlSoon = () => requestAnimationFrame(() => setTimeout(writeUrl));

  // ---- searching: load what is missing, then match, count and show ---------------------------
  const counted = (f) => facets[f].details && facets[f].details.open;

  // While typing, the last term may still grow: shards too big to load at every keystroke,
  // and the rows of the results below the first few, wait for a pause in the typing.
  async function update(typing = false) {
    const mine = ++generation;
    clearTimeout(pauseTimer);
    const query = state.q;
    terms = [...new Set(words(query))];
    const needed = [];
    terms.forEach((term, t) => {
      const { names, bytes } = textShards(term);
      const growing = typing && !/\s$/.test(query) && words(query).pop() === term;
      if (growing && t === terms.length - 1 && bytes && (term.length < 2 || bytes > PAUSE_FOR)) {
        pauseTimer = setTimeout(() => update(), PAUSE);
        needed.push(null);
      }
      needed.push(...names);
    });
    if (needed.includes(null)) return;
    const filtering = terms.length > 0 || state.selected.size > 0;
    facets.forEach((facet, f) => {
      const chosen = state.selected.get(f);
      if ((filtering && counted(f)) || (chosen && !facet.lists)) needed.push(facetShard(f));
      else if (chosen && !loaded.has(facetShard(f))) chosen.forEach((v) => needed.push(`value-${facet.key}-${v}`));
    });
    try {
      await Promise.all(needed.map(load));
      if (mine !== generation) return;
      search();
      // The first few results are drawn as soon as their rows are in, the others as they come.
      await Promise.all(rowShards(results.slice(0, Math.min(shown, FIRST))).map(load));
    } catch (error) {
      ui.status.textContent = text("failed", { error: error.message });
      writeUrlSoon();
      return;
    }
    if (mine !== generation) return;
    renderResults();
    document.title = query.trim() ? `${query.trim()} – ${baseTitle}` : baseTitle;
    root.dispatchEvent(new CustomEvent("search:shown", { detail: { q: query, total: results.length } }));
    writeUrlSoon();
    const later = () => rowShards(results.slice(0, shown)).filter((name) => !loaded.has(name));
    if (!later().length) return;
    if (typing) await new Promise((resolve) => { pauseTimer = setTimeout(resolve, PAUSE); });
    if (mine !== generation) return;
    await Promise.all(later().map(load)).catch(() => null);
    if (mine === generation) renderResults();
  }

  const rowShards = (numbers) => [...new Set(numbers.map((i) => `rows-${Math.floor(i / head.rows.size)}`))];
  const hasRow = (i) => loaded.has(`rows-${Math.floor(i / head.rows.size)}`);

  // A term's postings and, for each, its best score: its best field's weight, doubled for a
  // whole word. Kept: while a query grows, its earlier terms are not worked out again.
  const termHits = new Map();
  let best = null;
  function hitsOf(term) {
    if (termHits.has(term)) return termHits.get(term);
    best = best || new Uint8Array(N);
    const ids = [];
    for (const name of textShards(term).names) {
      for (const [word, lists] of Object.entries(loaded.get(name))) {
        if (!word.startsWith(term)) continue;
        const whole = word === term ? 2 : 1;
        lists.forEach((list, field) => {
          const weight = WEIGHTS[field] * whole;
          for (const i of undelta(list)) {
            if (!best[i]) ids.push(i);
            if (weight > best[i]) best[i] = weight;
          }
        });
      }
    }
    const weights = new Uint8Array(ids.length);
    ids.forEach((i, k) => { weights[k] = best[i]; best[i] = 0; });
    const found = { ids, weights };
    termHits.set(term, found);
    return found;
  }

  // The postings with the most query words (all of them, when any has all), and their scores.
  function matches() {
    const total = new Uint16Array(N);
    const hits = new Uint8Array(N);
    const touched = [];
    for (const term of terms) {
      const { ids, weights } = hitsOf(term);
      for (let k = 0; k < ids.length; k++) {
        const i = ids[k];
        if (!hits[i]) touched.push(i);
        hits[i] += 1;
        total[i] += weights[k];
      }
    }
    let most = 0;
    for (const i of touched) most = Math.max(most, hits[i]);
    partial = most > 0 && most < terms.length;
    return { candidates: touched.filter((i) => hits[i] === most), score: total };
  }

  function search() {
    facets.forEach((_, f) => facetShard(f)); // decode what arrived
    partial = false;
    const { candidates, score } = terms.length ? matches() : { candidates: listed, score: null };
    // Each facet's filter: a test of posting numbers.
    const tests = facets.map((facet, f) => {
      const chosen = state.selected.get(f);
      if (!chosen) return null;
      const data = facetData.get(f);
      if (data) return (i) => data.of(i).some((v) => chosen.has(v));
      const members = new Uint8Array(N);
      chosen.forEach((v) => undelta(loaded.get(`value-${facet.key}-${v}`)).forEach((i) => { members[i] = 1; }));
      return (i) => members[i] === 1;
    });
    const counting = facets.map((_, f) => (terms.length || state.selected.size) && counted(f) && facetData.get(f));
    const counts = facets.map((facet) => new Array(facet.values.length).fill(0));
    results = [];
    for (const i of candidates) {
      // A value's count is what you would get by ticking it: other facets' filters apply,
      // its own facet's do not. So a posting failing exactly one facet counts there only.
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < facets.length && failures < 2; f++) {
        if (tests[f] && !tests[f](i)) {
          failures += 1;
          failed = f;
        }
      }
      if (failures === 0) {
        results.push(i);
        counting.forEach((data, f) => { if (data) data.of(i).forEach((v) => { counts[f][v] += 1; }); });
      } else if (failures === 1 && counting[failed]) {
        counting[failed].of(i).forEach((v) => { counts[failed][v] += 1; });
      }
    }
    if (score) results.sort((a, b) => score[b] - score[a] || featured[b] - featured[a] || a - b);
    renderCounts(counts, counting);
  }

  // Only the facets counted (or back to the board's own counts) change; a DOM write only
  // where a number or visibility changes (the company facet can have thousands of values).
  function renderCounts(counts, counting) {
    const filtering = terms.length || state.selected.size;
    facets.forEach((facet, f) => {
      if (!facet.inputs || (filtering && !counting[f])) return;
      let visible = 0;
      facet.inputs.forEach((entry, v) => {
        const count = counting[f] ? counts[f][v] : facet.values[v].count;
        const hidden = count === 0 && !entry.box.checked;
        if (entry.shown !== count) entry.count.textContent = String((entry.shown = count));
        if (entry.item.hidden !== hidden) entry.item.hidden = hidden;
        if (!hidden) visible += 1;
      });
      if (facet.details.hidden !== (visible === 0)) facet.details.hidden = visible === 0;
    });
  }

  // ---- results --------------------------------------------------------------------------------
  function renderResults() {
    const total = results.length;
    const ready = results.slice(0, shown);
    const missing = ready.findIndex((i) => !hasRow(i));
    ui.list.replaceChildren(...ready.slice(0, missing < 0 ? shown : missing).map(card));
    ui.more.hidden = total <= shown;
    ui.empty.hidden = total > 0;
    let message = text("none");
    if (partial) message = text("partial", { count: total });
    else if (total) message = text(total > shown ? "found_some" : "found", { count: total, shown });
    ui.status.textContent = message;
  }

  const rowOf = (i) => {
    const row = loaded.get(`rows-${Math.floor(i / head.rows.size)}`)[i % head.rows.size];
    return Object.fromEntries(head.fields.map((name, at) => [name, row[at]]));
  };
  const facetAt = (key) => facets.findIndex((facet) => facet.key === key);
  const labelsOf = (row, key) => {
    const f = facetAt(key);
    return f < 0 ? [] : row.facets[f].map((v) => facets[f].values[v].label);
  };

  // The same markup as the theme's partials/posting-card.html.
  function card(i) {
    const row = rowOf(i);
    const at = facetAt("location");
    const location = facets[at].values;
    const placeLabel = (v) => (location[v].parent < 0 ? location[v].label : `${location[v].label}, ${location[location[v].parent].label}`);
    const countries = new Set(row.places.map((v) => (location[v].parent < 0 ? v : location[v].parent)));
    const applicants = row.facets[at].filter((v) => location[v].parent < 0 && !countries.has(v)).map(placeLabel);
    const remote = facetAt("remote");
    const remoteKey = row.facets[remote].map((v) => facets[remote].values[v].key)[0];
    const company = labelsOf(row, "company").join(", ");
    const where = [];
    if (remoteKey) {
      where.push(el("span", { className: `badge badge-${remoteKey}` }, labelsOf(row, "remote")[0]));
      if (applicants.length) where.push(` (${applicants.join(", ")})`);
    }
    if (row.places.length) where.push(`${where.length ? " · " : ""}${row.places.map(placeLabel).join("; ")}`);
    const facts = el("p", { className: "posting-facts" }, fact("place", "pin", ...where));
    if (row.salary) facts.append(fact("salary", "pay", salaryText(row.salary)));
    facts.append(fact("type", "briefcase", labelsOf(row, "type").join(", ")));
    const body = el(
      "div",
      { className: "card-body" },
      el("h3", { className: "posting-title" }, el("a", { href: head.base + row.url }, ...marked(row.title))),
      el("p", { className: "posting-company" }, ...marked(company)),
      facts,
      el("p", { className: "posting-summary" }, ...marked(row.summary)),
    );
    const tags = labelsOf(row, "tag");
    if (tags.length) {
      const list = el("ul", { className: "tags" }, ...tags.map((tag) => el("li", {}, ...marked(tag))));
      list.setAttribute("aria-label", text("tags"));
      body.append(list);
    }
    const logo = row.logo
      ? el("img", { className: "logo", src: row.logo, alt: "", width: 48, height: 48, decoding: "async" })
      : el("span", { className: "logo logo-initial" }, company.slice(0, 1).toUpperCase());
    if (!row.logo) logo.setAttribute("aria-hidden", "true");
    const days = Math.round((TODAY - new Date(`${row.date}T00:00:00Z`)) / 86400000);
    const age = el("p", { className: "posting-age" });
    const isNew = days >= 0 && days < 7;
    if (featured[i]) age.append(el("span", { className: "badge badge-featured" }, text("featured")), " ");
    if (isNew) age.append(el("span", { className: "badge badge-new" }, text("new")), " ");
    age.append(el("time", { dateTime: row.date, title: longDate(row.date) }, ago(days)));
    const kind = `posting-card${isNew ? " is-new" : ""}${featured[i] ? " is-featured" : ""}`;
    return el("li", { className: kind }, logo, body, age);
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
