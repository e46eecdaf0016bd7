// The HTML report's script (plain ES2017, no template literals so that it can
// live in this String.raw). It reads the embedded run JSON and renders case
// rows one page at a time and a case's details only when opened, so that a
// report of thousands of cases stays fast. A case's details start with a copy
// of its evidence article, which is markup in the page (what prints and what
// a browser without JavaScript shows): the report says it one way only.
// Every text goes through textContent: the data is never parsed as markup.
export const CLIENT = String.raw`
(function () {
  "use strict";
  var run = JSON.parse(document.getElementById("run-data").textContent);
  var PAGE = 100;
  var STATUSES = ["passed", "failed", "error", "skipped", "expected-failure", "interrupted"];
  var LABELS = { passed: "passed", failed: "failed", error: "error", skipped: "skipped",
    "expected-failure": "expected failure", interrupted: "interrupted" };
  var rows = [];
  run.suites.forEach(function (s, si) {
    s.cases.forEach(function (c, ci) {
      var hay = [c.name, c.description || "", c.suite, c.message || "", c.id, c.peer, (c.tags || []).join(" "),
        c.matrix ? JSON.stringify(c.matrix) : ""].join(" ").toLowerCase();
      rows.push({ c: c, si: si, ci: ci, hay: hay });
    });
  });
  var state = { statuses: {}, suite: "", tag: "", q: "", page: 0, open: {} };
  STATUSES.forEach(function (s) { state.statuses[s] = true; });

  function $(id) { return document.getElementById(id); }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === "text") el.textContent = String(v);
      else if (k === "class") el.className = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    });
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, kid) {
    if (kid === undefined || kid === null || kid === false) return;
    if (Array.isArray(kid)) kid.forEach(function (k) { add(el, k); });
    else el.appendChild(typeof kid === "object" ? kid : document.createTextNode(String(kid)));
  }
  function ms(v) {
    if (v === undefined || v === null) return "";
    return v < 1000 ? (Math.round(v * 10) / 10) + " ms" : (v / 1000).toFixed(2) + " s";
  }
  function show(v) { return v === undefined ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v); }
  function badge(status) { return h("span", { class: "badge s-" + status, text: LABELS[status] || status }); }
  function kv(pairs) {
    var dl = h("dl", { class: "kv" });
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") return;
      add(dl, [h("dt", { text: p[0] }), h("dd", null, p[1])]);
    });
    return dl;
  }
  function section(title, body, wide) {
    return h("div", { class: "section" + (wide ? " wide" : "") }, title ? h("h3", { text: title }) : null, body);
  }
  function table(head, body, cls) {
    return h("div", { class: "scroll" }, h("table", { class: cls },
      h("thead", null, h("tr", null, head.map(function (t) { return h("th", { text: t }); }))),
      h("tbody", null, body.map(function (r) {
        return h("tr", null, r.map(function (cell) { return h("td", null, cell); }));
      }))));
  }
  function yesNo(v) { return v === undefined ? undefined : v ? "yes" : "no"; }
  function hex(n) { return n === undefined ? "" : "0x" + ("0000" + n.toString(16).toUpperCase()).slice(-4); }
  function mono(text) { return h("span", { class: "mono", text: text }); }

  function matches(r) {
    var c = r.c;
    if (!state.statuses[c.status]) return false;
    if (state.suite !== "" && String(r.si) !== state.suite) return false;
    if (state.tag && (c.tags || []).indexOf(state.tag) < 0) return false;
    if (state.q && r.hay.indexOf(state.q) < 0) return false;
    return true;
  }

  function caseRow(r) {
    var c = r.c, open = !!state.open[c.id];
    var label = [c.name];
    if (c.matrix) Object.keys(c.matrix).forEach(function (k) {
      label.push(" ", h("span", { class: "tag matrix", text: k + "=" + c.matrix[k] }));
    });
    var tags = (c.tags || []).map(function (t) { return h("span", { class: "tag", text: t }); });
    var tr = h("tr", { class: "case s-" + c.status, "data-id": c.id, "data-status": c.status },
      h("td", null, h("button", { class: "toggle", "aria-expanded": open ? "true" : "false",
        "aria-label": "details", text: open ? "▾" : "▸" }), badge(c.status)),
      h("td", { class: "name" }, label, h("div", null, tags),
        c.description && c.description.trim() ? h("div", { class: "description", text: c.description.trim() }) : null),
      h("td", { text: c.suite }),
      h("td", { text: c.outcome ? c.outcome.stage : "–" }),
      h("td", { class: "num", text: ms(c.durationMs) }),
      h("td", { class: "msg", text: c.message || "" }));
    tr.addEventListener("click", function () {
      if (state.open[c.id]) delete state.open[c.id]; else state.open[c.id] = true;
      render();
    });
    return tr;
  }

  // The last stage is red only when the case did not pass: a refusal the case expected is not a fault.
  function timeline(o, bad) {
    var end = Math.max(o.durationMs || 0, 1);
    o.timeline.forEach(function (t) { end = Math.max(end, t.startMs + t.durationMs); });
    return h("div", { class: "timeline" }, o.timeline.map(function (t, i) {
      var last = i === o.timeline.length - 1;
      return h("div", { class: "stage" + (last && bad ? " s-failed" : "") },
        h("span", { text: t.stage }),
        h("div", { class: "track" }, h("div", { class: "fill" + (last ? " last" : ""),
          style: "left:" + (100 * t.startMs / end).toFixed(2) + "%;width:" + (100 * t.durationMs / end).toFixed(2) + "%" })),
        h("span", { class: "mono", text: ms(t.durationMs) }));
    }), h("div", { class: "stage" }, h("b", { text: "total" }), h("span"), h("b", { class: "mono", text: ms(o.durationMs) })));
  }

  function cert(c, i, n) {
    var now = Date.parse(run.startedAt), expired = Date.parse(c.notAfter) < now, early = Date.parse(c.notBefore) > now;
    var role = i === 0 ? "leaf" : i === n - 1 && c.subject === c.issuer ? "root" : "intermediate";
    return h("div", { class: "cert" }, h("h4", { text: "#" + i + " " + role + ": " + c.subject }), kv([
      ["issuer", c.issuer], ["serial", mono(c.serial)],
      ["valid", h("span", null, c.notBefore + " → " + c.notAfter,
        expired ? h("span", { class: "bad", text: "  expired" }) : early ? h("span", { class: "bad", text: "  not yet valid" }) : "")],
      ["key", c.key], ["signature", c.signatureAlgorithm], ["SAN", (c.san || []).join(", ")],
      ["SHA-1", mono(c.sha1)], ["SHA-256", mono(c.sha256)]]));
  }

  // A rejection or abort is the association's result, shown in the evidence; only a local failure is an error here.
  function association(a) {
    var local = a.result === "error" || a.result === "timeout";
    return section("Association", [kv([["calling AE", a.callingAe], ["called AE", a.calledAe],
      ["peer max PDU", a.peerMaxPduLength],
      ["peer implementation", [a.peerImplementationClassUid, a.peerImplementationVersionName].filter(Boolean).join(" ")],
      ["released", yesNo(a.released)], ["local error", local ? a.error : undefined]]),
      a.presentationContexts && a.presentationContexts.length
        ? table(["id", "abstract syntax", "transfer syntax", "result"], a.presentationContexts.map(function (p) {
          return [String(p.id), mono(p.abstractSyntax), mono(p.transferSyntax || ""), p.result];
        })) : null]);
  }

  function extras(c) {
    var o = c.outcome, parts = [];
    if (o && o.timeline && o.timeline.length) {
      parts.push(section("Timeline", timeline(o, c.status === "failed" || c.status === "error")));
    }
    var v = o && o.tls && o.tls.verification;
    if (v && v.details.length) {
      parts.push(section("Our verification of the peer", h("ul", null, v.details.map(function (d) { return h("li", { text: d }); }))));
    }
    var peer = o && o.tls && o.tls.peer;
    if (peer) {
      var chain = peer.chain && peer.chain.length ? peer.chain : [peer];
      parts.push(section("Peer certificate chain", chain.map(function (x, i) { return cert(x, i, chain.length); }), true));
    }
    if (o && o.association && o.association.result !== "not-requested") parts.push(association(o.association));
    if (o && o.dimse && o.dimse.operations.length) {
      parts.push(section("DIMSE", table(["command", "file", "status", "meaning", "category", "duration"],
        o.dimse.operations.map(function (op) {
          return [op.command, op.file ? mono(op.file) : "", mono(hex(op.status)), op.statusName || "",
            h("span", { class: op.category === "success" ? "ok" : "bad", text: op.category }), ms(op.durationMs)];
        }), "dimse")));
    }
    if (o && o.pdus && o.pdus.length) {
      parts.push(section("PDU exchange", table(["at", "", "type", "length", "decoded fields"],
        o.pdus.map(function (p) {
          var fields = Object.keys(p.fields || {}).map(function (k) { return k + ": " + show(p.fields[k]); }).join("\n");
          return [mono(ms(p.atMs)),
            h("span", { class: "dir-" + p.direction, text: p.direction === "sent" ? "→ sent" : "← received" }),
            h("b", { text: p.type }), mono(String(p.length)), fields ? h("pre", { text: fields }) : ""];
        }), "pdus"), true));
    }
    if (o && o.pdusNotListed) {
      parts.push(section("PDUs not listed", h("p", { text: o.pdusNotListed + " PDUs between the first " +
        "1,000 and the last 100 of this conversation are not listed (each is counted, none is kept)." })));
    }
    if (o && o.trimmed) {
      parts.push(section("Details not kept", h("p", { text: "To keep a long run's memory bounded, the " +
        o.trimmed.pdus + " PDU traces, " + o.trimmed.records + " wire records and the TLS hellos and certificates " +
        "of this case were dropped once it ended (every detail is kept for the first 1,000 cases and the first 1,000 that did not pass)." })));
    }
    if (c.settings && Object.keys(c.settings).length) {
      parts.push(section("Settings", h("pre", { text: JSON.stringify(c.settings, null, 2) })));
    }
    return parts;
  }

  function detail(r) {
    var evidence = $("case-" + r.si + "-" + r.ci), parts = [];
    if (evidence) {
      var copy = evidence.cloneNode(true);
      copy.removeAttribute("id");
      parts.push(section(null, copy, true));
    }
    return h("div", { class: "sections" }, parts, extras(r.c));
  }

  function render() {
    var list = rows.filter(matches);
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, page = list.slice(from, from + PAGE);
    var body = $("rows");
    body.textContent = "";
    if (!page.length) add(body, h("tr", null, h("td", { colspan: 6, class: "empty", text: "No case matches the filters." })));
    page.forEach(function (r) {
      body.appendChild(caseRow(r));
      if (state.open[r.c.id]) body.appendChild(h("tr", { class: "detail" }, h("td", { colspan: 6 }, detail(r))));
    });
    $("shown").textContent = list.length
      ? "showing " + (from + 1) + "–" + (from + page.length) + " of " + list.length + (list.length < rows.length ? " (filtered from " + rows.length + ")" : "")
      : "0 of " + rows.length;
    $("page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }

  function changed() { state.page = 0; render(); }
  var statusBox = $("status-filter");
  STATUSES.forEach(function (s) {
    var n = rows.filter(function (r) { return r.c.status === s; }).length;
    if (!n) return;
    add(statusBox, h("label", { class: "chip s-" + s },
      h("input", { type: "checkbox", checked: true, "data-status": s, onchange: function (e) {
        state.statuses[s] = e.target.checked; changed();
      } }), LABELS[s] + " (" + n + ")"));
  });
  var suiteSel = $("suite-filter");
  run.suites.forEach(function (s, i) { add(suiteSel, h("option", { value: String(i), text: s.name + " (" + s.cases.length + ")" })); });
  suiteSel.addEventListener("change", function () { state.suite = suiteSel.value; changed(); });
  var tags = {};
  rows.forEach(function (r) { (r.c.tags || []).forEach(function (t) { tags[t] = (tags[t] || 0) + 1; }); });
  var tagSel = $("tag-filter");
  Object.keys(tags).sort().forEach(function (t) { add(tagSel, h("option", { value: t, text: t + " (" + tags[t] + ")" })); });
  tagSel.addEventListener("change", function () { state.tag = tagSel.value; changed(); });
  var timer;
  $("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value.trim().toLowerCase(); changed(); }, 120);
  });
  $("prev").addEventListener("click", function () { state.page--; render(); });
  $("next").addEventListener("click", function () { state.page++; render(); });
  $("expand").addEventListener("click", function () {
    var list = rows.filter(matches).slice(state.page * PAGE, state.page * PAGE + PAGE);
    list.forEach(function (r) { state.open[r.c.id] = true; }); render();
  });
  $("collapse").addEventListener("click", function () { state.open = {}; render(); });
  render();
})();
`;
