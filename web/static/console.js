// The support console: the handoff queue, a conversation's transcript and context, the agent's actions
// (take over, reply, hand back, close) and the analytics charts. Plain ES2020, no framework; Chart.js is
// loaded before this file as the global `Chart`. Live updates come from GET /console/api/stream (SSE).
(function () {
  "use strict";

  var API = "/console/api";
  var LANGUAGES = { en: "English", zh: "Chinese", ru: "Russian", ar: "Arabic" };
  var CHANNELS = { web: "Web", telegram: "Telegram", whatsapp: "WhatsApp", rest: "REST" };
  var REASONS = {
    buyer_request: "Buyer asked for a person",
    repeated_fallback: "Bot did not understand",
    form_trouble: "Trouble with a form",
    dispute_escalation: "Dispute escalation",
    backend_failure: "Backend failure",
    agent_initiated: "Taken over by an agent"
  };
  var SHORT_REASONS = {
    buyer_request: "Buyer asked", repeated_fallback: "Not understood", form_trouble: "Form trouble",
    dispute_escalation: "Dispute", backend_failure: "Backend failure", agent_initiated: "Agent took over"
  };
  var STATUS_TAGS = {
    waiting: ["Waiting", "tag-warn"], active: ["With an agent", "tag-agent"],
    closed: ["Closed", ""], bot: ["Bot", ""]
  };
  var LOW_CONFIDENCE = 0.5;
  var PALETTE = ["#2f5d8a", "#6a9fd4", "#c17c2e", "#2e7d4f", "#b3261e", "#5b3f8c", "#3d9a9a", "#8a96a3",
    "#d4a017", "#a05a8c"];
  var STORE = window.sessionStorage;

  // ----------------------------------------------------------------------------------------------- helpers

  // h("div", {class: "x", dataset: {a: 1}, text: "..."}, child, ...): builds an element; strings become text.
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === "class") { el.className = value; }
        else if (key === "text") { el.textContent = value; }
        else if (key === "dataset") { Object.assign(el.dataset, value); }
        else if (key.slice(0, 2) === "on") { el.addEventListener(key.slice(2), value); }
        else { el.setAttribute(key, value === true ? "" : String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(el, arguments[i]); }
    return el;
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function $(id) { return document.getElementById(id); }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  // Waiting time: mm:ss under an hour, h:mm after.
  function formatDuration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    if (seconds < 3600) { return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60); }
    return Math.floor(seconds / 3600) + ":" + pad(Math.floor((seconds % 3600) / 60)) + " h";
  }

  function formatAge(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) { return "just now"; }
    if (s < 3600) { return Math.floor(s / 60) + " min ago"; }
    if (s < 86400) { return Math.floor(s / 3600) + " h ago"; }
    return Math.floor(s / 86400) + " d ago";
  }

  var TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  var DATE_TIME = new Intl.DateTimeFormat(undefined, {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"
  });
  var DAY = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
  var CHART_DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

  function parseTime(iso) {
    if (!iso) { return null; }
    var date = new Date(iso);
    return isNaN(date.getTime()) ? null : date;
  }

  function formatTime(iso) { var d = parseTime(iso); return d ? TIME.format(d) : ""; }
  function formatDateTime(iso) { var d = parseTime(iso); return d ? DATE_TIME.format(d) : (iso || ""); }

  function formatChartDay(day) {
    var parts = String(day).split("-").map(Number);
    if (parts.length !== 3 || parts.some(isNaN)) { return String(day); }
    return CHART_DAY.format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
  }

  function percent(part, whole) {
    if (!whole) { return null; }
    return (Math.round((part / whole) * 1000) / 10).toLocaleString("en") + "%";
  }

  function formatValue(value) {
    if (value === null || value === undefined) { return "null"; }
    var text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 80 ? text.slice(0, 79) + "…" : text;
  }

  function languageLabel(code) { return LANGUAGES[code] ? LANGUAGES[code] + " (" + code + ")" : (code || "?"); }
  function reasonLabel(code) { return REASONS[code] || (code ? code.replace(/_/g, " ") : ""); }
  function langBadge(code) { return h("span", { class: "lang", title: languageLabel(code), text: code || "?" }); }
  function tag(text, kind, title) { return h("span", { class: "tag" + (kind ? " " + kind : ""), title: title, text: text }); }

  function conversationPath(cid, action) {
    return API + "/conversations/" + encodeURIComponent(cid) + (action ? "/" + action : "");
  }

  // ----------------------------------------------------------------------------------------------- API

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  var leaving = false;

  function goToLogin() {
    if (leaving) { return; }
    leaving = true;
    saveDrafts();
    window.location.replace("/console/login");
  }

  function defaultMessage(status) {
    if (status === 404) { return "Not found."; }
    if (status === 409) { return "Someone else changed this conversation first. It has been refreshed."; }
    if (status >= 500) { return "The server had a problem (HTTP " + status + "). Try again."; }
    return "The request failed (HTTP " + status + ").";
  }

  async function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body || {});
    }
    var response;
    try {
      response = await fetch(path, options);
    } catch (networkError) {
      throw new ApiError(0, "network", "Cannot reach the server. Check the connection and try again.");
    }
    if (response.status === 401) {
      goToLogin();
      throw new ApiError(401, "unauthorized", "Your session has ended. Sign in again.");
    }
    var data = null;
    if (response.status !== 204) {
      var text = await response.text();
      if (text) { try { data = JSON.parse(text); } catch (notJson) { data = null; } }
    }
    if (!response.ok) {
      var code = (data && data.error) || "http_" + response.status;
      var message = (data && data.message) || (code === "rasa_unavailable"
        ? "The bot server is unavailable: the message was not sent. Try again in a moment."
        : defaultMessage(response.status));
      throw new ApiError(response.status, code, message);
    }
    return data;
  }

  // ----------------------------------------------------------------------------------------------- errors

  var errorTimer = null;

  function showError(message, options) {
    $("console-error-text").textContent = message;
    $("console-error").hidden = false;
    clearTimeout(errorTimer);
    if (options && options.transient) { errorTimer = setTimeout(clearError, 8000); }
  }

  function clearError() {
    clearTimeout(errorTimer);
    $("console-error").hidden = true;
    $("console-error-text").textContent = "";
  }

  function report(error, options) {
    if (error && error.status === 401) { return; }  // on the way to the sign-in page
    showError((error && error.message) || String(error), options);
    if (!(error instanceof ApiError)) { console.warn(error); }
  }

  // ----------------------------------------------------------------------------------------------- state

  var state = {
    agent: null,
    queue: null,
    queueFetchedAt: 0,          // performance.now() when the queue arrived (waiting times count from it)
    items: {},                  // conversation_id -> the queue's Item
    selectedId: STORE.getItem("console.selected") || null,
    conversation: null,         // GET /conversations/{selectedId}
    transcriptKey: "",
    contextKey: "",
    canned: {},                 // language -> [reply] (cached)
    cannedLanguage: null,
    busy: false,                // take over / hand back / close in flight
    sending: false,             // a reply in flight
    drafts: loadDrafts(),       // conversation_id -> {reply, handback, close}: nothing typed is lost
    charts: {},
    analyticsSeq: 0,
    queueSeq: 0,
    conversationSeq: 0
  };

  function loadDrafts() {
    try { return JSON.parse(STORE.getItem("console.drafts") || "{}") || {}; } catch (e) { return {}; }
  }

  function saveDrafts() {
    var cid = state.selectedId;
    if (cid) {
      var draft = { reply: $("reply-text").value, handback: $("handback-note").value, close: $("close-note").value };
      if (draft.reply || draft.handback || draft.close) { state.drafts[cid] = draft; } else { delete state.drafts[cid]; }
    }
    try { STORE.setItem("console.drafts", JSON.stringify(state.drafts)); } catch (e) { /* storage full or off */ }
  }

  function restoreDraft(cid) {
    var draft = (cid && state.drafts[cid]) || {};
    $("reply-text").value = draft.reply || "";
    $("handback-note").value = draft.handback || "";
    $("close-note").value = draft.close || "";
  }

  // ----------------------------------------------------------------------------------------------- header

  function renderAgent() {
    var agent = state.agent;
    if (!agent) { return; }
    $("agent-name").textContent = agent.display_name || agent.username;
    $("agent-name").title = "Signed in as " + agent.username;
    var langs = $("agent-languages");
    clear(langs);
    (agent.languages || []).forEach(function (code) { langs.appendChild(langBadge(code)); });
  }

  function renderTeamStatus() {
    var q = state.queue;
    var el = $("team-status");
    if (!q) { return; }
    el.classList.toggle("at-work", !!q.team_at_work);
    el.textContent = (q.team_at_work ? "Team at work" : "Outside support hours") +
      (q.support_hours ? " · " + q.support_hours : "");
    el.title = q.support_hours ? "Support hours: " + q.support_hours : "";
  }

  // ----------------------------------------------------------------------------------------------- queue

  async function refreshQueue() {
    var seq = ++state.queueSeq;
    var queue = await api("GET", API + "/queue");
    if (seq !== state.queueSeq) { return; }
    state.queue = queue;
    state.queueFetchedAt = performance.now();
    state.items = {};
    ["recent", "active", "waiting"].forEach(function (list) {
      (queue[list] || []).forEach(function (item) { state.items[item.conversation_id] = item; });
    });
    renderQueue();
    updateActions();
  }

  function renderQueue() {
    var q = state.queue;
    var focused = document.activeElement && document.activeElement.classList.contains("queue-item")
      ? document.activeElement.dataset.conversationId : null;
    [["waiting", "queue-waiting"], ["active", "queue-active"], ["recent", "queue-recent"]].forEach(function (pair) {
      var list = $(pair[1]);
      clear(list);
      (q[pair[0]] || []).forEach(function (item) { list.appendChild(queueItem(item)); });
    });
    var waiting = (q.waiting || []).length;
    $("queue-waiting-count").textContent = waiting;
    $("queue-active-count").textContent = (q.active || []).length;
    $("tab-waiting-count").textContent = waiting;
    $("tab-waiting-count").hidden = waiting === 0;
    document.title = (waiting ? "(" + waiting + ") " : "") + "Silk Road support";
    renderTeamStatus();
    markSelected();
    tick();
    if (focused) {
      var again = document.querySelector('.queue-item[data-conversation-id="' + CSS.escape(focused) + '"]');
      if (again) { again.focus(); }
    }
  }

  function queueItem(item) {
    var wait = h("span", { class: "wait" });
    if (item.waiting_seconds !== null && item.waiting_seconds !== undefined) {
      // Only a waiting item's time goes on; a taken one's is how long the buyer waited.
      wait.dataset.wait = item.waiting_seconds;
      if (item.status !== "waiting") { wait.dataset.frozen = "1"; }
      wait.title = item.status === "waiting" ? "Waiting time" : "The buyer waited this long";
    } else if (item.requested_at && parseTime(item.requested_at)) {
      wait.dataset.since = parseTime(item.requested_at).getTime();
      wait.dataset.mode = "duration";
    } else if (item.last_message && parseTime(item.last_message.at)) {
      wait.dataset.since = parseTime(item.last_message.at).getTime();
      wait.dataset.mode = "age";
      wait.title = "Last message " + formatDateTime(item.last_message.at);
    }

    var headline = item.status === "bot" ? (item.buyer_id ? "Buyer " + item.buyer_id : "Guest conversation")
      : reasonLabel(item.reason) || "Handoff";
    var who = null;
    if (item.mine) { who = h("span", { class: "who mine", text: "mine" }); }
    else if (item.agent) { who = h("span", { class: "who", text: item.agent.display_name }); }
    else if (item.status === "waiting" && item.queue_position) {
      who = h("span", { class: "who", text: "#" + item.queue_position });
    }

    var last = item.last_message;
    var speaker = last ? { user: "Buyer", bot: "Bot", agent: "Agent" }[last.kind] : null;
    // The speaker apart from the text: an Arabic snippet is cut at its own end, not at its start.
    var snippet = last && last.text
      ? [speaker ? h("span", { class: "speaker", text: speaker + ":" }) : null,
        h("span", { class: "snippet", dir: "auto", text: last.text.replace(/\s+/g, " ") })]
      : h("span", { class: "snippet", text: "—" });

    return h("li", {
      class: "queue-item", tabindex: 0, role: "button",
      dataset: { conversationId: item.conversation_id, status: item.status },
      title: item.conversation_id,
      onclick: function () { select(item.conversation_id); },
      onkeydown: function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(item.conversation_id); }
      }
    },
    h("div", { class: "row" },
      langBadge(item.language),
      tag(CHANNELS[item.channel] || item.channel || "?"),
      item.order_number ? h("span", { class: "order-ref", text: item.order_number }) : null,
      wait),
    h("div", { class: "row" }, h("span", { class: "reason", text: headline }), who),
    h("div", { class: "row" }, snippet));
  }

  // Every second: waiting times and ages count on without asking the server.
  function tick() {
    var elapsed = state.queueFetchedAt ? (performance.now() - state.queueFetchedAt) / 1000 : 0;
    var now = Date.now();
    document.querySelectorAll(".queue-item .wait").forEach(function (el) {
      if (el.dataset.wait !== undefined) {
        el.textContent = formatDuration(Number(el.dataset.wait) + (el.dataset.frozen ? 0 : elapsed));
      } else if (el.dataset.since !== undefined) {
        var ms = now - Number(el.dataset.since);
        el.textContent = el.dataset.mode === "age" ? formatAge(ms) : formatDuration(ms / 1000);
      }
    });
  }

  function markSelected() {
    document.querySelectorAll(".queue-item").forEach(function (el) {
      var on = el.dataset.conversationId === state.selectedId;
      el.classList.toggle("selected", on);
      el.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // ----------------------------------------------------------------------------------------------- conversation

  function select(cid) {
    if (cid === state.selectedId) { loadConversation().catch(report); return; }
    saveDrafts();
    state.selectedId = cid;
    STORE.setItem("console.selected", cid);
    state.conversation = null;
    state.transcriptKey = "";
    state.contextKey = "";
    hideNoteForms();
    restoreDraft(cid);
    markSelected();
    renderConversation();
    loadConversation().catch(report);
  }

  async function loadConversation() {
    var cid = state.selectedId;
    if (!cid) { return; }
    var seq = ++state.conversationSeq;
    try {
      var data = await api("GET", conversationPath(cid));
      if (seq !== state.conversationSeq || cid !== state.selectedId) { return; }
      state.conversation = data;
      renderConversation();
    } catch (error) {
      if (seq !== state.conversationSeq || cid !== state.selectedId) { return; }
      if (error.status === 404) {
        state.conversation = null;
        renderConversation("This conversation no longer exists.");
        return;
      }
      throw error;
    }
  }

  // The handoff that rules the conversation: the conversation's own, else the queue's item.
  function currentItem() {
    var c = state.conversation;
    if (c) { return c.handoff || null; }
    return state.selectedId ? state.items[state.selectedId] || null : null;
  }

  function conversationStatus() {
    var item = currentItem();
    if (item && item.status) { return item.status; }
    return state.conversation || state.items[state.selectedId] ? "bot" : null;
  }

  function isMine() {
    var item = currentItem();
    return !!(item && item.status === "active" && item.mine);
  }

  function renderConversation(missing) {
    var c = state.conversation;
    var cid = state.selectedId;
    var item = currentItem();
    $("chat-title").textContent = cid ? cid : "No conversation selected";
    $("chat-title").title = cid || "";
    var meta = $("chat-meta");
    clear(meta);
    if (cid && (c || item)) {
      var language = (c && c.language) || (item && item.language);
      var channel = (c && c.channel) || (item && item.channel);
      var status = conversationStatus();
      var statusTag = STATUS_TAGS[status] || [status, ""];
      var statusText = status === "active" ? (isMine() ? "With you" : "With " + ((item.agent && item.agent.display_name) || "an agent"))
        : statusTag[0];
      append(meta, [langBadge(language), tag(CHANNELS[channel] || channel || "?"), tag(statusText, statusTag[1])]);
      if (c && c.paused) { append(meta, tag("bot paused", "tag-warn", "The bot does not answer while a person has the conversation")); }
      if (item && item.reason && status !== "bot") { append(meta, h("span", { text: reasonLabel(item.reason) })); }
      if (item && item.order_number) { append(meta, h("span", { text: "· order " + item.order_number })); }
    }

    var transcript = $("transcript");
    if (!cid || !c) {
      state.transcriptKey = "";
      clear(transcript);
      transcript.appendChild(h("p", { class: "placeholder",
        text: missing || (cid ? "Loading…" : "Pick a conversation from the queue.") }));
    } else {
      var events = c.events || [];
      var key = c.conversation_id + "|" + events.length + "|" + (events.length ? events[events.length - 1].id : "");
      if (key !== state.transcriptKey) {
        state.transcriptKey = key;
        clear(transcript);
        transcript.appendChild(buildTranscript(events));
        transcript.scrollTop = transcript.scrollHeight;
      }
    }
    renderContext();
    updateActions();
    loadCanned();
  }

  function buildTranscript(events) {
    var fragment = document.createDocumentFragment();
    var understanding = null;   // the last user message's understanding: the slots set after it go there
    var lastDay = null;
    var shown = 0;

    events.forEach(function (event) {
      if (event.kind === "slot") {
        if (understanding) {
          understanding.appendChild(h("span", { class: "kv slot", title: "slot set" },
            event.name + " → ", h("bdi", { dir: "auto", text: formatValue(event.value) })));
        }
        return;
      }
      var el = buildEvent(event);
      if (!el) { return; }
      var date = parseTime(event.at);
      var day = date ? DAY.format(date) : null;
      if (day && day !== lastDay) {
        fragment.appendChild(h("div", { class: "day-separator", role: "separator" },
          h("span", { text: day })));
        lastDay = day;
      }
      if (event.kind === "user") { understanding = el.querySelector(".understanding"); }
      fragment.appendChild(el);
      shown++;
    });
    if (!shown) { fragment.appendChild(h("p", { class: "placeholder", text: "No messages yet." })); }
    return fragment;
  }

  function buildEvent(event) {
    var time = formatTime(event.at);
    var attrs = function (kind, extra) {
      return { class: "event" + (extra ? " " + extra : ""), dataset: { kind: kind, eventId: event.id },
        title: formatDateTime(event.at) };
    };
    switch (event.kind) {
      case "user": {
        var understanding = h("div", { class: "understanding" });
        var intent = event.intent || "no intent";
        var confidence = typeof event.confidence === "number" ? Math.round(event.confidence * 100) : null;
        var low = event.intent === "nlu_fallback" || (confidence !== null && event.confidence < LOW_CONFIDENCE);
        understanding.appendChild(h("span", { class: "intent" + (low ? " low" : ""), title: "intent" }, intent));
        if (confidence !== null) {
          understanding.appendChild(h("span", { class: "confidence" + (low ? " low" : ""), title: "confidence",
            text: confidence + "%" }));
        }
        (event.entities || []).forEach(function (entity) {
          understanding.appendChild(h("span", { class: "kv entity", title: "entity" },
            "@" + entity.entity + "=", h("bdi", { dir: "auto", text: formatValue(entity.value) })));
        });
        return h("div", attrs("user"),
          h("span", { class: "meta", text: "Buyer · " + time }),
          h("div", { class: "bubble", dir: "auto", text: event.text || "" }),
          understanding);
      }
      case "bot":
        return h("div", attrs("bot"),
          h("span", { class: "meta", text: "Bot" + (event.name ? " · " + event.name : "") + " · " + time }),
          h("div", { class: "bubble", dir: "auto", text: event.text || "(" + (event.name || "message without text") + ")" }));
      case "agent":
        return h("div", attrs("agent"),
          h("span", { class: "meta", text: (event.agent || "Agent") + " · " + time }),
          h("div", { class: "bubble", dir: "auto", text: event.text || "" }));
      case "pause":
        return systemLine(attrs("system"), "Handed to a person · " + time);
      case "resume":
        return systemLine(attrs("system"), "Bot resumed · " + time);
      case "session_started":
        return systemLine(attrs("system"), "New session · " + time);
      case "note":
        return systemLine(attrs("system", "note"),
          "Note by " + (event.agent || "an agent") + ": " + (event.text || "") + " · " + time);
      default:
        return null;   // actions, and anything new, are not shown
    }
  }

  function systemLine(attrs, text) {
    return h("div", attrs, h("span", { class: "system-line", dir: "auto", text: text }));
  }

  // ----------------------------------------------------------------------------------------------- context

  function renderContext() {
    var panel = $("context-panel");
    var c = state.conversation;
    var key = c ? JSON.stringify([c.conversation_id, c.context, c.handoff, c.paused]) : String(state.selectedId);
    if (key === state.contextKey) { return; }
    state.contextKey = key;
    clear(panel);
    if (!c) {
      panel.appendChild(h("p", { class: "placeholder", text: "The buyer and their orders show here." }));
      return;
    }
    var context = c.context || {};
    var handoff = c.handoff;

    var buyer = h("section", { class: "buyer-section" }, h("h2", { text: "Buyer" }));
    if (context.buyer_id) {
      buyer.appendChild(h("div", { class: "buyer" },
        h("span", { class: "buyer-id", text: context.buyer_id }),
        context.verified ? tag("verified", "tag-ok") : tag("not verified", "tag-warn")));
    } else {
      buyer.appendChild(h("div", { class: "buyer" }, h("span", { class: "muted", text: "not signed in / not linked" })));
    }
    panel.appendChild(buyer);

    if (handoff) {
      var facts = [
        ["Status", (STATUS_TAGS[handoff.status] || [handoff.status])[0]],
        ["Reason", reasonLabel(handoff.reason)],
        ["Order", handoff.order_number],
        ["Channel", CHANNELS[handoff.channel] || handoff.channel],
        ["Language", languageLabel(handoff.language)],
        ["Requested", handoff.requested_at ? formatDateTime(handoff.requested_at) : null],
        ["Agent", handoff.agent ? handoff.agent.display_name + (handoff.mine ? " (you)" : "") : null],
        ["In queue", handoff.status === "waiting" && handoff.queue_position ? "#" + handoff.queue_position : null]
      ];
      panel.appendChild(h("section", null, h("h2", { text: "Handoff" }), factList(facts)));
    }

    var orders = (context.orders || []).slice().sort(function (a, b) {
      return (b.in_conversation ? 1 : 0) - (a.in_conversation ? 1 : 0);
    });
    var section = h("section", null, h("h2", { text: "Orders" + (orders.length ? " (" + orders.length + ")" : "") }));
    if (!orders.length) {
      section.appendChild(h("p", { class: "muted",
        text: context.buyer_id ? "No orders." : "Orders show once the buyer is signed in." }));
    }
    orders.forEach(function (order) { section.appendChild(orderCard(order)); });
    panel.appendChild(section);
  }

  function factList(pairs) {
    var dl = h("dl", { class: "facts" });
    pairs.forEach(function (pair) {
      if (pair[1] === null || pair[1] === undefined || pair[1] === "") { return; }
      dl.appendChild(h("dt", { text: pair[0] }));
      dl.appendChild(h("dd", { dir: "auto" }, pair[1]));
    });
    return dl;
  }

  function orderCard(order) {
    var card = h("div", { class: "order" + (order.in_conversation ? " in-conversation" : ""), dataset: { order: order.number } },
      h("div", { class: "order-head" },
        h("span", { class: "order-number", text: order.number }),
        order.status ? tag(String(order.status).replace(/_/g, " ")) : null,
        order.in_conversation ? tag("in this conversation", "tag-agent") : null),
      factList([
        ["Total", order.total && order.total.display],
        ["Placed", order.placed_at ? formatDateTime(order.placed_at) : null]
      ]));

    var shipment = order.shipment;
    if (shipment) {
      var last = shipment.last_event;
      card.appendChild(h("h4", { text: "Shipment" }));
      card.appendChild(factList([
        ["Carrier", shipment.carrier],
        ["Tracking", shipment.tracking_number],
        ["Last event", last ? [last.description || last.code, last.code && last.description ? " (" + last.code + ")" : ""].join("") : "none yet"],
        ["When", last && last.at ? formatDateTime(last.at) : null],
        ["Where", last && last.location]
      ]));
    }
    var escrow = order.escrow;
    if (escrow) {
      var kind = { held: "tag-warn", disputed: "tag-danger", released: "tag-ok", refunded: "" }[escrow.state];
      card.appendChild(h("h4", { text: "Escrow" }));
      card.appendChild(factList([
        ["State", tag(String(escrow.state || "?").replace(/_/g, " "), kind)],
        ["Held", escrow.held && escrow.held.display],
        ["Auto-release", escrow.auto_release_at ? formatDateTime(escrow.auto_release_at) : null],
        ["Dispute", escrow.dispute_case]
      ]));
    }
    return card;
  }

  // ----------------------------------------------------------------------------------------------- actions

  function updateActions() {
    var cid = state.selectedId;
    var status = cid ? conversationStatus() : null;
    var item = currentItem();
    var mine = isMine();
    var idle = !state.busy;
    var canTake = !!cid && (status === "waiting" || status === "bot" || status === "closed");
    $("take-over").disabled = !(canTake && idle);
    $("take-over").title = status === "active" && !mine
      ? "Taken by " + ((item && item.agent && item.agent.display_name) || "another agent") : "";
    $("hand-back").disabled = !(mine && idle);
    $("close-chat").disabled = !(mine && idle);
    $("handback-confirm").disabled = !(mine && idle);
    $("close-confirm").disabled = !(mine && idle);
    $("reply-send").disabled = !(mine && !state.sending);
    if (!mine) { hideNoteForms(); }

    var hint = "";
    if (cid && status) {
      if (mine) {
        var c = state.conversation;
        var language = (c && c.language) || (item && item.language);
        var channel = (c && c.channel) || (item && item.channel);
        hint = "Replying in " + languageLabel(language) + " via " + (CHANNELS[channel] || channel || "?");
      } else if (status === "active") {
        hint = ((item && item.agent && item.agent.display_name) || "Another agent") + " is handling this conversation.";
      } else {
        hint = "Take over to reply.";
      }
    }
    $("reply-hint").textContent = hint;
    $("reply-text").lang = (state.conversation && state.conversation.language) || "";
  }

  async function runAction(work) {
    if (state.busy) { return; }
    state.busy = true;
    updateActions();
    try {
      await work();
    } catch (error) {
      report(error);
      if (error.status === 409 || error.status === 404) { refreshAll(); }
    } finally {
      state.busy = false;
      updateActions();
    }
  }

  function takeOver() {
    var cid = state.selectedId;
    if (!cid) { return; }
    runAction(async function () {
      var item = await api("POST", conversationPath(cid, "take"), {});
      clearError();
      if (state.conversation && state.conversation.conversation_id === cid && item) { state.conversation.handoff = item; }
      if (item) { state.items[cid] = item; }
      renderConversation();
      await Promise.all([refreshQueue(), loadConversation()]);
      $("reply-text").focus();
    });
  }

  function openNoteForm(which) {
    var form = $(which === "close" ? "close-form" : "handback-form");
    $(which === "close" ? "handback-form" : "close-form").hidden = true;
    $("handback-hint").hidden = true;
    var transcript = $("transcript");
    var atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 24;
    form.hidden = false;
    if (atBottom) { transcript.scrollTop = transcript.scrollHeight; }
    $(which === "close" ? "close-note" : "handback-note").focus();
  }

  function hideNoteForms() {
    $("handback-form").hidden = true;
    $("close-form").hidden = true;
    $("handback-hint").hidden = true;
  }

  function finish(action) {
    var cid = state.selectedId;
    var box = $(action === "close" ? "close-note" : "handback-note");
    var note = box.value.trim();
    if (action === "hand-back" && !note) {
      $("handback-hint").hidden = false;
      box.focus();
      return;
    }
    runAction(async function () {
      var item = await api("POST", conversationPath(cid, action), { note: note });
      clearError();
      if (cid === state.selectedId) {
        box.value = "";
        hideNoteForms();
        saveDrafts();
        if (state.conversation && item) { state.conversation.handoff = item; }
      }
      await Promise.all([refreshQueue(), loadConversation()]);
    });
  }

  async function sendReply() {
    var cid = state.selectedId;
    var box = $("reply-text");
    var text = box.value;
    if (!cid || !text.trim() || state.sending || !isMine()) { return; }
    state.sending = true;
    updateActions();
    try {
      var event = await api("POST", conversationPath(cid, "reply"), { text: text.trim() });
      clearError();
      if (cid === state.selectedId && box.value === text) { box.value = ""; }
      if (state.drafts[cid]) { state.drafts[cid].reply = cid === state.selectedId ? box.value : ""; }
      saveDrafts();
      var c = state.conversation;
      if (event && c && c.conversation_id === cid && !(c.events || []).some(function (e) { return e.id === event.id; })) {
        c.events = (c.events || []).concat([event]);
        renderConversation();
      }
      loadConversation().catch(report);
    } catch (error) {
      report(error);  // the text stays in the box
      if (error.status === 409) { refreshAll(); }
    } finally {
      state.sending = false;
      updateActions();
    }
  }

  // ----------------------------------------------------------------------------------------------- canned replies

  async function loadCanned() {
    var c = state.conversation;
    var item = currentItem();
    var language = (c && c.language) || (item && item.language) || null;
    var select = $("canned-replies");
    if (!state.selectedId || !language) {
      state.cannedLanguage = null;
      fillCanned(null, []);
      return;
    }
    if (language === state.cannedLanguage) { return; }
    state.cannedLanguage = language;
    if (state.canned[language]) { fillCanned(language, state.canned[language]); return; }
    select.disabled = true;
    try {
      var replies = await api("GET", API + "/canned-replies?language=" + encodeURIComponent(language));
      state.canned[language] = Array.isArray(replies) ? replies : [];
      if (state.cannedLanguage === language) { fillCanned(language, state.canned[language]); }
    } catch (error) {
      if (state.cannedLanguage === language) { state.cannedLanguage = null; fillCanned(language, []); }
      report(error, { transient: true });
    }
  }

  function fillCanned(language, replies) {
    var select = $("canned-replies");
    clear(select);
    var label = !language ? "Canned replies…"
      : replies.length ? "Canned replies (" + language + ")…" : "No canned replies for " + language;
    select.appendChild(h("option", { value: "", text: label }));
    replies.forEach(function (reply) {
      select.appendChild(h("option", { value: String(reply.id), title: reply.text, text: reply.title }));
    });
    select.disabled = !language || !replies.length;
    select.value = "";
  }

  function pickCanned() {
    var select = $("canned-replies");
    var replies = state.canned[state.cannedLanguage] || [];
    var reply = replies.find(function (r) { return String(r.id) === select.value; });
    select.value = "";
    if (!reply) { return; }
    var box = $("reply-text");
    if (!box.value.trim()) {
      box.value = reply.text;
      box.setSelectionRange(box.value.length, box.value.length);
    } else {
      // Something is typed already: the reply goes in at the cursor, nothing is replaced.
      var start = box.selectionStart, end = box.selectionEnd;
      var before = box.value.slice(0, start);
      var glue = before && !/\s$/.test(before) ? " " : "";
      box.setRangeText(glue + reply.text, start, end, "end");
    }
    box.focus();
    saveDrafts();
  }

  // ----------------------------------------------------------------------------------------------- live updates

  var refreshTimer = null;
  var stream = null;
  var streamTroubleTimer = null;

  function refreshAll() {
    refreshQueue().catch(function (error) { report(error, { transient: true }); });
    if (state.selectedId) { loadConversation().catch(function (error) { report(error, { transient: true }); }); }
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshAll, 200);
  }

  function setStreamStatus(text) {
    $("stream-status").textContent = text || "";
    $("stream-status").hidden = !text;
  }

  function connectStream() {
    if (!window.EventSource) { return; }
    var hadTrouble = false;
    stream = new EventSource(API + "/stream");
    stream.addEventListener("change", scheduleRefresh);
    stream.addEventListener("open", function () {
      clearTimeout(streamTroubleTimer);
      streamTroubleTimer = null;
      setStreamStatus(null);
      if (hadTrouble) { scheduleRefresh(); }   // changes may have been missed while away
      hadTrouble = false;
    });
    stream.addEventListener("error", function () {
      hadTrouble = true;
      if (!streamTroubleTimer) {
        streamTroubleTimer = setTimeout(function () { setStreamStatus("Live updates interrupted, reconnecting…"); }, 3000);
      }
      if (stream.readyState === EventSource.CLOSED) {
        // EventSource gives up on an HTTP error (401 after the session ended, 5xx): check and start over.
        stream = null;
        setTimeout(function () {
          api("GET", API + "/me").then(connectStream, function () { setTimeout(connectStream, 10000); });
        }, 5000);
      }
    });
  }

  // ----------------------------------------------------------------------------------------------- analytics

  function chartsDefaults() {
    if (!window.Chart) { return; }
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = "#4a525c";
    Chart.defaults.borderColor = "#e6e9ed";
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
  }

  async function loadAnalytics() {
    var seq = ++state.analyticsSeq;
    var days = Number($("analytics-days").value) || 14;
    delete document.body.dataset.chartsReady;
    var data;
    try {
      data = await api("GET", API + "/analytics?days=" + days);
    } catch (error) {
      if (seq === state.analyticsSeq) { report(error); }
      return;
    }
    if (seq !== state.analyticsSeq) { return; }
    if (!window.Chart) {
      showError("The chart library did not load (/console/static/chart.js).");
      return;
    }
    renderFigures(data, days);
    drawCharts(data);
    document.body.dataset.chartsReady = "1";
  }

  function renderFigures(data, days) {
    var totals = data.totals || {};
    var number = function (n) { return typeof n === "number" ? n.toLocaleString("en") : "–"; };
    var list = data.days || [];
    $("analytics-range").textContent = list.length
      ? formatChartDay(list[0]) + " – " + formatChartDay(list[list.length - 1]) + " (UTC days)" : "";
    $("figure-conversations").textContent = number(totals.conversations);
    $("figure-conversations-sub").textContent = "last " + days + " days · " + number(totals.user_messages) + " buyer messages";
    $("figure-contained").textContent = number(totals.contained);
    $("figure-contained-sub").textContent = rateText(totals.contained, totals.conversations, "of conversations");
    $("figure-handed-off").textContent = number(totals.handed_off);
    $("figure-handed-off-sub").textContent = rateText(totals.handed_off, totals.conversations, "of conversations");
    $("figure-fallbacks").textContent = number(totals.fallbacks);
    $("figure-fallbacks-sub").textContent = rateText(totals.fallbacks, totals.user_messages, "of buyer messages");
  }

  function rateText(part, whole, what) {
    var p = percent(part || 0, whole);
    return p === null ? "no data yet" : p + " " + what;
  }

  function asPercent(values) {
    return (values || []).map(function (v) { return typeof v === "number" ? Math.round(v * 1000) / 10 : null; });
  }

  function sortedEntries(map) {
    return Object.keys(map || {}).map(function (k) { return [k, Number(map[k]) || 0]; })
      .filter(function (e) { return e[1] > 0; })
      .sort(function (a, b) { return b[1] - a[1]; });
  }

  function lineChart(labels, values, color, label) {
    return {
      type: "line",
      data: { labels: labels, datasets: [{ label: label, data: values, borderColor: color, backgroundColor: color + "22",
        fill: true, tension: 0.25, pointRadius: 3, spanGaps: false }] },
      options: {
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) {
          return ctx.parsed.y === null ? "no data" : label + ": " + ctx.parsed.y.toFixed(1) + "%";
        } } } }
      }
    };
  }

  function doughnut(entries, labelOf) {
    return {
      type: "doughnut",
      data: { labels: entries.map(function (e) { return labelOf(e[0]); }),
        datasets: [{ data: entries.map(function (e) { return e[1]; }),
          backgroundColor: entries.map(function (e, i) { return PALETTE[i % PALETTE.length]; }), borderWidth: 1 }] },
      options: { cutout: "55%", plugins: { legend: { position: "right", labels: { font: { size: 11 } } } } }
    };
  }

  function drawCharts(data) {
    Object.keys(state.charts).forEach(function (id) { state.charts[id].destroy(); });
    state.charts = {};
    var labels = (data.days || []).map(formatChartDay);
    var conversations = (data.conversations || []).map(function (n) { return Number(n) || 0; });
    var hasSeries = function (values) { return labels.length > 0 && values.some(function (v) { return v !== null; }); };
    var containment = asPercent(data.containment);
    var handoffRate = asPercent(data.handoff_rate);
    var fallbackRate = asPercent(data.fallback_rate);
    var reasons = sortedEntries(data.handoff_reasons);
    var intents = sortedEntries(data.intents).slice(0, 10);
    var languages = sortedEntries(data.languages);
    var csat = data.csat || {};
    var distribution = ["1", "2", "3", "4", "5"].map(function (k) { return Number((csat.distribution || {})[k]) || 0; });

    $("csat-title").textContent = "CSAT" + (csat.responses
      ? " · avg " + (typeof csat.average === "number" ? csat.average.toFixed(2) : "–") + " / 5 · " +
        csat.responses + " response" + (csat.responses === 1 ? "" : "s")
      : " · satisfaction, 1 to 5");
    $("csat-title").title = $("csat-title").textContent;

    draw("chart-conversations", labels.length > 0 && conversations.some(function (n) { return n > 0; }), {
      type: "bar",
      data: { labels: labels, datasets: [{ label: "Conversations", data: conversations, backgroundColor: PALETTE[0] }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
    });
    draw("chart-containment", hasSeries(containment), lineChart(labels, containment, "#2e7d4f", "Containment"));
    draw("chart-handoff-rate", hasSeries(handoffRate), lineChart(labels, handoffRate, "#5b3f8c", "Handoff rate"));
    draw("chart-fallback", hasSeries(fallbackRate), lineChart(labels, fallbackRate, "#c17c2e", "Fallback rate"));
    draw("chart-reasons", reasons.length > 0, doughnut(reasons, function (code) { return SHORT_REASONS[code] || reasonLabel(code); }));
    draw("chart-intents", intents.length > 0, {
      type: "bar",
      data: { labels: intents.map(function (e) { return e[0]; }),
        datasets: [{ label: "Messages", data: intents.map(function (e) { return e[1]; }), backgroundColor: PALETTE[1] }] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } },
        y: { ticks: { autoSkip: false, font: { size: 11 } } } }, plugins: { legend: { display: false } } }
    });
    draw("chart-languages", languages.length > 0, doughnut(languages, languageLabel));
    draw("chart-csat", (csat.responses || 0) > 0 || distribution.some(function (n) { return n > 0; }), {
      type: "bar",
      data: { labels: ["1 ★", "2 ★", "3 ★", "4 ★", "5 ★"],
        datasets: [{ label: "Ratings", data: distribution,
          backgroundColor: ["#b3261e", "#d9772b", "#d4a017", "#7fae4a", "#2e7d4f"] }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } }
    });
  }

  function draw(id, hasData, config) {
    var canvas = $(id);
    var box = canvas.parentElement;
    var old = box.querySelector(".no-data");
    if (old) { box.removeChild(old); }
    if (!hasData) {
      canvas.hidden = true;
      box.appendChild(h("div", { class: "no-data", text: "no data yet" }));
      return;
    }
    canvas.hidden = false;
    state.charts[id] = new Chart(canvas, config);
  }

  // ----------------------------------------------------------------------------------------------- tabs

  function showTab(name) {
    var analytics = name === "analytics";
    $("tab-conversations").setAttribute("aria-selected", analytics ? "false" : "true");
    $("tab-analytics").setAttribute("aria-selected", analytics ? "true" : "false");
    $("conversations").hidden = analytics;
    $("analytics").hidden = !analytics;
    STORE.setItem("console.tab", name);
    if (analytics) { loadAnalytics(); }
  }

  // ----------------------------------------------------------------------------------------------- start

  function wire() {
    $("tab-conversations").addEventListener("click", function () { showTab("conversations"); });
    $("tab-analytics").addEventListener("click", function () { showTab("analytics"); });
    $("analytics-days").addEventListener("change", loadAnalytics);
    $("analytics-refresh").addEventListener("click", loadAnalytics);
    $("console-error-dismiss").addEventListener("click", clearError);

    $("logout").addEventListener("click", async function () {
      saveDrafts();
      try {
        await api("POST", API + "/logout", {});
        leaving = true;
        window.location.replace("/console/login");
      } catch (error) { report(error); }
    });

    $("take-over").addEventListener("click", takeOver);
    $("hand-back").addEventListener("click", function () { openNoteForm("hand-back"); });
    $("close-chat").addEventListener("click", function () { openNoteForm("close"); });
    $("handback-cancel").addEventListener("click", hideNoteForms);
    $("close-cancel").addEventListener("click", hideNoteForms);
    $("handback-form").addEventListener("submit", function (event) { event.preventDefault(); finish("hand-back"); });
    $("close-form").addEventListener("submit", function (event) { event.preventDefault(); finish("close"); });
    $("handback-note").addEventListener("input", function () { $("handback-hint").hidden = true; saveDrafts(); });
    $("close-note").addEventListener("input", saveDrafts);
    ["handback-form", "close-form"].forEach(function (id) {
      $(id).addEventListener("keydown", function (event) { if (event.key === "Escape") { hideNoteForms(); } });
    });

    $("reply-form").addEventListener("submit", function (event) { event.preventDefault(); sendReply(); });
    $("reply-text").addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter is a new line; an input method composing (zh) keeps its Enter.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendReply();
      }
    });
    $("reply-text").addEventListener("input", saveDrafts);
    $("canned-replies").addEventListener("change", pickCanned);
    window.addEventListener("pagehide", saveDrafts);
  }

  async function start() {
    wire();
    chartsDefaults();
    restoreDraft(state.selectedId);
    try {
      var me = await api("GET", API + "/me");
      state.agent = me && me.agent;
      renderAgent();
    } catch (error) {
      report(error);
      if (error.status === 401) { return; }
    }
    connectStream();
    setInterval(tick, 1000);
    // A safety net in case live updates are down: refresh now and then without them.
    setInterval(function () { if (!stream || stream.readyState !== 1) { refreshAll(); } }, 15000);
    renderConversation();
    refreshAll();
    if (STORE.getItem("console.tab") === "analytics") { showTab("analytics"); }
  }

  start();
})();
