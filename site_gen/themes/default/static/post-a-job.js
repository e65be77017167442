/* The "Post a job" form: checks a posting as `sitegen check` does and makes its file.
 *
 * The rules come from the build (the JSON in #post-job-rules, made by site_gen/posting_form.py
 * from the posting models): required fields, lengths, URL and email patterns, the year range,
 * the largest amount. The choices (types, workplaces, countries, currencies) are the page's
 * own controls, written by the build from the same models. Strings come from the theme's
 * translation table (data-i18n). Nothing leaves the browser until the employer sends it:
 * the file is downloaded, copied, or carried by a GitHub "new issue" link or a mailto: link.
 * Without JavaScript the form stays hidden and the page's text explains how to post.
 */
(() => {
  "use strict";

  const root = document.getElementById("post-job");
  if (!root) return;
  const rules = JSON.parse(document.getElementById("post-job-rules").textContent);
  const text = JSON.parse(root.dataset.i18n);
  const form = document.getElementById("pf-form");
  const $ = (id) => document.getElementById("pf-" + id);
  const patterns = {};
  Object.entries(rules.patterns).forEach(([name, p]) => {
    patterns[name] = new RegExp(p.source, p.flags);
  });
  const fill = (message, values) =>
    message.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const say = (key, values = {}) => fill(text.errors[key], values);
  // Python's str.strip(): the build strips these before it checks a text's length.
  const strip = (s) => s.replace(/^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, "");
  const length = (s) => [...s].length; // code points, as Python counts
  let counter = 0;

  // ---- repeated rows: places and applicant countries ----------------------------------
  function countrySelect(select) {
    select.append(document.getElementById("pf-countries").content.cloneNode(true));
  }

  function addRow(templateId, list, labels) {
    const row = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    counter += 1;
    row.querySelectorAll("input, select").forEach((control) => {
      const part = control.closest("[data-part]");
      control.id = "pf-row" + counter + "-" + (part ? part.dataset.part : "country");
      const field = control.closest(".pf-field");
      field.querySelector("label").htmlFor = control.id;
      field.querySelector(".pf-error").id = control.id + "-error";
    });
    countrySelect(row.querySelector("select"));
    row.querySelector("[data-remove]").addEventListener("click", () => {
      const next = row.nextElementSibling;
      row.remove();
      renumber(list, labels);
      changed();
      (next ? next.querySelector("input, select") : list.nextElementSibling).focus();
    });
    list.append(row);
    renumber(list, labels);
    return row;
  }

  function renumber(list, [label, remove]) {
    [...list.children].forEach((row, index) => {
      const number = { number: index + 1 };
      row.querySelector("legend, label").textContent = fill(text[label], number);
      row.querySelector("[data-remove]").textContent = fill(text[remove], number);
    });
  }

  const places = $("places");
  const applicants = $("applicants");
  const addPlace = () => addRow("pf-place-row", places, ["place", "remove_place"]);
  const addApplicant = () =>
    addRow("pf-applicant-row", applicants, ["applicant_country", "remove_country"]);
  $("add-place").addEventListener("click", () => addPlace().querySelector("input").focus());
  $("add-applicant").addEventListener("click", () => addApplicant().querySelector("select").focus());

  // ---- reading the form ----------------------------------------------------------------
  const value = (name) => strip(form.elements[name].value);
  const checked = (name) => [...form.querySelectorAll(`[name="${name}"]:checked`)].map((c) => c.value);
  const remote = () => checked("remote")[0];
  const salaryKind = () => checked("salary.kind")[0];

  function showWhatApplies() {
    $("applicant_locations").hidden = remote() !== "remote";
    form.querySelectorAll("[data-kind]").forEach((input) => {
      input.closest(".pf-field").hidden = input.dataset.kind !== salaryKind();
    });
  }

  // ---- checking: the build's rules, one error per control ----------------------------------
  function check() {
    const errors = []; // [control, message]
    const posting = {};
    const fail = (control, message) => errors.push([control, message]);
    const limit = (name) => rules.fields[name].maxLength;

    function textOf(name, control, fieldRule = name) {
      const raw = strip(control.value);
      if (!raw) {
        if (rules.fields[fieldRule].required) fail(control, say("required"));
        return undefined;
      }
      const max = limit(fieldRule);
      if (max && length(raw) > max) fail(control, say("too_long", { max, count: length(raw) }));
      return raw;
    }

    function webUrl(name, control, allowPath) {
      const raw = textOf(name, control);
      if (raw === undefined) return undefined;
      if (!patterns.webUrl.test(raw) && !(allowPath && patterns.sitePath.test(raw))) {
        fail(control, say(allowPath ? "logo" : "url"));
      }
      return raw;
    }

    function day(name) {
      const control = $(name);
      if (control.validity.badInput) return fail(control, say("date", yearRange())), undefined;
      if (!control.value) {
        if (rules.fields[name].required) fail(control, say("required"));
        return undefined;
      }
      const year = Number(control.value.split("-")[0]);
      if (year < rules.years[0] || year > rules.years[1]) fail(control, say("date", yearRange()));
      return control.value;
    }

    function amount(name) {
      const control = $(name);
      if (control.closest(".pf-field").hidden) return undefined;
      if (control.validity.badInput) return fail(control, say("amount", amountRange())), undefined;
      if (control.value === "") return undefined;
      const number = Number(control.value);
      if (!(number >= 0 && number <= rules.maxAmount)) fail(control, say("amount", amountRange()));
      return number;
    }

    posting.title = textOf("title", $("title"));
    const company = { name: textOf("company.name", $("company-name")) };
    company.url = webUrl("company.url", $("company-url"), false);
    company.logo = webUrl("company.logo", $("company-logo"), true);
    posting.company = company;
    posting.date_posted = day("date_posted");
    posting.valid_through = day("valid_through");
    if (posting.valid_through && posting.date_posted && posting.valid_through < posting.date_posted) {
      fail($("valid_through"), say("date_order", { date: posting.date_posted }));
    }
    posting.employment_type = checked("employment_type");
    if (!posting.employment_type.length) {
      fail(form.querySelector('[name="employment_type"]'), say("employment_type"));
    }

    posting.remote = remote();
    posting.location = [];
    [...places.children].forEach((row) => {
      const place = {};
      let filled = false;
      row.querySelectorAll("[data-part]").forEach((part) => {
        const control = part.querySelector("input, select");
        const name = "location." + part.dataset.part;
        if (control.tagName === "SELECT") place.country = control.value || undefined;
        else place[part.dataset.part] = textOf(name, control);
        filled = filled || Boolean(strip(control.value));
      });
      if (!filled) return; // an empty row is no place
      if (!place.country) fail(row.querySelector("select"), say("country"));
      posting.location.push(place);
    });
    if (!posting.location.length && posting.remote !== "remote") {
      const first = places.querySelector("select");
      fail(first || $("add-place"), say("places"));
    }
    posting.applicant_locations = [];
    if (posting.remote === "remote") {
      applicants.querySelectorAll("select").forEach((select) => {
        if (select.value && !posting.applicant_locations.includes(select.value)) {
          posting.applicant_locations.push(select.value);
        }
      });
    }

    const salary = {};
    if (salaryKind() === "range") {
      salary.min = amount("salary-min");
      salary.max = amount("salary-max");
    } else {
      salary.value = amount("salary-value");
    }
    salary.currency = $("salary-currency").value || undefined;
    salary.period = $("salary-period").value;
    const amounts = [salary.min, salary.max, salary.value].filter((a) => a !== undefined);
    const typed = [...form.querySelectorAll("[data-kind]")].some(
      (c) => !c.closest(".pf-field").hidden && (c.value !== "" || c.validity.badInput)
    );
    if (typed || salary.currency) {
      if (!salary.currency) fail($("salary-currency"), say("currency"));
      if (!typed) fail($(salaryKind() === "range" ? "salary-min" : "salary-value"), say("amount_missing"));
      if (salary.min !== undefined && salary.max !== undefined && salary.max < salary.min) {
        fail($("salary-max"), say("salary_order", { min: salary.min }));
      }
      if (amounts.length) posting.salary = salary;
    }

    posting.experience_level = textOf("experience_level", $("experience_level"));
    posting.tags = [];
    value("tags").split(",").forEach((tag) => {
      const clean = strip(tag).toLowerCase();
      if (!clean) return;
      if (length(clean) > limit("tags")) fail($("tags"), say("tag", { max: limit("tags"), tag: clean }));
      if (!posting.tags.includes(clean)) posting.tags.push(clean);
    });
    posting.apply_url = webUrl("apply_url", $("apply_url"), false);
    posting.apply_email = textOf("apply_email", $("apply_email"));
    if (posting.apply_email && !patterns.email.test(posting.apply_email)) {
      fail($("apply_email"), say("email"));
    }
    if (!value("apply_url") && !value("apply_email")) fail($("apply_url"), say("apply"));
    posting.draft = $("draft").checked;
    posting.slug = textOf("slug", $("slug"));
    if (posting.slug && !/[\p{L}\p{N}]/u.test(posting.slug)) fail($("slug"), say("slug"));
    posting.description = form.elements.description.value.replace(/\r\n?/g, "\n");
    return { errors, posting };
  }

  function yearRange() {
    return { first: rules.years[0], last: rules.years[1] };
  }

  function amountRange() {
    return { max: rules.maxAmount.toLocaleString(document.documentElement.lang) };
  }

  // ---- showing errors ------------------------------------------------------------------
  const summary = $("summary");

  function clearErrors() {
    form.querySelectorAll(".pf-error").forEach((p) => {
      p.hidden = true;
      p.textContent = "";
    });
    form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
    form.querySelectorAll("[data-error-of]").forEach((c) => describe(c, c.dataset.errorOf, false));
    summary.hidden = true;
  }

  function describe(control, id, on) {
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
    if (on) ids.push(id);
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
    if (on) control.dataset.errorOf = id;
    else delete control.dataset.errorOf;
  }

  function labelOf(control) {
    const group = control.type === "checkbox" || control.type === "radio" || control.tagName === "BUTTON";
    const own = group ? control.closest("fieldset").querySelector("legend") : control.labels[0];
    const place = group ? null : control.closest(".pf-place");
    const name = own.firstChild.textContent.trim();
    return place ? place.querySelector("legend").textContent + ", " + name : name;
  }

  function showErrors(errors) {
    clearErrors();
    const list = $("summary-list");
    list.replaceChildren();
    const shown = new Set();
    errors.forEach(([control, message]) => {
      const group = control.type === "checkbox" || control.type === "radio" || control.tagName === "BUTTON";
      const holder = group ? control.closest("fieldset") : control.closest(".pf-field");
      const p = holder.querySelector(".pf-error");
      if (shown.has(p)) return; // one message per field: the first
      shown.add(p);
      p.textContent = message;
      p.hidden = false;
      if (group) describe(holder, p.id, true);
      else {
        control.setAttribute("aria-invalid", "true");
        describe(control, p.id, true);
      }
      const link = document.createElement("a");
      link.href = "#" + control.id;
      link.textContent = labelOf(control) + ": " + message;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        control.focus();
        holder.scrollIntoView({ block: "center" });
      });
      const item = document.createElement("li");
      item.append(link);
      list.append(item);
    });
    summary.hidden = false;
    summary.focus();
  }

  // ---- the file ------------------------------------------------------------------------
  // A YAML double-quoted string: every character that YAML would read otherwise escaped.
  function quote(s) {
    const escaped = s
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
      .replace(/[\\"]/g, (c) => "\\" + c)
      .replace(/[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udfff]/g, (c) =>
        c === "\n" ? "\\n" : c === "\t" ? "\\t" : "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")
      );
    return '"' + escaped + '"';
  }

  // A number as YAML reads it back as the same number (never 1e-7, which YAML reads as text).
  function number(n) {
    const plain = String(n);
    return /e/i.test(plain) ? n.toFixed(20).replace(/\.?0+$/, "") : plain;
  }

  const flow = (items, write) => "[" + items.map(write).join(", ") + "]";

  // The frontmatter as [key, YAML value] pairs, in the README's order; a value that is a
  // block (a mapping, a list of places) starts with a newline.
  function frontmatter(p) {
    const values = {};
    const block = (entries) => entries.map(([k, v]) => `\n  ${k}: ${v}`).join("");
    values.title = quote(p.title);
    const company = Object.entries(p.company).filter(([, v]) => v !== undefined);
    values.company = company.length === 1 ? quote(p.company.name) : block(company.map(([k, v]) => [k, quote(v)]));
    values.date_posted = p.date_posted;
    if (p.valid_through) values.valid_through = p.valid_through;
    values.employment_type = p.employment_type.length === 1 ? p.employment_type[0] : flow(p.employment_type, String);
    if (p.location.length) {
      values.location = p.location
        .map((place) => {
          const entries = Object.entries(place).filter(([, v]) => v !== undefined);
          return entries.map(([k, v], i) => `\n  ${i ? " " : "-"} ${k}: ${quote(v)}`).join("");
        })
        .join("");
    }
    values.remote = p.remote;
    if (p.applicant_locations.length) values.applicant_locations = flow(p.applicant_locations, quote);
    if (p.salary) {
      const entries = ["min", "max", "value"].filter((k) => p.salary[k] !== undefined).map((k) => [k, number(p.salary[k])]);
      values.salary = block([...entries, ["currency", quote(p.salary.currency)], ["period", p.salary.period]]);
    }
    if (p.experience_level) values.experience_level = quote(p.experience_level);
    if (p.tags.length) values.tags = flow(p.tags, quote);
    if (p.apply_url) values.apply_url = quote(p.apply_url);
    if (p.apply_email) values.apply_email = quote(p.apply_email);
    if (p.draft) values.draft = "true";
    if (p.slug) values.slug = quote(p.slug);
    return rules.order.filter((k) => k in values).map((k) => [k, values[k]]);
  }

  function fileText(pairs, description) {
    const lines = pairs.map(([k, v]) => (v.startsWith("\n") ? k + ":" + v : k + ": " + v));
    const body = description.replace(/\s+$/, "");
    return "---\n" + lines.join("\n") + "\n---\n" + (body ? body + "\n" : "");
  }

  function fileName(p) {
    const slug = (p.slug || p.title)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/, "");
    return (slug || "job-posting") + ".md";
  }

  // ---- the result: download, copy, send -------------------------------------------------
  let download = null;

  function showResult(posting) {
    const pairs = frontmatter(posting);
    const file = fileText(pairs, posting.description);
    const name = fileName(posting);
    $("file").value = file;
    $("file-label").textContent = fill(text.file_label, { name });
    if (download) URL.revokeObjectURL(download);
    download = URL.createObjectURL(new Blob([file], { type: "text/markdown;charset=utf-8" }));
    $("download").href = download;
    $("download").download = name;
    const subject = fill(text.subject, { title: posting.title, company: posting.company.name });
    const issue = $("issue");
    if (issue && rules.repository) {
      const base = `https://github.com/${rules.repository}/issues/new`;
      const query = new URLSearchParams({ template: rules.issueTemplate, title: posting.title });
      // The issue's title is the job's; each other field of the issue form has the posting
      // field's name as its id and gets its YAML as in the file (a block unindented).
      pairs.forEach(([k, v]) => {
        if (k !== "title") query.set(k, v.startsWith("\n") ? v.slice(1).replace(/^ {2}/gm, "") : v);
      });
      query.set("description", posting.description.replace(/\s+$/, ""));
      const full = base + "?" + query;
      const fits = full.length <= rules.maxIssueLink;
      const bare = new URLSearchParams({ template: rules.issueTemplate, title: posting.title });
      issue.href = fits ? full : base + "?" + bare;
      $("status").textContent = fits ? "" : text.too_long;
    }
    const email = $("email");
    if (email && rules.email) {
      email.href = `mailto:${rules.email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(file)}`;
    }
    $("stale").textContent = "";
    $("result").hidden = false;
    $("result-title").focus();
  }

  $("copy").addEventListener("click", () => {
    const status = $("status");
    const failed = () => {
      $("file").select();
      status.textContent = text.copy_failed;
    };
    if (!navigator.clipboard) return failed();
    navigator.clipboard.writeText($("file").value).then(() => {
      status.textContent = text.copied;
    }, failed);
  });

  function changed() {
    showWhatApplies();
    if (!$("result").hidden) {
      $("result").hidden = true;
      $("stale").textContent = text.stale;
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { errors, posting } = check();
    if (errors.length) {
      $("result").hidden = true;
      showErrors(errors);
    } else {
      clearErrors();
      showResult(posting);
    }
  });

  // ---- start ---------------------------------------------------------------------------
  const today = new Date();
  const local = new Date(today.getTime() - today.getTimezoneOffset() * 60000);
  $("date_posted").value = local.toISOString().slice(0, 10);
  $("date_posted").min = $("valid_through").min = rules.years[0] + "-01-01";
  $("date_posted").max = $("valid_through").max = rules.years[1] + "-12-31";
  addPlace();
  addApplicant();
  showWhatApplies();
  root.hidden = false;
})();
