"""The chat's browser script: one click from a [n] marker to its passage (the Sources panel scrolls itself) and to
the cited page in the viewer, centred on the quote; page turning and zoom; Copy; example and follow-up questions;
the question length counter; and on a phone, a way back from the evidence to the answer."""

import json

from assistant.contract import phrases

# Registered by the viewer component (its js_on_load): the `server` object calls the viewer's Python function.
VIEWER_ON_LOAD = "window.qaViewer = {server: server, props: props, element: element};"

_SCRIPT = r"""
(function () {
  if (window.__qaClient) return;
  window.__qaClient = true;
  var TEXT = __PHRASES__;
  var lastMarker = null;

  function frames(n) {
    return new Promise(function (done) {
      (function next(left) { left ? requestAnimationFrame(function () { next(left - 1); }) : done(); })(n);
    });
  }
  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }
  function scrollWithin(panel, el) {
    var p = panel.getBoundingClientRect(), r = el.getBoundingClientRect();
    panel.scrollTop += r.top - p.top - Math.max(8, (panel.clientHeight - Math.min(r.height, panel.clientHeight)) / 3);
    if (panel.scrollWidth > panel.clientWidth) panel.scrollLeft += r.left - p.left - 8;
  }
  // Scroll a panel so the middle of the given elements (the highlight boxes) sits in the middle of its view.
  function centreOn(panel, els) {
    if (!panel || !els.length) return;
    var p = panel.getBoundingClientRect(), box = null;
    els.forEach(function (el) {
      var r = el.getBoundingClientRect();
      box = box ? {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                   right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)}
                : {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    });
    panel.scrollLeft += (box.left + box.right) / 2 - (p.left + p.width / 2);
    panel.scrollTop += (box.top + box.bottom) / 2 - (p.top + p.height / 2);
  }

  async function showEvidence(ref, jump) {
    var viewer = window.qaViewer, box = document.getElementById("viewer");
    if (!viewer || !box) return;
    box.classList.add("loading");
    var html;
    try { html = await viewer.server.evidence(ref); } finally { box.classList.remove("loading"); }
    viewer.props.value = html;
    await frames(2);
    var shown = box.querySelector(".viewer");
    if (!shown) return;
    var img = shown.querySelector("img.page-image");
    if (img && img.decode) { try { await img.decode(); } catch (e) { /* shown anyway */ } }
    centreOn(shown.querySelector(".page-scroll"), shown.querySelectorAll(".page-frame .hl"));
    centreOn(shown.querySelector(".page-focus"), shown.querySelectorAll(".page-focus .hl"));
    var spot = shown.querySelector(".section-text tr.marked, .section-text mark");
    if (spot) scrollWithin(shown.querySelector(".section-scroll"), spot);
    if (!jump) return;
    var top = shown.getBoundingClientRect().top;
    if (narrow()) {
      shown.scrollIntoView({block: "start"});
      backButton();
      document.body.classList.add("cite-jumped");
    } else if (top < 0 || top > window.innerHeight * 0.6) {
      shown.scrollIntoView({block: "nearest"});
    }
  }

  function openCitation(link) {
    var href = link.getAttribute("href") || "";
    var target = document.getElementById(href.slice(1));
    if (!target) return;
    var group = target.closest("details");
    if (group) group.open = true;
    document.querySelectorAll(".passage.active").forEach(function (el) { el.classList.remove("active"); });
    target.classList.add("active");
    var panel = document.getElementById("sources");
    if (panel) scrollWithin(panel, target.querySelector("mark, tr.marked") || target);
    document.querySelectorAll("a.cite.clicked").forEach(function (el) { el.classList.remove("clicked"); });
    link.classList.add("clicked");
    lastMarker = link.closest("#chat") ? href : null;
    var d = target.dataset;
    showEvidence({doc: d.doc, page: d.page, cited: d.page, quote: d.quote, section: d.section, n: d.n,
                  title: d.title, columns: d.columns}, true);
  }

  function backButton() {
    if (document.getElementById("back-to-answer")) return;
    var back = document.createElement("button");
    back.id = "back-to-answer";
    back.type = "button";
    back.textContent = TEXT.back;
    document.body.appendChild(back);
  }

  function backToAnswer() {
    document.body.classList.remove("cite-jumped");
    var marker = lastMarker && document.querySelector('#chat a.cite[href="' + lastMarker + '"]');
    (marker || document.getElementById("chat")).scrollIntoView({block: "center"});
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }

  function ask(question) {
    var box = document.querySelector("#question textarea");
    if (!box) return;
    box.value = question;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    setTimeout(function () { document.getElementById("ask-button").click(); }, 50);
  }

  function updateCounter() {
    var box = document.querySelector("#question textarea");
    var counter = document.querySelector("#question-counter [data-limit]");
    if (!box || !counter) return;
    var limit = parseInt(counter.dataset.limit, 10), count = box.value.trim().length;
    var text = TEXT.counter.replace("{count}", count.toLocaleString()).replace("{limit}", limit.toLocaleString());
    if (counter.textContent !== text) counter.textContent = text;
    counter.classList.toggle("over", count > limit);
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target : event.target.parentElement;
    var link = el.closest("a.cite");
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      openCitation(link);
      return;
    }
    var viewer = el.closest(".viewer");
    var go = el.closest(".viewer-go");
    if (go && viewer) {
      showEvidence(Object.assign({}, viewer.dataset, {page: go.dataset.go}), false);
    } else if (el.closest(".viewer-zoom") && viewer) {
      var frame = viewer.querySelector(".page-frame"), zoomed = !frame.classList.contains("zoomed");
      frame.classList.toggle("zoomed", zoomed);
      el.closest(".viewer-zoom").textContent = zoomed ? TEXT.zoomOut : TEXT.zoomIn;
      centreOn(viewer.querySelector(".page-scroll"), frame.querySelectorAll(".hl"));
    } else if (el.closest(".viewer-close") && window.qaViewer) {
      window.qaViewer.props.value = "";
      document.body.classList.remove("cite-jumped");
    } else if (el.closest("#back-to-answer")) {
      backToAnswer();
    } else if (el.closest("button.copy-answer")) {
      var button = el.closest("button.copy-answer");
      event.preventDefault();
      event.stopPropagation();
      copyText(button.value).then(function () {
        button.textContent = TEXT.copied;
        setTimeout(function () { button.textContent = TEXT.copy; }, 1500);
      });
    } else if (el.closest("button.suggestion, button.example")) {
      event.preventDefault();
      event.stopPropagation();
      ask(el.closest("button.suggestion, button.example").textContent);
    }
  }, true);

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#question")) updateCounter();
  }, true);
  setInterval(updateCounter, 500);  // the chat clears the box without an input event
})();
"""

HEAD = (
    "<script>"
    + _SCRIPT.replace(
        "__PHRASES__",
        json.dumps(
            {
                "counter": phrases.UI_QUESTION_COUNTER,
                "copy": phrases.UI_COPY,
                "copied": phrases.UI_COPIED,
                "back": phrases.UI_BACK_TO_ANSWER,
                "zoomIn": phrases.UI_ZOOM_IN,
                "zoomOut": phrases.UI_ZOOM_OUT,
            }
        ),
    )
    + "</script>"
)
