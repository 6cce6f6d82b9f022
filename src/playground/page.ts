/**
 * The playground page: one HTML document with its CSS and script inline (no bundler, no external asset),
 * laid out like Slack's desktop client: workspace sidebar, channel with messages, thread pane, modals and the
 * app's Home tab. Block Kit arrives rendered (blockkit.ts); the script places it and formats dates.
 */
import { CLIENT_SCRIPT } from './client';
import { formatDateToken } from './dates';

export interface PageConfig {
  command: string;
  shortcuts: { global: { callbackId: string; name: string }; message: { callbackId: string; name: string } };
  liveJobs: { job: string; note: string }[];
  /** Where the workspace's permalinks start: the page opens those itself. */
  permalinkBase: string;
}

const CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 15px/1.46668 Lato, "Slack-Lato", "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  color: #1d1c1d; background: #3f0e40; -webkit-font-smoothing: antialiased; }
button { font: inherit; color: inherit; }
a { color: #1264a3; text-decoration: none; }
a:hover { text-decoration: underline; }
.emoji { font-family: "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif; font-style: normal; }
#app { display: grid; grid-template-rows: 40px 1fr; height: 100vh; }
#topbar { background: #350d36; color: #fff; display: flex; align-items: center; justify-content: center; position: relative; padding: 0 16px; }
#search { width: 42%; min-width: 260px; height: 26px; border-radius: 6px; background: rgba(255,255,255,.18); color: rgba(255,255,255,.75);
  font-size: 13px; display: flex; align-items: center; padding: 0 10px; }
#status { position: absolute; right: 16px; font-size: 12px; color: rgba(255,255,255,.7); }
#status.live::before { content: "●"; color: #2bac76; margin-right: 5px; }
#status.down::before { content: "●"; color: #e01e5a; margin-right: 5px; }
#workspace { display: grid; grid-template-columns: 260px 1fr auto; min-height: 0; background: #fff; border-radius: 8px 8px 0 0; overflow: hidden; margin: 0 4px; }
#sidebar { background: #3f0e40; color: rgba(255,255,255,.7); overflow-y: auto; font-size: 15px; padding-bottom: 20px; }
#team { color: #fff; font-weight: 900; font-size: 18px; padding: 12px 16px; border-bottom: 1px solid rgba(255,255,255,.12); display: flex; justify-content: space-between; align-items: center; }
#team small { font-weight: 400; font-size: 12px; color: rgba(255,255,255,.6); border: 1px solid rgba(255,255,255,.3); border-radius: 4px; padding: 0 6px; }
.side-head { padding: 14px 16px 4px; font-size: 14px; color: rgba(255,255,255,.7); }
.side-item { display: flex; align-items: center; gap: 8px; width: calc(100% - 16px); margin: 0 8px; height: 28px; padding: 0 10px;
  border: 0; border-radius: 6px; background: none; color: rgba(255,255,255,.7); cursor: pointer; text-align: left; }
.side-item:hover { background: rgba(255,255,255,.08); }
.side-item.active { background: #1164a3; color: #fff; }
.side-item.unread { color: #fff; font-weight: 900; }
.side-item .glyph { width: 16px; text-align: center; opacity: .8; }
.side-item .app-icon { width: 18px; height: 18px; border-radius: 4px; font-size: 8px; }
.side-note { margin: 4px 18px; font-size: 12px; line-height: 1.4; color: rgba(255,255,255,.6); }
.live-run { margin: 6px 16px 0; display: block; width: calc(100% - 32px); text-align: left; background: rgba(255,255,255,.08);
  border: 1px solid rgba(255,255,255,.2); border-radius: 6px; color: #fff; padding: 6px 10px; cursor: pointer; font-size: 13px; }
.live-run:hover { background: rgba(255,255,255,.16); }
.live-run small { display: block; color: rgba(255,255,255,.6); font-size: 11.5px; }
#main { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.pane-head { height: 49px; flex: none; border-bottom: 1px solid #ddd; display: flex; align-items: center; gap: 10px; padding: 0 20px; }
.pane-head h1 { font-size: 18px; font-weight: 900; margin: 0; }
.pane-head .sub { font-size: 13px; color: #616061; }
.tabs { display: flex; gap: 18px; padding: 0 20px; border-bottom: 1px solid #ddd; flex: none; }
.tab { border: 0; background: none; padding: 8px 0; cursor: pointer; color: #616061; font-weight: 700; font-size: 14px; border-bottom: 2px solid transparent; }
.tab.active { color: #1d1c1d; border-bottom-color: #1264a3; }
.timeline { flex: 1; overflow-y: auto; padding: 8px 0 12px; min-height: 0; }
.intro { padding: 20px; color: #616061; font-size: 15px; }
.intro h2 { color: #1d1c1d; font-size: 22px; margin: 0 0 6px; font-weight: 900; }
.intro code, .hint code { font: 12px Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: #e01e5a; background: #f8f8f8; border: 1px solid #e8e8e8; border-radius: 3px; padding: 1px 3px; }
.msg { display: grid; grid-template-columns: 36px 1fr; gap: 8px; padding: 8px 20px; position: relative; }
.msg:hover { background: #f8f8f8; }
.msg:hover .msg-actions { display: flex; }
.avatar { width: 36px; height: 36px; border-radius: 6px; color: #fff; font-weight: 900; display: flex; align-items: center; justify-content: center; font-size: 14px; }
.bot-avatar { background: #1d3c6e; font-size: 11px; letter-spacing: .5px; }
.slackbot-avatar { background: #fff; color: #e01e5a; border: 1px solid #ddd; font-size: 20px; }
.msg-main { min-width: 0; }
.msg-head { display: flex; align-items: baseline; gap: 6px; line-height: 1.3; }
.msg-name { font-weight: 900; }
.app-badge { font-size: 10px; font-weight: 700; color: #616061; background: rgba(29,28,29,.13); border-radius: 2px; padding: 0 3px; line-height: 14px; }
.msg-time { font-size: 12px; color: #616061; }
.msg-content { overflow-wrap: anywhere; }
.edited { font-size: 13px; color: #616061; margin-left: 2px; }
.broadcast-note { font-size: 13px; color: #616061; }
.thread-summary { display: inline-flex; align-items: center; gap: 6px; margin-top: 4px; padding: 4px 8px 4px 4px; border: 1px solid transparent; border-radius: 6px; cursor: pointer; background: none; }
.thread-summary:hover { border-color: #ddd; background: #fff; }
.thread-summary .mini { width: 24px; height: 24px; border-radius: 4px; font-size: 8px; }
.thread-summary b { color: #1264a3; font-size: 13px; }
.thread-summary span { color: #616061; font-size: 13px; }
.msg-actions { display: none; position: absolute; top: -14px; right: 24px; background: #fff; border: 1px solid #ddd; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.msg-actions button { border: 0; background: none; width: 32px; height: 30px; cursor: pointer; color: #616061; display: flex; align-items: center; justify-content: center; }
.msg-actions button:hover { background: #f0f0f0; color: #1d1c1d; }
.ephemeral { background: #f8f8f8; }
.msg.flash { background: #fdf5d8; }
.eph-label { font-size: 13px; color: #616061; display: flex; align-items: center; gap: 4px; margin-bottom: 2px; }
.eph-dismiss { border: 0; background: none; color: #1264a3; font-size: 13px; padding: 0; cursor: pointer; margin-top: 4px; }
.composer { flex: none; margin: 0 20px 20px; border: 1px solid #bbb; border-radius: 8px; position: relative; background: #fff; }
.composer:focus-within { border-color: #868686; box-shadow: 0 0 0 1px #868686; }
.composer textarea { width: 100%; border: 0; resize: none; outline: none; font: inherit; padding: 10px 12px 4px; height: 42px; max-height: 160px; background: transparent; }
.composer-bar { display: flex; align-items: center; justify-content: space-between; padding: 2px 6px 6px; }
.icon-btn { border: 0; background: none; width: 30px; height: 28px; border-radius: 4px; cursor: pointer; color: #616061; display: inline-flex; align-items: center; justify-content: center; }
.icon-btn:hover { background: #f0f0f0; color: #1d1c1d; }
.send-btn { background: #007a5a; color: #fff; }
.send-btn:hover { background: #148567; color: #fff; }
.composer-note { padding: 10px 14px; color: #616061; font-size: 14px; background: #f8f8f8; border-radius: 8px; }
.popup { position: absolute; bottom: calc(100% + 6px); left: 0; right: 0; background: #fff; border: 1px solid #ddd; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.12); padding: 6px 0; z-index: 5; }
.popup-title { font-size: 12px; color: #616061; padding: 4px 14px; font-weight: 700; }
.popup-item { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 6px 14px; cursor: pointer; }
.popup-item:hover, .popup-item.active { background: #1264a3; color: #fff; }
.popup-item:hover small, .popup-item.active small { color: rgba(255,255,255,.85); }
.popup-item small { display: block; color: #616061; font-size: 12.5px; }
.menu { position: fixed; background: #fff; border: 1px solid #ddd; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.15); padding: 6px 0; z-index: 30; min-width: 220px; }
#thread { width: 420px; border-left: 1px solid #ddd; display: flex; flex-direction: column; min-height: 0; }
#thread[hidden] { display: none; }
.thread-divider { display: flex; align-items: center; gap: 10px; color: #616061; font-size: 13px; padding: 4px 20px; }
.thread-divider::after { content: ""; flex: 1; border-top: 1px solid #ddd; }
#modal-root .backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.55); display: flex; align-items: center; justify-content: center; z-index: 20; }
.modal { width: 520px; max-height: 86vh; background: #fff; border-radius: 8px; box-shadow: 0 18px 48px rgba(0,0,0,.35); display: flex; flex-direction: column; }
.modal header { display: flex; align-items: center; justify-content: space-between; padding: 18px 20px 14px 28px; }
.modal header h2 { margin: 0; font-size: 22px; font-weight: 900; }
.modal-body { padding: 0 28px 16px; overflow-y: auto; }
.modal footer { display: flex; justify-content: flex-end; gap: 10px; padding: 18px 24px; border-top: 1px solid #ddd; }
.btn { height: 36px; padding: 0 16px; border-radius: 4px; border: 1px solid rgba(29,28,29,.3); background: #fff; font-weight: 700; cursor: pointer; }
.btn:hover { box-shadow: 0 1px 4px rgba(0,0,0,.1); }
.btn.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
.btn[disabled] { opacity: .6; cursor: default; }
.home { flex: 1; overflow-y: auto; padding: 16px 28px; }
.muted { color: #616061; }
.toast { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: #1d1c1d; color: #fff; padding: 8px 14px; border-radius: 6px; font-size: 14px; z-index: 40; }

/* Block Kit */
.bk-block { margin: 4px 0; }
.bk-text, .bk-field, .bk-context, .bk-header, .bk-rich-section { white-space: pre-wrap; }
.bk-header { font-size: 18px; font-weight: 900; line-height: 1.33; margin-top: 4px; }
.bk-section { display: flex; gap: 12px; align-items: flex-start; }
.bk-section-main { flex: 1; min-width: 0; }
.bk-fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; row-gap: 6px; margin-top: 2px; max-width: 600px; }
.bk-context { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; font-size: 12.5px; color: #616061; line-height: 1.5; }
.bk-context-image { width: 20px; height: 20px; border-radius: 4px; object-fit: cover; }
.bk-divider { border: 0; border-top: 1px solid #ddd; margin: 10px 0; max-width: 600px; }
.bk-image img { max-width: min(360px, 100%); max-height: 360px; border-radius: 6px; border: 1px solid #ddd; display: block; }
.bk-file { display: block; margin: 6px 0 2px; }
.bk-file-title { font-size: 13px; color: #616061; margin-bottom: 4px; }
.bk-file-image img { display: block; max-width: min(480px, 100%); max-height: 360px; width: auto; height: auto; border-radius: 8px; border: 1px solid #ddd; background: #fff; }
.bk-file-card { display: inline-flex; gap: 10px; align-items: center; border: 1px solid #ddd; border-radius: 8px; padding: 8px 12px; color: inherit; max-width: 420px; }
.bk-file-card .bk-file-title { color: #1d1c1d; font-weight: 700; margin: 0; }
.bk-file-icon { background: #1264a3; color: #fff; font-size: 10px; font-weight: 700; border-radius: 4px; padding: 8px 6px; }
.bk-file-meta { display: block; font-size: 12px; color: #616061; }
.bk-image-title { font-size: 13px; color: #616061; }
.bk-accessory-image { width: 88px; height: 88px; border-radius: 6px; object-fit: cover; }
.bk-missing-image { display: inline-block; background: #eee; }
.bk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.bk-button { height: 28px; padding: 0 12px; border-radius: 4px; border: 1px solid rgba(29,28,29,.3); background: #fff; font-weight: 700; font-size: 13px; cursor: pointer; white-space: nowrap; }
.bk-button:hover { background: #f8f8f8; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.bk-primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.bk-primary:hover { background: #148567; }
.bk-danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.bk-danger:hover { background: #e23067; }
.bk-button.pending { opacity: .55; cursor: progress; }
.bk-external { font-weight: 400; }
.bk-select { height: 28px; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; background: #fff; font: inherit; font-size: 14px; padding: 0 6px; }
.bk-code { font: 12px Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: #e01e5a; background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px; padding: 1px 3px; }
.bk-pre { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; }
.bk-quote { border-left: 4px solid #ddd; margin: 2px 0; padding-left: 10px; }
.bk-list { margin: 2px 0; padding-left: 22px; }
.bk-list li { white-space: pre-wrap; }
.bk-mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
.bk-date { border-bottom: 1px dotted #aaa; }
.bk-attachment { border-left: 4px solid #ddd; padding-left: 12px; margin: 6px 0; }
.bk-attachment-title { font-weight: 700; }
.bk-unsupported { color: #a0a0a0; font-style: italic; font-size: 13px; }
.bk-table { border-collapse: collapse; font-size: 14px; }
.bk-table td, .bk-table th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.bk-input { margin: 0 0 18px; }
.bk-label { display: block; font-weight: 700; margin-bottom: 6px; }
.bk-optional { font-weight: 400; color: #616061; }
.bk-hint { font-size: 13px; color: #616061; margin-top: 4px; }
.bk-error { font-size: 13px; color: #e01e5a; margin-top: 4px; }
.bk-error:empty { display: none; }
.has-error .bk-text-input, .has-error .bk-select { border-color: #e01e5a; box-shadow: 0 0 0 1px #e01e5a; }
.bk-text-input { width: 100%; height: 40px; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; padding: 0 10px; font: inherit; }
textarea.bk-text-input { height: auto; padding: 8px 10px; }
.bk-input .bk-select { width: 100%; height: 40px; }
.bk-choices { display: flex; flex-direction: column; gap: 6px; }
.bk-choice { display: flex; gap: 8px; align-items: flex-start; cursor: pointer; }
.bk-choice input { margin-top: 4px; }
.bk-option-description { display: block; color: #616061; font-size: 13px; }
`;

const HTML_BODY = `
<div id="app">
  <div id="topbar"><div id="search">Search Stand-in</div><div id="status" class="down">connecting…</div></div>
  <div id="workspace">
    <nav id="sidebar" aria-label="Sidebar"></nav>
    <main id="main"></main>
    <aside id="thread" hidden aria-label="Thread"></aside>
  </div>
</div>
<div id="modal-root"></div>
`;

/** The JSON in the page, safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function pageHtml(config: PageConfig): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>DLF bot playground · Slack stand-in</title>',
    `<style>${CSS}</style></head><body>`,
    HTML_BODY,
    `<script type="application/json" id="config">${scriptJson(config)}</script>`,
    `<script>\n${formatDateToken.toString()}\n${CLIENT_SCRIPT}\n</script>`,
    '</body></html>',
  ].join('\n');
}
