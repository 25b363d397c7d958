// sitrep's page: a map, a timeline, a reconciliation table, an article reader and search, over the
// read-only JSON API. Everything that comes from an article is untrusted: it only ever reaches the page as
// text nodes (never innerHTML), and only http(s) links from articles become clickable.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // A link to an article's page elsewhere: only http(s), opened without referrer or opener.
  function outLink(url, label) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return document.createTextNode(label || "");
    return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, label || url);
  }

  function readerLink(articleId, span, label) {
    const hl = span && span[0] != null ? `?hl=${Number(span[0])}-${Number(span[1])}` : "";
    return el("a", { href: `#article/${Number(articleId)}${hl}` }, label);
  }

  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      if (value != null && value !== "") url.searchParams.set(key, value);
    }
    const response = await fetch(url);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error ? JSON.stringify(body.error) : `HTTP ${response.status}`);
    return body;
  }

  async function all(path, params, cap) {
    let items = [], offset = 0;
    while (offset != null && items.length < cap) {
      const page = await api(path, { ...params, limit: 200, offset });
      items = items.concat(page.items);
      offset = page.next_offset;
    }
    return items;
  }

  const fmt = (v) => (v == null ? "?" : Number(v).toLocaleString("en-US"));
  const range = (low, high) => (low === high ? fmt(low) : `${fmt(low)}–${fmt(high)}`);

  const COLOURS = {
    "Battles": "#c92a2a", "Explosions/Remote violence": "#e8590c", "Violence against civilians": "#862e9c",
    "Protests": "#1971c2", "Riots": "#f08c00", "Strategic developments": "#495057", "Displacement": "#2b8a3e",
    "Humanitarian aid": "#0c8599", "Disaster": "#5c940d",
    killed: "#a61e4d", injured: "#d9480f", displaced: "#2f9e44", in_need: "#1098ad", returned: "#74b816",
    evacuated: "#3bc9db", sheltered: "#4c6ef5", missing: "#7048e8", arrested: "#868e96", affected: "#f59f00",
  };
  const colour = (key) => COLOURS[key] || "#343a40";

  // -- views -------------------------------------------------------------------------------------
  const views = ["map", "reconcile", "search", "article"];
  function show(view) {
    for (const v of views) $(`view-${v}`).hidden = v !== view;
    for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", a.dataset.view === view);
  }

  async function route() {
    const [path, query] = location.hash.slice(1).split("?");
    const params = new URLSearchParams(query || "");
    const [view, arg] = (path || "map").split("/");
    try {
      if (view === "article" && arg) { show("article"); await showArticle(Number(arg), params.get("hl")); }
      else if (view === "search") { show("search"); await runSearch(params.get("q") || ""); }
      else if (view === "reconcile") { show("reconcile"); await runReconcile(params); }
      else {
        show("map");
        await ensureMap();
        if (params.get("place")) { $("timeline-place").value = params.get("place"); await drawTimeline(params.get("place")); }
      }
    } catch (err) {
      const out = { article: "article-out", search: "search-out", reconcile: "reconcile-out" }[view];
      if (out) $(out).replaceChildren(el("p", { class: "error" }, `Could not load: ${err.message}`));
    }
  }

  // -- map and time slider ------------------------------------------------------------------------
  let map = null, cluster = null, items = [], days = [];

  async function ensureMap() {
    if (map) { map.invalidateSize(); return; }
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: false })
      .setView([15, 20], 2);
    const topo = await (await fetch("/vendor/world-atlas/countries-110m.json")).json();
    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      style: { color: "#8a9aa9", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false,
    }).addTo(map);
    cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
    map.addLayer(cluster);
    const [events, figures] = await Promise.all([
      all("/api/events", { sort: "-id" }, 4000), all("/api/figures", { sort: "-id" }, 4000)]);
    items = [
      ...events.filter((e) => e.lat != null).map((e) => ({ kind: "event", key: e.type, day: e.date, row: e })),
      ...figures.filter((f) => f.lat != null && f.repeat_of == null)
        .map((f) => ({ kind: "figure", key: f.category, day: f.date || f.published, row: f })),
    ];
    days = [...new Set(items.map((i) => (i.day || "").slice(0, 10)).filter(Boolean))].sort();
    const slider = $("time");
    slider.max = String(Math.max(0, days.length - 1));
    slider.value = slider.max;
    slider.addEventListener("input", drawMarkers);
    $("layer").addEventListener("change", drawMarkers);
    drawMarkers();
  }

  function drawMarkers() {
    const layer = $("layer").value;
    const upTo = days[Number($("time").value)] || "9999";
    $("time-label").value = days.length ? upTo : "no dates";
    cluster.clearLayers();
    const shown = items.filter((i) => (layer === "both" || i.kind === layer.replace(/s$/, ""))
      && (!i.day || i.day.slice(0, 10) <= upTo));
    const markers = shown.map((i) => {
      const r = i.row;
      const m = L.circleMarker([r.lat, r.lon], {
        radius: 7, color: "#fff", weight: 1, fillColor: colour(i.key), fillOpacity: 0.9,
      });
      m.options.sitrepKind = i.kind;
      m.bindPopup(() => popup(i));
      m.on("click", () => { if (r.place) { $("timeline-place").value = r.place; drawTimeline(r.place); } });
      return m;
    });
    cluster.addLayers(markers);
    $("map-count").textContent = `${shown.length} ${layer === "both" ? "events and figures" : layer} on the map`;
    const keys = [...new Set(shown.map((i) => i.key))].sort();
    $("legend").replaceChildren(...keys.map((k) => {
      const s = el("span", {}, k);
      s.style.setProperty("--c", colour(k));
      return s;
    }));
  }

  function popup(item) {
    const r = item.row;
    const span = [r.start, r.end];
    if (item.kind === "event") {
      return el("div", { class: "popup", dataset: { kind: "event" } },
        el("strong", {}, r.subtype ? `${r.type}: ${r.subtype}` : r.type), el("br"),
        `${r.place || "?"} · ${r.date || "no date"}`, r.fatalities ? ` · ${r.fatalities} killed` : "", el("br"),
        el("em", {}, r.text || ""), el("br"), readerLink(r.article_id, span, "Read the article"));
    }
    return el("div", { class: "popup", dataset: { kind: "figure" } },
      el("strong", {}, `${r.category}: ${range(r.low, r.high)}`), el("br"),
      `${r.place || "?"} · ${r.date || r.published || "no date"} · ${r.modality}`, el("br"),
      `Source: ${r.source || "(unattributed)"}`, el("br"),
      readerLink(r.article_id, span, "Read the article"));
  }

  // -- timeline --------------------------------------------------------------------------------------
  let chart = null;
  async function drawTimeline(place) {
    const note = $("timeline-note");
    if (chart) { chart.destroy(); chart = null; }
    if (!place) { note.textContent = ""; return; }
    const rows = (await all("/api/figures", { place, sort: "date" }, 1000))
      .filter((f) => f.repeat_of == null && (f.high != null || f.low != null) && (f.date || f.published));
    if (!rows.length) { note.textContent = `No dated figures for ${place}.`; return; }
    note.textContent = `${rows.length} figure(s) for ${place}, by category (highest bound given).`;
    const cats = [...new Set(rows.map((f) => f.category))].sort();
    const xs = [...new Set(rows.map((f) => Date.parse((f.date || f.published).slice(0, 10)) / 1000))].sort((a, b) => a - b);
    const series = cats.map((c) => xs.map((x) => {
      const vals = rows.filter((f) => f.category === c && Date.parse((f.date || f.published).slice(0, 10)) / 1000 === x)
        .map((f) => Number(f.high ?? f.low));
      return vals.length ? Math.max(...vals) : null;
    }));
    chart = new uPlot({
      width: Math.max(320, $("chart").clientWidth - 10), height: 220,
      series: [{}, ...cats.map((c) => ({ label: c, stroke: colour(c), width: 2, spanGaps: true, points: { show: true, size: 7 } }))],
      scales: { x: { time: true } },
      axes: [{}, { size: 80, values: (u, vals) => vals.map((v) => Number(v).toLocaleString("en-US")) }],
    }, [xs, ...series], $("chart"));
  }

  // -- reconciliation ----------------------------------------------------------------------------------
  async function runReconcile(params) {
    for (const [id, key] of [["rec-place", "place"], ["rec-category", "category"], ["rec-period", "period"]]) {
      if (params.has(key)) $(id).value = params.get(key);
    }
    const out = $("reconcile-out");
    const data = await api("/api/figures/reconciled", {
      place: $("rec-place").value, category: $("rec-category").value, period: $("rec-period").value,
    });
    if (!data.groups.length) { out.replaceChildren(el("p", { class: "muted" }, "No figures match.")); return; }
    out.replaceChildren(...data.groups.map((g) => {
      const cons = g.conservative;
      return el("div", { class: "group" },
        el("h3", {}, `${g.place} (${g.country_code || "-"}) · ${g.category} · ${g.period}`),
        el("p", { class: "group-head" },
          `${g.estimates.length} estimate(s) from ${g.sources} source(s); spread `,
          g.spread ? range(g.spread[0], g.spread[1]) : "?", "; conservative ",
          cons ? `${fmt(cons.value)} (${cons.modality}, ${cons.source})` : "?", "; central ", fmt(g.central)),
        el("table", { class: "reconcile" },
          el("thead", {}, el("tr", {}, ["Source", "Low", "High", "Modality", "Date", "Article"].map((h) => el("th", {}, h)))),
          el("tbody", {}, g.estimates.map((e) => el("tr", {},
            el("td", {}, e.source), el("td", { class: "num" }, fmt(e.low)), el("td", { class: "num" }, fmt(e.high)),
            el("td", {}, e.modality || ""), el("td", {}, e.date || ""),
            el("td", {}, readerLink(e.article_id, [e.start, e.end], e.article || "article"),
              e.repeated_in && e.repeated_in.length ? ` (repeated in ${e.repeated_in.length} more)` : ""))))));
    }));
  }

  // -- search ---------------------------------------------------------------------------------------
  function marked(snippet, start, end) {
    // The API wraps matched words in two control characters; turn them into <mark> around text nodes.
    const parts = [];
    let inside = false;
    for (const piece of String(snippet || "").split(new RegExp(`(${start}|${end})`))) {
      if (piece === start) inside = true;
      else if (piece === end) inside = false;
      else if (piece) parts.push(inside ? el("mark", {}, piece) : document.createTextNode(piece));
    }
    return parts;
  }

  async function runSearch(q) {
    const out = $("search-out");
    $("search-box").value = q;
    if (!q.trim()) { out.replaceChildren(el("p", { class: "muted" }, "Type words to search for.")); return; }
    const data = await api("/api/search", { q, limit: 20 });
    const sections = [el("h2", {}, `Articles matching “${q}”`)];
    if (!data.articles.items.length) sections.push(el("p", { class: "muted" }, "No article matches."));
    for (const a of data.articles.items) {
      sections.push(el("div", { class: "result hit" }, readerLink(a.id, null, a.title || a.input_id),
        " ", el("span", { class: "muted" }, [a.outlet, a.published].filter(Boolean).join(" · ")),
        el("div", {}, marked(a.snippet, data.mark_start, data.mark_end))));
    }
    const facts = [["Figures", data.figures, (f) => [el("span", { class: "tag" }, f.category), `${range(f.low, f.high)} `,
                     f.place ? `in ${f.place} ` : "", `(${f.source || "unattributed"}): `, f.sentence || ""]],
                   ["Quotes", data.quotes, (q) => [el("span", { class: "tag" }, q.kind), `${q.speaker || "?"}: `, q.text]],
                   ["Events", data.events, (e) => [el("span", { class: "tag" }, e.subtype || e.type),
                     `${e.place || "?"} ${e.date || ""}: `, e.text || ""]]];
    for (const [title, rows, render] of facts) {
      if (!rows.length) continue;
      sections.push(el("h2", {}, title));
      for (const r of rows) {
        sections.push(el("div", { class: "result" }, render(r), " ",
          readerLink(r.article_id, null, r.article_title || "article")));
      }
    }
    out.replaceChildren(...sections);
  }

  // -- article reader -----------------------------------------------------------------------------------
  // Each highlight links to its entity across the store: a place to its timeline and reconciliation, an
  // actor or speaker to a search for the name, a figure to the reconciliation of its place and category.
  const toReconcile = (place, category) => `#reconcile?${new URLSearchParams({ place: place || "", category: category || "", period: "all" })}`;
  const toSearch = (q) => `#search?q=${encodeURIComponent(q)}`;
  const toTimeline = (place) => `#map?place=${encodeURIComponent(place)}`;

  function annotations(x) {
    const anns = [];
    (x.figures || []).forEach((f, i) => anns.push({ kind: "figure", i, start: f.start, end: f.end,
      label: `${f.category}: ${range(f.low, f.high)} · ${f.modality} · ${f.source || "unattributed"}${f.place ? " · " + f.place : ""}`,
      links: [["estimates for this place and category", toReconcile(f.place, f.category)]] }));
    (x.quotes || []).forEach((q, i) => anns.push({ kind: "quote", i, start: q.start, end: q.end,
      label: `${q.kind} quote · ${q.speaker || "unknown speaker"}${q.cue ? " · " + q.cue : ""}`,
      links: q.speaker ? [[`everything on ${q.speaker}`, toSearch(q.speaker)]] : [] }));
    (x.events || []).forEach((e, i) => anns.push({ kind: "event", i, start: e.start, end: e.end,
      label: `${e.subtype ? e.type + ": " + e.subtype : e.type} · ${e.place ? e.place.name : "?"} · ${e.date || "no date"}`,
      links: e.place ? [[`timeline of ${e.place.name}`, toTimeline(e.place.name)]] : [] }));
    (x.actors || []).forEach((a, i) => (a.mentions || []).forEach((m) => anns.push({ kind: "actor", i,
      start: m.start, end: m.end, label: `${a.name} (${a.kind || "actor"})`,
      links: [[`everything on ${a.name}`, toSearch(a.name)]] })));
    (x.places || []).forEach((p, i) => (p.mentions || []).forEach((m) => anns.push({ kind: "place", i,
      start: m.start, end: m.end, label: `${p.name}${p.country_code ? " (" + p.country_code + ")" : ""} · ${p.lat}, ${p.lon}`,
      links: [[`timeline of ${p.name}`, toTimeline(p.name)], [`estimates in ${p.name}`, toReconcile(p.name, "")]] })));
    return anns.filter((a) => Number.isInteger(a.start) && Number.isInteger(a.end) && a.end > a.start);
  }

  async function showArticle(id, hl) {
    const out = $("article-out"), side = $("article-side");
    const a = await api(`/api/articles/${id}`);
    const text = a.text || "";
    const anns = annotations(a.extraction || {});
    const cuts = new Set([0, text.length]);
    for (const n of anns) { cuts.add(Math.max(0, Math.min(text.length, n.start))); cuts.add(Math.max(0, Math.min(text.length, n.end))); }
    const bounds = [...cuts].sort((p, q) => p - q);
    const body = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const s = bounds[k], e = bounds[k + 1];
      const covering = anns.filter((n) => n.start <= s && e <= n.end);
      if (!covering.length) { body.push(document.createTextNode(text.slice(s, e))); continue; }
      // the narrowest annotation colours the piece; all of them are listed when it is clicked
      const top = covering.reduce((p, q) => (q.end - q.start < p.end - p.start ? q : p));
      body.push(el("mark", { class: top.kind, dataset: { start: String(s), end: String(e) },
        title: covering.map((n) => n.label).join("\n"), onclick: () => select(covering, s, e) }, text.slice(s, e)));
    }
    out.replaceChildren(el("h1", {}, a.title || a.input_id),
      el("p", { class: "muted" }, [a.outlet, a.published].filter(Boolean).join(" · "), " ", outLink(a.url, a.url ? "original" : "")),
      el("div", { class: "text" }, body));
    const x = a.extraction || {};
    const list = (title, rows, render) => (rows && rows.length ? [el("h3", {}, `${title} (${rows.length})`),
      el("ul", {}, rows.map((r) => el("li", {}, render(r))))] : []);
    side.replaceChildren(el("div", { id: "selected" }, el("p", { class: "muted" }, "Click a highlighted phrase.")),
      ...list("Figures", x.figures, (f) => focusLink(`${f.category} ${range(f.low, f.high)} (${f.source || "unattributed"})`, f.start, f.end)),
      ...list("Events", x.events, (e) => focusLink(e.subtype || e.type, e.start, e.end)),
      ...list("Quotes", x.quotes, (q) => focusLink(q.speaker || "unknown speaker", q.start, q.end)),
      ...list("Actors", x.actors, (r) => focusLink(r.name, r.mentions[0] && r.mentions[0].start, r.mentions[0] && r.mentions[0].end)),
      ...list("Places", x.places, (p) => focusLink(`${p.name} (${p.country_code || "-"})`, p.mentions[0] && p.mentions[0].start, p.mentions[0] && p.mentions[0].end)));
    if (hl) {
      const [s, e] = hl.split("-").map(Number);
      if (Number.isInteger(s) && Number.isInteger(e)) focus(s, e);
    }
  }

  function focusLink(label, start, end) {
    return el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); focus(start, end); } }, label);
  }

  function focus(start, end) {
    let first = null;
    for (const m of document.querySelectorAll("#article-out mark")) {
      const on = Number(m.dataset.start) >= start && Number(m.dataset.end) <= end;
      m.classList.toggle("focus", on);
      if (on && !first) first = m;
    }
    if (first) first.scrollIntoView({ block: "center" });
  }

  function select(covering, s, e) {
    focus(s, e);
    $("selected").replaceChildren(el("h3", {}, "Selected"),
      el("ul", {}, covering.map((n) => el("li", {}, el("span", { class: "tag" }, n.kind), n.label,
        (n.links || []).map(([text, href]) => [el("br"), el("a", { href, class: "entity" }, text)])))));
  }

  // -- wiring ---------------------------------------------------------------------------------------
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#search?q=${encodeURIComponent($("search-box").value)}`;
  });
  $("reconcile-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams({ place: $("rec-place").value, category: $("rec-category").value, period: $("rec-period").value });
    location.hash = `#reconcile?${p}`;
  });
  $("timeline-place").addEventListener("change", (ev) => drawTimeline(ev.target.value));
  window.addEventListener("hashchange", route);
  route();
})();
