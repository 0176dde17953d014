/* voc theme browser: table sorting and filtering, charts, quote search and pagination.
   No network access, no inline handlers, no innerHTML with data: text goes in via textContent. */
(function () {
  "use strict";

  function readData() {
    var el = document.getElementById("voc-data");
    if (!el) return {};
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return {};
    }
  }

  function norm(s) {
    return String(s || "").normalize("NFKC").toLowerCase();
  }

  var numberFormat = new Intl.NumberFormat("ja-JP");

  /* -- charts ------------------------------------------------------------------------------- */
  function drawCharts(figures) {
    Object.keys(figures || {}).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) return;
      if (typeof window.Plotly === "undefined") {
        el.textContent = "グラフを表示できません（assets/plotly.min.js が見つかりません）。";
        el.classList.add("missing");
        return;
      }
      var fig = figures[id];
      window.Plotly.newPlot(el, fig.data, fig.layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
        toImageButtonOptions: { format: "png", filename: id },
      });
    });
  }

  /* -- theme table: sort and filter ---------------------------------------------------------- */
  function sortTable(table, col, type, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-value");
      var y = b.cells[col].getAttribute("data-value");
      if (type === "num") {
        var fx = x === "" || x === null ? NaN : parseFloat(x);
        var fy = y === "" || y === null ? NaN : parseFloat(y);
        if (isNaN(fx) && isNaN(fy)) return 0;
        if (isNaN(fx)) return 1; // empty values last, whatever the direction
        if (isNaN(fy)) return -1;
        return dir * (fx - fy);
      }
      return dir * String(x).localeCompare(String(y), "ja");
    });
    rows.forEach(function (r) {
      body.appendChild(r);
    });
  }

  function initThemeTable() {
    var table = document.getElementById("theme-table");
    if (!table) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "sort";
      while (th.firstChild) btn.appendChild(th.firstChild);
      th.appendChild(btn);
      th.setAttribute("aria-sort", "none");
      btn.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var type = th.getAttribute("data-type") || "text";
        var dir;
        if (current === "none") dir = type === "num" ? -1 : 1;
        else dir = current === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) {
          h.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        sortTable(table, col, type, dir);
      });
    });

    var filters = document.getElementById("theme-filters");
    var input = document.getElementById("theme-filter");
    var emerging = document.getElementById("only-emerging");
    var fresh = document.getElementById("only-new");
    var count = document.getElementById("theme-count");
    var none = document.getElementById("no-match");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (r) {
      r._search = norm(r.getAttribute("data-search"));
      r._subs = r.querySelector("details.subs");
      r._subItems = r._subs
        ? Array.prototype.map.call(r._subs.querySelectorAll("li[data-search]"), function (li) {
            return { li: li, search: norm(li.getAttribute("data-search")) };
          })
        : [];
    });
    /* a filter word that names a sub-theme opens that theme's sub-theme list and marks the match;
       a list opened this way closes again when the filter no longer matches it */
    function markSubthemes(r, terms) {
      if (!r._subs) return;
      var any = false;
      r._subItems.forEach(function (item) {
        var hit =
          terms.length > 0 &&
          terms.every(function (w) {
            return item.search.indexOf(w) >= 0;
          });
        item.li.classList.toggle("hit", hit);
        if (hit) any = true;
      });
      if (any && !r._subs.open) {
        r._subs.open = true;
        r._subs._auto = true;
      } else if (!any && r._subs._auto) {
        r._subs.open = false;
        r._subs._auto = false;
      }
    }
    function apply() {
      var q = norm(input.value).trim();
      var terms = q ? q.split(/\s+/) : [];
      var shown = 0;
      rows.forEach(function (r) {
        var ok =
          terms.every(function (w) {
            return r._search.indexOf(w) >= 0;
          }) &&
          (!emerging.checked || r.getAttribute("data-emerging") === "1") &&
          (!fresh.checked || r.getAttribute("data-new") === "1");
        r.hidden = !ok;
        if (ok) shown += 1;
        markSubthemes(r, ok ? terms : []);
      });
      count.textContent = shown + " / " + rows.length + " テーマ";
      none.hidden = shown > 0;
    }
    [input, emerging, fresh].forEach(function (el) {
      el.addEventListener("input", apply);
      el.addEventListener("change", apply);
    });
    filters.hidden = false;
    apply();
  }

  /* -- theme page: segments "more" ------------------------------------------------------------ */
  function initSegments() {
    var btn = document.getElementById("segment-more");
    if (!btn) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      document.querySelectorAll("#segment-table tr.more").forEach(function (tr) {
        tr.hidden = false;
      });
      btn.hidden = true;
    });
  }

  /* -- theme page: quotes ------------------------------------------------------------------- */
  var PAGE_SIZE = 50;

  function initQuotes(quotes) {
    var body = document.getElementById("quote-body");
    if (!body || !quotes) return;
    var search = document.getElementById("quote-search");
    var outcome = document.getElementById("quote-outcome");
    var count = document.getElementById("quote-count");
    var pager = document.getElementById("quote-pager");
    var pageLabel = document.getElementById("quote-page");
    var prev = document.getElementById("quote-prev");
    var next = document.getElementById("quote-next");
    var order = document.getElementById("quote-order");
    quotes.forEach(function (q, i) {
      q._n = norm(q.t + " " + q.s);
      q._i = i;
    });
    var matched = quotes;
    var page = 0;

    function cell(tr, text, cls) {
      var td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.appendChild(td);
      return td;
    }

    /* a statement with its note (q.b before it, q.a after it, q.c its column): the note as text,
       the statement in a <mark>; a quote without a note: its text alone */
    function said(td, q) {
      if (q.b === undefined && q.a === undefined && !q.c) {
        td.textContent = q.t;
        return;
      }
      var mark = document.createElement("mark");
      mark.textContent = q.t;
      if (q.c) mark.title = "列 " + q.c;
      td.appendChild(document.createTextNode(q.b || ""));
      td.appendChild(mark);
      td.appendChild(document.createTextNode(q.a || ""));
    }

    function render() {
      var pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
      page = Math.min(page, pages - 1);
      var start = page * PAGE_SIZE;
      var slice = matched.slice(start, start + PAGE_SIZE);
      var frag = document.createDocumentFragment();
      slice.forEach(function (q) {
        var tr = document.createElement("tr");
        cell(tr, q.d || "—", "date");
        said(cell(tr, "", "text"), q);
        cell(tr, q.s || "—", "seg");
        var o = cell(tr, q.o || "—", "outcome");
        // q.w: the outcome as voc read it (Closed Won, 成約 … → won); older pages only have q.o
        if (q.w === "won" || (!q.w && q.o === "受注")) o.classList.add("won");
        else if (q.w === "lost" || (!q.w && q.o === "失注")) o.classList.add("lost");
        frag.appendChild(tr);
      });
      body.replaceChildren(frag);
      count.textContent =
        matched.length === 0
          ? "該当する声はありません"
          : numberFormat.format(matched.length) +
            " 件中 " +
            numberFormat.format(start + 1) +
            "–" +
            numberFormat.format(start + slice.length) +
            " 件を表示";
      pager.hidden = pages <= 1;
      pageLabel.textContent = page + 1 + " / " + pages + " ページ";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    function apply() {
      var terms = norm(search.value).trim();
      terms = terms ? terms.split(/\s+/) : [];
      var o = outcome ? outcome.value : "";
      matched = quotes.filter(function (q) {
        return (
          (!o || q.o === o) &&
          terms.every(function (w) {
            return q._n.indexOf(w) >= 0;
          })
        );
      });
      var how = order ? order.value : "rank";
      if (how !== "rank") {
        var sign = how === "new" ? -1 : 1;
        matched.sort(function (a, b) {
          if (a.d === b.d) return a._i - b._i;
          if (!a.d) return 1; // undated last
          if (!b.d) return -1;
          return sign * (a.d < b.d ? -1 : 1);
        });
      }
      page = 0;
      render();
    }

    search.addEventListener("input", apply);
    if (outcome) outcome.addEventListener("change", apply);
    if (order) order.addEventListener("change", apply);
    prev.addEventListener("click", function () {
      page -= 1;
      render();
    });
    next.addEventListener("click", function () {
      page += 1;
      render();
    });
    document.getElementById("quote-filters").hidden = false;
    apply();
  }

  function init() {
    var data = readData();
    initThemeTable();
    initSegments();
    initQuotes(data.quotes);
    drawCharts(data.figures);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
