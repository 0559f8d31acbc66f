// The write token of the corrections forms: kept in this tab's sessionStorage (gone when
// the tab closes, never sent but in a form the user submits), so one typing serves every
// form of the session. Not a cookie: a page on another site cannot post with it.
(function () {
  "use strict";
  var KEY = "claimledger-write-token";
  var store = null;
  try {
    store = window.sessionStorage;
  } catch (e) {
    store = null;
  }
  if (!store) {
    return;
  }
  var saved = store.getItem(KEY) || "";
  var reviewer = store.getItem(KEY + "-reviewer") || "";
  document.querySelectorAll('form.correction input[name="token"]').forEach(function (input) {
    if (saved && !input.value) {
      input.value = saved;
    }
  });
  document.querySelectorAll('form.correction input[name="reviewer"]').forEach(function (input) {
    if (reviewer && !input.value) {
      input.value = reviewer;
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.classList || !form.classList.contains("correction")) {
      return;
    }
    var token = form.querySelector('input[name="token"]');
    var who = form.querySelector('input[name="reviewer"]');
    if (token && token.value) {
      store.setItem(KEY, token.value);
    }
    if (who && who.value) {
      store.setItem(KEY + "-reviewer", who.value);
    }
  });
})();

// The article view's attribution cards: hovering, focusing or clicking a highlight shows
// the card of its attribution beside it. The cards are in the page already (listed below
// the text); this only copies one into a floating box. No text is ever parsed as HTML.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  var popover = document.getElementById("card-popover");
  if (!text || !popover) {
    return;
  }
  var pinned = null;
  var shown = null;
  var hideTimer = null;

  function marksOf(id) {
    return text.querySelectorAll('mark[data-attribution="' + CSS.escape(id) + '"]');
  }

  function setActive(id, on) {
    marksOf(id).forEach(function (m) { m.classList.toggle("active", on); });
  }

  function show(mark) {
    var id = mark.getAttribute("data-attribution");
    var card = document.getElementById("attribution-" + id);
    if (!card) {
      return;
    }
    clearTimeout(hideTimer);
    if (shown !== id) {
      if (shown) {
        setActive(shown, false);
      }
      var copy = card.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      popover.replaceChildren(copy);
      shown = id;
      setActive(id, true);
    }
    popover.hidden = false;
    var box = mark.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
    popover.style.left = Math.max(8, left) + window.scrollX + "px";
    popover.style.top = box.bottom + window.scrollY + 6 + "px";
  }

  function hide() {
    if (pinned) {
      return;
    }
    popover.hidden = true;
    if (shown) {
      setActive(shown, false);
    }
    shown = null;
  }

  function laterHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function markFrom(event) {
    var target = event.target;
    return target && target.closest ? target.closest("mark[data-attribution]") : null;
  }

  text.addEventListener("mouseover", function (event) {
    var mark = markFrom(event);
    if (mark && !pinned) {
      show(mark);
    }
  });
  text.addEventListener("mouseout", function (event) {
    if (markFrom(event)) {
      laterHide();
    }
  });
  text.addEventListener("focusin", function (event) {
    var mark = markFrom(event);
    if (mark) {
      pinned = null;
      show(mark);
    }
  });
  text.addEventListener("focusout", function (event) {
    if (!popover.contains(event.relatedTarget)) {
      laterHide();
    }
  });
  text.addEventListener("click", function (event) {
    var mark = markFrom(event);
    if (!mark) {
      return;
    }
    var id = mark.getAttribute("data-attribution");
    if (pinned === id) {
      pinned = null;
      hide();
    } else {
      pinned = null;
      show(mark);
      pinned = id;
    }
  });
  text.addEventListener("keydown", function (event) {
    var mark = markFrom(event);
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      mark.click();
    }
  });
  popover.addEventListener("mouseover", function () { clearTimeout(hideTimer); });
  popover.addEventListener("mouseout", laterHide);
  popover.addEventListener("focusout", function (event) {
    if (!popover.contains(event.relatedTarget)) {
      laterHide();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !popover.hidden) {
      pinned = null;
      hide();
    }
  });
  document.addEventListener("click", function (event) {
    if (pinned && !text.contains(event.target) && !popover.contains(event.target)) {
      pinned = null;
      hide();
    }
  });
})();
