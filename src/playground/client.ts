/**
 * The page's script, as text (the page inlines it; no bundler). It keeps what the server streams (messages,
 * ephemerals, the modal, the Home tab), lays it out like Slack, and turns clicks and typing into the
 * server's small POST endpoints. It uses formatDateToken (dates.ts), inlined before it.
 * Written without template literals, since it lives inside one.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var CONFIG = JSON.parse(document.getElementById('config').textContent);
  var ICONS = {
    reply: '<svg width="18" height="18" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M3 4.5h14v9H8l-4 3v-3H3z" stroke-linejoin="round"/></svg>',
    more: '<svg width="18" height="18" viewBox="0 0 20 20" fill="currentColor"><circle cx="10" cy="4.5" r="1.6"/><circle cx="10" cy="10" r="1.6"/><circle cx="10" cy="15.5" r="1.6"/></svg>',
    bolt: '<svg width="18" height="18" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M11 2 4 11.5h5.5L8.5 18 16 8.5h-5.5z" stroke-linejoin="round"/></svg>',
    send: '<svg width="16" height="16" viewBox="0 0 20 20" fill="currentColor"><path d="M2 17.5 18.5 10 2 2.5l2.5 7.5zM4.5 10H11"/></svg>',
    eye: '<svg width="14" height="14" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M1.5 10S5 4 10 4s8.5 6 8.5 6-3.5 6-8.5 6-8.5-6-8.5-6z"/><circle cx="10" cy="10" r="2.5"/></svg>',
    close: '<svg width="18" height="18" viewBox="0 0 20 20" stroke="currentColor" stroke-width="1.8"><path d="m5 5 10 10M15 5 5 15"/></svg>'
  };
  var state = {
    me: null, bot: null, conversations: [], messages: new Map(), ephemerals: new Map(), dismissed: new Set(),
    modal: null, home: null, current: 'C0GENERAL', screen: 'channel', appTab: 'home', thread: null,
    unread: new Set(), modalErrors: {}
  };
  var noticeCount = 0;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function api(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, error: 'HTTP ' + response.status }; });
      })
      .catch(function (error) { return { ok: false, error: String(error) }; });
  }
  function toast(text) {
    var el = document.createElement('div');
    el.className = 'toast';
    el.textContent = text;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 3500);
  }
  function num(ts) { return parseFloat(ts); }
  function clock(ts) { return formatDateToken(num(ts), '{time}'); }
  function fullDate(ts) { return formatDateToken(num(ts), '{date_long} at {time_secs}'); }
  function conv(id) { return state.conversations.find(function (c) { return c.id === id; }); }
  function glyph(c) { return c.kind === 'private' ? '🔒' : c.kind === 'im' ? '' : '#'; }
  function convTitle(c) { return c.kind === 'im' ? c.name : glyph(c) + ' ' + c.name; }
  var COLORS = ['#e8912d', '#2bac76', '#1264a3', '#9b59b6', '#e01e5a', '#3f7f8c'];
  function avatar(author, extra) {
    var cls = 'avatar' + (extra ? ' ' + extra : '');
    if (author.id === 'USLACKBOT') return '<div class="' + cls + ' slackbot-avatar">✱</div>';
    if (author.bot) return '<div class="' + cls + ' bot-avatar">DLF</div>';
    var sum = 0;
    for (var i = 0; i < author.id.length; i++) sum += author.id.charCodeAt(i);
    return '<div class="' + cls + '" style="background:' + COLORS[sum % COLORS.length] + '">' + esc(author.name.charAt(0).toUpperCase()) + '</div>';
  }
  function head(author, ts) {
    return '<div class="msg-head"><span class="msg-name">' + esc(author.name) + '</span>' +
      (author.bot ? '<span class="app-badge">APP</span>' : '') +
      '<span class="msg-time" title="' + esc(fullDate(ts)) + '">' + esc(clock(ts)) + '</span></div>';
  }

  // ---- What is shown where ------------------------------------------------------------------------------
  function key(channel, ts) { return channel + ' ' + ts; }
  function replies(channel, ts) {
    var list = [];
    state.messages.forEach(function (m) { if (m.channel === channel && m.threadTs === ts) list.push(m); });
    return list.sort(function (a, b) { return num(a.ts) - num(b.ts); });
  }
  function ephemeralsIn(channel, threadTs) {
    var list = [];
    state.ephemerals.forEach(function (e, id) {
      if (state.dismissed.has(id) || e.channel !== channel) return;
      if ((e.threadTs || null) === (threadTs || null)) list.push(Object.assign({ id: id, ephemeral: true }, e));
    });
    return list;
  }
  function timeline(channel) {
    var list = [];
    state.messages.forEach(function (m) { if (m.channel === channel && (!m.threadTs || m.broadcast)) list.push(m); });
    return list.concat(ephemeralsIn(channel, null)).sort(function (a, b) { return num(a.ts) - num(b.ts); });
  }

  function summary(m) {
    var list = replies(m.channel, m.ts);
    if (list.length === 0) return '';
    var seen = {};
    var faces = '';
    list.forEach(function (r) {
      if (seen[r.author.id]) return;
      seen[r.author.id] = true;
      faces += avatar(r.author, 'mini');
    });
    var last = list[list.length - 1];
    return '<button class="thread-summary" data-open-thread="' + esc(m.ts) + '" data-channel="' + esc(m.channel) + '">' + faces +
      '<b>' + list.length + (list.length === 1 ? ' reply' : ' replies') + '</b><span>Last reply ' +
      esc(formatDateToken(num(last.ts), '{date_short_pretty} at {time}')) + '</span></button>';
  }

  function messageHtml(m, inThread) {
    if (m.ephemeral) {
      return '<div class="msg ephemeral" data-ephemeral="' + esc(m.id) + '">' + avatar(m.author) + '<div class="msg-main">' +
        '<div class="eph-label">' + ICONS.eye + ' Only visible to you</div>' + head(m.author, m.ts) +
        '<div class="msg-content">' + m.html + '</div>' +
        '<button class="eph-dismiss" data-dismiss="' + esc(m.id) + '">Dismiss message</button></div></div>';
    }
    var note = m.broadcast && !inThread ? '<div class="broadcast-note">replied to a thread</div>' : '';
    var actions = '<div class="msg-actions">' +
      (m.threadTs ? '' : '<button title="Reply in thread" data-open-thread="' + esc(m.ts) + '" data-channel="' + esc(m.channel) + '">' + ICONS.reply + '</button>') +
      '<button title="More actions" data-more="' + esc(m.ts) + '" data-channel="' + esc(m.channel) + '">' + ICONS.more + '</button></div>';
    return '<div class="msg" data-channel="' + esc(m.channel) + '" data-ts="' + esc(m.ts) + '">' + avatar(m.author) +
      '<div class="msg-main">' + note + head(m.author, m.ts) + '<div class="msg-content">' + m.html +
      (m.edited ? '<span class="edited">(edited)</span>' : '') + '</div>' + (inThread ? '' : summary(m)) + '</div>' + actions + '</div>';
  }

  // ---- Rendering ------------------------------------------------------------------------------------------
  function renderSidebar() {
    var channels = state.conversations.filter(function (c) { return c.kind !== 'im'; });
    var html = '<div id="team">Stand-in <small>playground</small></div><div class="side-head">Channels</div>';
    channels.forEach(function (c) {
      var active = state.screen === 'channel' && state.current === c.id;
      html += '<button class="side-item' + (active ? ' active' : '') + (state.unread.has(c.id) ? ' unread' : '') +
        '" data-channel-link="' + esc(c.id) + '"><span class="glyph">' + glyph(c) + '</span>' + esc(c.name) + '</button>';
    });
    html += '<div class="side-head">Apps</div><button class="side-item' + (state.screen === 'app' ? ' active' : '') +
      '" data-app-link="1"><span class="avatar bot-avatar app-icon">DLF</span>' + esc(state.bot ? state.bot.name : 'dlf-bot') + '</button>';
    html += '<div class="side-head">Live runs</div><div class="side-note">Start a run in the DataArts simulator, look it up, press <b>Subscribe</b>, and watch its thread.</div>';
    CONFIG.liveJobs.forEach(function (live) {
      html += '<button class="live-run" data-live-run="' + esc(live.job) + '">▶ ' + esc(live.job) + '<small>' + esc(live.note) + '</small></button>';
    });
    html += '<div class="side-head">Try</div><div class="side-note"><b>' + esc(CONFIG.command) + ' job_batch 34765</b><br>' +
      esc(CONFIG.command) + ' help<br>⚡ ' + esc(CONFIG.shortcuts.global.name) + ' (left of the message box)<br>⋯ ' +
      esc(CONFIG.shortcuts.message.name) + ' (on a message in #dlf-alerts)</div>';
    $('#sidebar').innerHTML = html;
  }

  function composerHtml(placeholder, thread) {
    return '<div class="composer"' + (thread ? ' data-thread="1"' : '') + '><div class="popup" hidden></div>' +
      '<textarea rows="1" placeholder="' + esc(placeholder) + '" aria-label="' + esc(placeholder) + '"></textarea>' +
      '<div class="composer-bar"><button class="icon-btn" title="Shortcuts" data-shortcuts="1">' + ICONS.bolt + '</button>' +
      '<button class="icon-btn send-btn" title="Send" data-send="1">' + ICONS.send + '</button></div></div>';
  }

  function nearBottom(el) { return !el || el.scrollHeight - el.scrollTop - el.clientHeight < 80; }

  function renderMain(forceBottom) {
    var main = $('#main');
    if (state.screen === 'app') return renderApp(main);
    var c = conv(state.current);
    if (!c) return;
    var list = $('.timeline', main);
    var stick = forceBottom || nearBottom(list);
    var scroll = list ? list.scrollTop : 0;
    if (!$('.composer', main) || main.getAttribute('data-for') !== c.id) {
      main.setAttribute('data-for', c.id);
      main.innerHTML = '<div class="pane-head"><h1>' + esc(convTitle(c)) + '</h1><span class="sub">' +
        (c.botIsMember ? '' : esc(state.bot.name) + ' is not in this channel: it answers only you, through response_url') +
        '</span></div><div class="timeline" role="log"></div>' + composerHtml('Message ' + convTitle(c), false);
      stick = true;
    }
    list = $('.timeline', main);
    var intro = '<div class="intro"><h2>' + esc(convTitle(c)) + '</h2>This page stands in for a Slack channel. Behind it run the real bot, ' +
      'a DataArts Factory simulator and the Slack stand-in the tests use: nothing here needs an account. ' +
      'Type <code>' + esc(CONFIG.command) + ' job_batch 34765</code> below.</div>';
    list.innerHTML = intro + timeline(c.id).map(function (m) { return messageHtml(m, false); }).join('');
    formatDates(list);
    list.scrollTop = stick ? list.scrollHeight : scroll;
  }

  function renderApp(main) {
    main.setAttribute('data-for', 'app');
    var dm = state.conversations.find(function (c) { return c.kind === 'im'; });
    var body;
    if (state.appTab === 'home') {
      body = '<div class="home">' + (state.home ? state.home.html : '<p class="muted">Opening Home…</p>') + '</div>';
    } else {
      body = '<div class="timeline" role="log">' + (dm ? timeline(dm.id).map(function (m) { return messageHtml(m, false); }).join('') : '') +
        '</div><div class="composer-note">Sending messages to this app has been turned off.</div>';
    }
    main.innerHTML = '<div class="pane-head"><span class="avatar bot-avatar" style="width:28px;height:28px;font-size:9px">DLF</span><h1>' +
      esc(state.bot.name) + '</h1></div><div class="tabs"><button class="tab' + (state.appTab === 'home' ? ' active' : '') +
      '" data-tab="home">Home</button><button class="tab' + (state.appTab === 'messages' ? ' active' : '') + '" data-tab="messages">Messages</button></div>' + body;
    var root = $('.home', main);
    if (root && state.home) root.setAttribute('data-view-id', state.home.id);
    formatDates(main);
    var list = $('.timeline', main);
    if (list) list.scrollTop = list.scrollHeight;
  }

  function renderThread() {
    var pane = $('#thread');
    if (!state.thread) { pane.hidden = true; pane.innerHTML = ''; return; }
    var t = state.thread;
    var parent = state.messages.get(key(t.channel, t.ts));
    if (!parent) { state.thread = null; return renderThread(); }
    var list = replies(t.channel, t.ts).concat(ephemeralsIn(t.channel, t.ts)).sort(function (a, b) { return num(a.ts) - num(b.ts); });
    var old = $('.timeline', pane);
    var stick = nearBottom(old);
    var c = conv(t.channel);
    if (pane.hidden || pane.getAttribute('data-for') !== key(t.channel, t.ts)) {
      pane.hidden = false;
      pane.setAttribute('data-for', key(t.channel, t.ts));
      pane.innerHTML = '<div class="pane-head"><h1>Thread</h1><span class="sub">' + esc(convTitle(c)) + '</span>' +
        '<button class="icon-btn" style="margin-left:auto" title="Close" data-close-thread="1">' + ICONS.close + '</button></div>' +
        '<div class="timeline" role="log"></div>' + composerHtml('Reply…', true);
      stick = true;
    }
    var count = list.filter(function (m) { return !m.ephemeral; }).length;
    $('.timeline', pane).innerHTML = messageHtml(parent, true) +
      '<div class="thread-divider">' + count + (count === 1 ? ' reply' : ' replies') + '</div>' +
      list.map(function (m) { return messageHtml(m, true); }).join('');
    formatDates(pane);
    var now = $('.timeline', pane);
    if (stick) now.scrollTop = now.scrollHeight;
  }

  function renderModal() {
    var root = $('#modal-root');
    var m = state.modal;
    if (!m) { root.innerHTML = ''; root.removeAttribute('data-view-id'); return; }
    var kept = root.getAttribute('data-view-id') === m.id && root.getAttribute('data-html') === String(m.html.length) ? collect(root) : null;
    root.setAttribute('data-view-id', m.id);
    root.setAttribute('data-html', String(m.html.length));
    root.innerHTML = '<div class="backdrop"><div class="modal" role="dialog" aria-modal="true" data-view-id="' + esc(m.id) + '">' +
      '<header><h2>' + m.title + '</h2><button class="icon-btn" title="Close" data-modal-close="1">' + ICONS.close + '</button></header>' +
      '<div class="modal-body">' + m.html + '</div><footer><button class="btn" data-modal-close="1">' + m.close + '</button>' +
      (m.submit ? '<button class="btn primary" data-modal-submit="1">' + m.submit + '</button>' : '') + '</footer></div></div>';
    $all('select[data-default-current]', root).forEach(function (select) {
      var here = state.screen === 'channel' ? state.current : null;
      if (here && !select.value && $all('option', select).some(function (o) { return o.value === here; })) select.value = here;
    });
    if (kept) restore(root, kept);
    showErrors(root, state.modalErrors[m.id] || {});
    formatDates(root);
    var first = $('[data-input]:not(.bk-choices)', root);
    if (first && !kept) first.focus();
  }

  function renderAll() { renderSidebar(); renderMain(false); renderThread(); renderModal(); }

  function formatDates(root) {
    $all('time.bk-date', root).forEach(function (el) {
      var ts = Number(el.getAttribute('data-ts'));
      var text = formatDateToken(ts, el.getAttribute('data-format') || '');
      if (text) el.textContent = text;
      el.title = formatDateToken(ts, '{date_long} at {time_secs}') + ' (your time zone: ' + Intl.DateTimeFormat().resolvedOptions().timeZone + ')';
    });
  }

  // ---- Modal inputs ---------------------------------------------------------------------------------------
  function collect(root) {
    return $all('[data-input]', root).map(function (el) {
      var entry = { blockId: el.getAttribute('data-block-id'), actionId: el.getAttribute('data-action-id') };
      if (el.classList.contains('bk-choices')) {
        var checked = $all('input:checked', el).map(function (i) { return i.value; });
        if (el.getAttribute('data-type') === 'checkboxes') entry.values = checked; else entry.value = checked[0] || '';
      } else if (el.tagName === 'SELECT' && el.multiple) {
        entry.values = $all('option', el).filter(function (o) { return o.selected; }).map(function (o) { return o.value; });
      } else {
        entry.value = el.value;
      }
      return entry;
    });
  }
  function restore(root, inputs) {
    inputs.forEach(function (entry) {
      var el = $all('[data-input]', root).find(function (e) {
        return e.getAttribute('data-block-id') === entry.blockId && e.getAttribute('data-action-id') === entry.actionId;
      });
      if (!el) return;
      if (el.classList.contains('bk-choices')) {
        var wanted = entry.values || [entry.value];
        $all('input', el).forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
      } else if (el.tagName === 'SELECT' && el.multiple) {
        $all('option', el).forEach(function (o) { o.selected = (entry.values || []).indexOf(o.value) >= 0; });
      } else {
        el.value = entry.value;
      }
    });
  }
  function showErrors(root, errors) {
    $all('.bk-input', root).forEach(function (block) {
      var id = block.getAttribute('data-block-id');
      var message = errors[id] || '';
      block.classList.toggle('has-error', !!message);
      var slot = $('.bk-error', block);
      if (slot) slot.textContent = message;
    });
  }

  // ---- Server events --------------------------------------------------------------------------------------
  function apply(event) {
    if (event.type === 'snapshot') {
      var s = event.snapshot;
      state.me = s.me; state.bot = s.bot; state.conversations = s.conversations;
      state.messages = new Map(); state.ephemerals = new Map();
      s.messages.forEach(function (m) { state.messages.set(key(m.channel, m.ts), m); });
      s.ephemerals.forEach(function (e) { state.ephemerals.set('e' + e.ts, e); });
      state.modal = s.modal; state.home = s.home;
      return renderAll();
    }
    if (event.type === 'message') {
      var m = event.message;
      var fresh = !state.messages.has(key(m.channel, m.ts));
      state.messages.set(key(m.channel, m.ts), m);
      if (fresh && m.author.id !== state.me.id && (m.channel !== state.current || state.screen !== 'channel') && (!m.threadTs || m.broadcast)) state.unread.add(m.channel);
      renderSidebar();
      renderMain(fresh && m.author.id === state.me.id);
      return renderThread();
    }
    if (event.type === 'deleted') {
      state.messages.delete(key(event.channel, event.ts));
      renderMain(false);
      return renderThread();
    }
    if (event.type === 'ephemeral') {
      state.ephemerals.set('e' + event.ephemeral.ts, event.ephemeral);
      renderMain(true);
      return renderThread();
    }
    if (event.type === 'modal') {
      state.modal = event.modal;
      return renderModal();
    }
    if (event.type === 'home') {
      state.home = event.home;
      if (state.screen === 'app') renderMain(false);
    }
  }

  function connect() {
    var source = new EventSource('/events');
    var status = $('#status');
    source.onopen = function () { status.className = 'live'; status.textContent = 'live'; };
    source.onerror = function () { status.className = 'down'; status.textContent = 'reconnecting…'; };
    source.onmessage = function (message) { apply(JSON.parse(message.data)); };
  }

  // ---- Doing things ---------------------------------------------------------------------------------------
  function addNotice(channel, threadTs, notice) {
    noticeCount += 1;
    state.ephemerals.set('n' + noticeCount, {
      channel: channel, threadTs: threadTs || undefined, ts: String(Date.now() / 1000), author: notice.author, html: notice.html
    });
    renderMain(true);
    renderThread();
  }

  function send(composer) {
    var box = $('textarea', composer);
    var text = box.value;
    if (!text.trim()) return;
    box.value = '';
    hidePopup(composer);
    var inThread = composer.hasAttribute('data-thread') && state.thread;
    var channel = inThread ? state.thread.channel : state.current;
    var threadTs = inThread ? state.thread.ts : undefined;
    api('/api/message', { channel: channel, text: text, threadTs: threadTs }).then(function (answer) {
      if (answer.notice) addNotice(channel, threadTs, answer.notice);
      else if (!answer.ok) toast(answer.error || 'That did not work');
    });
  }

  function hidePopup(composer) { var p = $('.popup', composer); p.hidden = true; p.innerHTML = ''; }
  function slashPopup(composer) {
    var box = $('textarea', composer);
    var popup = $('.popup', composer);
    var value = box.value;
    if (value.charAt(0) !== '/' || /\s/.test(value) || CONFIG.command.indexOf(value.toLowerCase()) !== 0) return hidePopup(composer);
    popup.hidden = false;
    popup.innerHTML = '<div class="popup-title">Commands matching "' + esc(value) + '"</div>' +
      '<button class="popup-item active" data-complete="1"><b>' + esc(CONFIG.command) + '</b> &lt;job&gt; [&lt;instance-id&gt;|latest] [--workspace &lt;id&gt;] | help' +
      '<small>Show a DataArts Factory job instance · ' + esc(state.bot ? state.bot.name : 'dlf-bot') + '</small></button>';
  }
  function complete(composer) {
    var box = $('textarea', composer);
    box.value = CONFIG.command + ' ';
    hidePopup(composer);
    box.focus();
  }
  function shortcutsPopup(composer) {
    var popup = $('.popup', composer);
    if (!popup.hidden) return hidePopup(composer);
    popup.hidden = false;
    popup.innerHTML = '<div class="popup-title">Shortcuts</div><button class="popup-item" data-global-shortcut="1">⚡ ' +
      esc(CONFIG.shortcuts.global.name) + '<small>' + esc(state.bot.name) + '</small></button>';
  }

  var menu = null;
  function closeMenu() { if (menu) { menu.remove(); menu = null; } }
  function openMenu(button) {
    closeMenu();
    var rect = button.getBoundingClientRect();
    menu = document.createElement('div');
    menu.className = 'menu';
    menu.innerHTML = '<button class="popup-item" data-message-shortcut="1">' + esc(CONFIG.shortcuts.message.name) + '<small>' + esc(state.bot.name) + '</small></button>' +
      '<button class="popup-item" data-menu-thread="1">Reply in thread</button>';
    menu.setAttribute('data-channel', button.getAttribute('data-channel'));
    menu.setAttribute('data-ts', button.getAttribute('data-more'));
    document.body.appendChild(menu);
    menu.style.top = Math.min(rect.bottom + 4, window.innerHeight - menu.offsetHeight - 8) + 'px';
    menu.style.left = Math.max(8, rect.right - menu.offsetWidth) + 'px';
  }

  function openThread(channel, ts) {
    state.thread = { channel: channel, ts: ts };
    renderThread();
    var box = $('#thread textarea');
    if (box) box.focus();
  }

  function openChannel(id) {
    state.screen = 'channel';
    state.current = id;
    state.unread.delete(id);
    renderSidebar();
    renderMain(true);
    var box = $('#main textarea');
    if (box) box.focus();
  }

  function openApp() {
    state.screen = 'app';
    renderSidebar();
    renderMain(false);
    if (state.appTab === 'home') api('/api/home');
  }

  /** A press or a choice on an element: in a message, or in a modal or the Home tab. */
  function act(el, selected) {
    var body = { actionId: el.getAttribute('data-action-id'), blockId: el.getAttribute('data-block-id') || undefined };
    if (selected !== undefined) body.selected = selected;
    var viewRoot = el.closest('[data-view-id]');
    var message = el.closest('.msg[data-ts]');
    var ephemeral = el.closest('.ephemeral[data-ephemeral]');
    var asks = el.getAttribute('data-confirm');
    if (asks) {
      var parts = asks.split('\n');
      if (!window.confirm(parts[0] + '\n\n' + parts[1].replace(/\*/g, '') + '\n\n(OK: ' + parts[2] + ')')) return;
    }
    if (viewRoot) {
      body.viewId = viewRoot.getAttribute('data-view-id');
      body.inputs = collect(viewRoot);
    } else if (ephemeral) {
      body.ephemeral = ephemeral.getAttribute('data-ephemeral').slice(1);
    } else if (message) {
      body.channel = message.getAttribute('data-channel');
      body.ts = message.getAttribute('data-ts');
      var card = el.closest('[data-unfurl-url]');
      if (card) body.unfurl = card.getAttribute('data-unfurl-url');
    } else return;
    var url = el.getAttribute('data-url');
    if (url) window.open(url, '_blank', 'noopener');
    el.classList.add('pending');
    api('/api/action', body).then(function (answer) {
      el.classList.remove('pending');
      if (!answer.ok) toast(answer.error || ('The app answered HTTP ' + answer.status));
    });
  }

  function submitModal(button) {
    var root = $('#modal-root');
    var id = root.getAttribute('data-view-id');
    button.disabled = true;
    api('/api/view/submit', { viewId: id, inputs: collect(root) }).then(function (answer) {
      button.disabled = false;
      state.modalErrors[id] = answer.errors || {};
      if (answer.errors) showErrors(root, answer.errors);
      else if (!answer.ok) toast(answer.error || ('The app answered HTTP ' + answer.status));
    });
  }

  /** A permalink of this workspace (chat.getPermalink's): its channel, and its thread or message. */
  function openPermalink(href) {
    var url = new URL(href);
    var parts = url.pathname.split('/');
    var raw = (parts[3] || '').slice(1);
    var ts = raw.slice(0, -6) + '.' + raw.slice(-6);
    var channel = parts[2];
    if (!conv(channel)) return toast('That conversation is not in this playground.');
    openChannel(channel);
    var threadTs = url.searchParams.get('thread_ts');
    if (threadTs) return openThread(channel, threadTs);
    var el = $('#main .msg[data-ts="' + ts + '"]');
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.classList.add('flash');
    setTimeout(function () { el.classList.remove('flash'); }, 1500);
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest('button, a');
    if (!menu || !event.target.closest('.menu')) closeMenu();
    if (!target) return;
    if (target.tagName === 'A' && target.href.indexOf(CONFIG.permalinkBase) === 0) {
      event.preventDefault();
      return openPermalink(target.href);
    }
    var composer = target.closest('.composer');
    if (target.matches('.bk-button')) return act(target);
    if (target.hasAttribute('data-channel-link')) return openChannel(target.getAttribute('data-channel-link'));
    if (target.hasAttribute('data-app-link')) return openApp();
    if (target.hasAttribute('data-tab')) { state.appTab = target.getAttribute('data-tab'); return openApp(); }
    if (target.hasAttribute('data-open-thread')) return openThread(target.getAttribute('data-channel'), target.getAttribute('data-open-thread'));
    if (target.hasAttribute('data-close-thread')) { state.thread = null; return renderThread(); }
    if (target.hasAttribute('data-more')) { event.stopPropagation(); return openMenu(target); }
    if (target.hasAttribute('data-message-shortcut') || target.hasAttribute('data-menu-thread')) {
      var m = target.closest('.menu');
      var channel = m.getAttribute('data-channel');
      var ts = m.getAttribute('data-ts');
      closeMenu();
      if (target.hasAttribute('data-menu-thread')) return openThread(channel, ts);
      return api('/api/message-shortcut', { channel: channel, ts: ts }).then(function (answer) {
        if (!answer.ok) toast(answer.error || ('The app answered HTTP ' + answer.status));
      });
    }
    if (target.hasAttribute('data-dismiss')) { state.dismissed.add(target.getAttribute('data-dismiss')); renderMain(false); return renderThread(); }
    if (target.hasAttribute('data-send')) return send(composer);
    if (target.hasAttribute('data-complete')) return complete(composer);
    if (target.hasAttribute('data-shortcuts')) return shortcutsPopup(composer);
    if (target.hasAttribute('data-global-shortcut')) {
      hidePopup(composer);
      return api('/api/shortcut').then(function (answer) { if (!answer.ok) toast(answer.error || 'The shortcut failed'); });
    }
    if (target.hasAttribute('data-modal-close')) {
      var id = $('#modal-root').getAttribute('data-view-id');
      return api('/api/view/close', { viewId: id });
    }
    if (target.hasAttribute('data-modal-submit')) return submitModal(target);
    if (target.hasAttribute('data-live-run')) {
      return api('/api/live-run', { job: target.getAttribute('data-live-run') }).then(function (answer) {
        if (!answer.ok) return toast(answer.error || 'Could not start a run');
        if (state.screen !== 'channel') openChannel(state.current);
        var box = $('#main textarea');
        box.value = answer.command;
        box.focus();
        toast('Started ' + answer.job + ' #' + answer.instanceId + ': press Enter to look it up, then Subscribe.');
      });
    }
  });

  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[data-action-id]:not([data-input])')) {
      var value = el.multiple ? $all('option', el).filter(function (o) { return o.selected; }).map(function (o) { return o.value; }) : el.value;
      act(el, value);
    }
  });

  document.addEventListener('input', function (event) {
    var composer = event.target.closest && event.target.closest('.composer');
    if (composer && event.target.tagName === 'TEXTAREA') {
      slashPopup(composer);
      event.target.style.height = 'auto';
      event.target.style.height = Math.min(event.target.scrollHeight, 160) + 'px';
    }
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      closeMenu();
      if (state.modal) return api('/api/view/close', { viewId: state.modal.id });
    }
    var composer = event.target.closest && event.target.closest('.composer');
    if (!composer || event.target.tagName !== 'TEXTAREA') return;
    var popup = $('.popup', composer);
    if ((event.key === 'Tab' || event.key === 'Enter') && !popup.hidden && $('[data-complete]', popup)) {
      event.preventDefault();
      return complete(composer);
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(composer);
    }
  });

  setInterval(function () { formatDates(document); }, 60000);
  renderSidebar();
  connect();
})();
`;
