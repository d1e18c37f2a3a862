"""The chat's theme and CSS."""

import gradio as gr

THEME = gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")

CSS = """
.gradio-container { max-width: 1480px !important; margin: 0 auto !important; }
/* a wide table or the enlarged quote scrolls inside its own box and never widens the page */
.table-scroll, .src-table, .page-focus, .page-scroll, .section-scroll { contain: inline-size; }
#title h1 { margin-bottom: 0.1em; font-size: 1.4em; }
#title p { margin-top: 0; color: var(--body-text-color-subdued); font-size: 0.92em; }
/* the chat box's own clear icon: 'Clear conversation' asks first */
#chat .icon-button-wrapper.top-panel { display: none !important; }
.reply p { margin: 0 0 0.4em 0; }
.ask { white-space: pre-wrap; }
a.cite, span.cite { font-size: 0.75em; vertical-align: super; line-height: 0; font-weight: 600; padding: 0 1px; }
a.cite { color: var(--color-accent) !important; text-decoration: none !important; cursor: pointer;
         border-radius: 3px; }
a.cite:hover, a.cite.clicked { background: var(--color-accent-soft); }
span.cite { color: var(--body-text-color-subdued); }
.refusal { border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.08); padding: 0.6em 0.8em;
           border-radius: 6px; }
.refusal .refusal-title { font-weight: 600; color: #b45309; margin: 0 0 0.3em 0; }
.refusal .refusal-note { color: #78350f; margin: 0 0 0.4em 0; }
.refusal ol { margin: 0.2em 0 0 1.2em; padding: 0; font-size: 0.9em; }
.refusal ol ul { margin: 0 0 0.3em 0; padding: 0 0 0 0.4em; list-style: none; font-size: 0.95em;
                 color: var(--body-text-color-subdued); }
.refusal .doc-title { font-weight: 600; }
.error-box { border-left: 4px solid #dc2626; background: rgba(220, 38, 38, 0.08); padding: 0.6em 0.8em;
             border-radius: 6px; }
.error-box code { font-size: 0.9em; }
.resolved, .scope { font-size: 0.82em; font-style: italic; color: var(--body-text-color-subdued); margin-top: 0.3em; }
.scope { font-style: normal; color: #4338ca; }
.notice { font-size: 0.82em; color: #b45309; margin-top: 0.3em; }
.timings { font-size: 0.72em; color: var(--body-text-color-subdued); margin-top: 0.4em; }
.timings summary { cursor: pointer; display: inline-block; opacity: 0.75; }
.thinking { color: var(--body-text-color-subdued); font-style: italic; display: flex; align-items: center;
            gap: 0.5em; }
.spinner { width: 0.9em; height: 0.9em; border: 2px solid var(--border-color-primary);
           border-top-color: var(--color-accent); border-radius: 50%; animation: qa-spin 0.8s linear infinite; }
@keyframes qa-spin { to { transform: rotate(360deg); } }
.table-scroll { overflow-x: auto; max-width: 100%; }
table.computation, table.points { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; width: auto; }
/* a cell breaks only between words, never inside a figure or a period ('$387,497', 'FY2024') */
.reply table, .src-table table { word-break: normal !important; overflow-wrap: normal !important; }
table.computation caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.2em; }
table.computation caption code { font-weight: 400; font-size: 0.95em; }
table.computation th, table.computation td, table.points th, table.points td {
  padding: 0.2em 0.6em; border-bottom: 1px solid var(--border-color-primary); text-align: left; }
table.computation td.num, table.points td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.computation tr.result td { font-weight: 700; border-bottom: none;
                                 border-top: 2px solid var(--border-color-primary); }
figure.chart { margin: 0.6em 0 0.2em 0; padding: 0.4em 0.5em 0 0.5em; border: 1px solid var(--border-color-primary);
               border-radius: 8px; background: white; }
figure.chart figcaption { font-size: 0.82em; font-weight: 600; color: #1e293b; }
figure.chart svg { display: block; overflow: visible; }
.chart-legend { display: flex; flex-wrap: wrap; gap: 0.8em; font-size: 0.75em; color: #475569; margin-top: 0.2em; }
.chart-legend i { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.3em;
                  vertical-align: -0.05em; }
.reply-actions { margin-top: 0.4em; display: flex; gap: 0.4em; }
.reply button.copy-answer { font: inherit; font-size: 0.75em; padding: 0.1em 0.6em; cursor: pointer;
                            border: 1px solid var(--border-color-primary); border-radius: 4px;
                            background: var(--block-background-fill); }
#examples .examples { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; font-size: 0.85em; }
#examples .examples span { color: var(--body-text-color-subdued); margin-right: 0.2em; }
#examples button.example { font: inherit; text-align: left; white-space: normal; border: 1px solid var(--color-accent);
                           color: var(--color-accent); border-radius: 999px; padding: 0.2em 0.8em; cursor: pointer;
                           background: transparent; }
#examples button.example:hover { background: var(--color-accent-soft); }
#chat-actions { gap: 0.5em; }
#clear-confirm { border: 1px solid rgba(185, 28, 28, 0.35); border-radius: 6px; padding: 0.4em;
                 background: rgba(185, 28, 28, 0.05); }
.suggestions { margin-top: 0.5em; display: flex; flex-wrap: wrap; gap: 0.35em; align-items: center; font-size: 0.8em; }
.suggestions span { color: var(--body-text-color-subdued); }
.reply button.suggestion { font: inherit; border: 1px solid var(--color-accent); color: var(--color-accent);
                           border-radius: 999px; padding: 0.15em 0.7em; background: transparent; cursor: pointer;
                           text-align: left; }
.reply button.suggestion:hover { background: var(--color-accent-soft); }
#question-counter { font-size: 0.75em; color: var(--body-text-color-subdued); text-align: right; margin-top: -0.4em; }
#question-counter .over { color: #b91c1c; font-weight: 600; }
#sources { max-height: 46vh; overflow-y: auto !important; padding: 0.5em; border: 1px solid var(--border-color-primary);
           border-radius: 8px; background: var(--block-background-fill); }
#sources details { margin: 0 0 0.6em 0; }
#sources summary { cursor: pointer; font-weight: 600; font-size: 0.9em; padding: 0.2em 0; }
#sources summary .summary-kind { font-weight: 400; color: var(--body-text-color-subdued); }
#sources ol { list-style: none; padding: 0; margin: 0.3em 0 0 0; }
.passage { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.7em;
           margin: 0 0 0.5em 0; transition: background 0.3s; }
.passage.active { outline: 2px solid var(--color-accent); background: var(--color-accent-soft); }
.passage .passage-head { font-size: 0.88em; font-weight: 600; }
.passage .passage-num { color: var(--color-accent); margin-right: 0.3em; }
.passage .passage-meta { font-size: 0.75em; color: var(--body-text-color-subdued); margin: 0.1em 0 0.3em 0; }
.passage blockquote { margin: 0; padding: 0 0 0 0.6em; border-left: 3px solid var(--border-color-primary);
                      font-size: 0.82em; overflow-wrap: anywhere; }
.src-text { white-space: pre-wrap; }
.src-table { overflow-x: auto; margin: 0.3em 0; }
.src-table table { border-collapse: collapse; font-size: 0.95em; width: auto; }
.src-table th, .src-table td { padding: 0.1em 0.5em; border: none !important; text-align: left; font-weight: 400;
                               vertical-align: top; border-bottom: 1px solid var(--border-color-primary) !important; }
.src-table thead th { font-weight: 600; text-align: right; white-space: nowrap; }
.src-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.src-table tr.group th { font-weight: 600; padding-top: 0.35em; }
.src-table td.glued { text-align: left; color: #92400e; text-decoration: underline dotted; cursor: help; }
.src-table tr.marked th, .src-table tr.marked td, .src-table th.marked { background: #fde68a; color: #111827; }
.passage mark, .section-text mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
#viewer .viewer { border: 1px solid var(--color-accent); border-radius: 8px; padding: 0.5em;
                  background: var(--block-background-fill); margin-bottom: 0.6em; }
#viewer.loading .viewer { opacity: 0.6; }
.viewer-head { display: flex; justify-content: space-between; gap: 0.5em; align-items: baseline; font-size: 0.85em; }
.viewer-title { font-weight: 600; }
.viewer-num { color: var(--color-accent); margin-right: 0.3em; }
.viewer-where { color: var(--body-text-color-subdued); font-size: 0.9em; text-align: right; max-width: 45%; }
.viewer-note { font-size: 0.8em; color: #b45309; background: rgba(217, 119, 6, 0.08); border-radius: 4px;
               padding: 0.3em 0.5em; margin: 0.3em 0; }
.page-scroll, .section-scroll { max-height: 42vh; overflow: auto; margin: 0.4em 0; border-radius: 4px;
                                border: 1px solid var(--border-color-primary); background: white; }
.page-focus { overflow-x: auto; margin: 0.4em 0; border: 1px solid var(--color-accent); border-radius: 4px;
              background: white; }
.focus-row { display: flex; align-items: flex-start; width: 100%; }
.focus-slice { position: relative; overflow: hidden; flex: none; line-height: 0; }
.focus-slice + .focus-slice { border-left: 2px dashed #cbd5e1; }
.focus-slice img { position: absolute; max-width: none; height: auto; }
.focus-slice .hl { position: absolute; background: rgba(250, 204, 21, 0.35); pointer-events: none;
                   mix-blend-mode: multiply; border-radius: 2px; }
.page-frame { position: relative; line-height: 0; }
.page-frame.zoomed { width: 200%; }
.page-frame img.page-image { width: 100%; height: auto; display: block; }
.page-frame .hl { position: absolute; background: rgba(250, 204, 21, 0.35); outline: 2px solid rgba(217, 119, 6, 0.9);
                  border-radius: 2px; pointer-events: none; mix-blend-mode: multiply; }
.section-text { white-space: pre-wrap; font-size: 0.8em; padding: 0.5em 0.7em; color: #111827;
                overflow-wrap: anywhere; }
.viewer-nav { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; font-size: 0.8em; }
.viewer-nav button, .viewer-nav a { font: inherit; border: 1px solid var(--border-color-primary); border-radius: 4px;
                                    padding: 0.15em 0.6em; background: var(--block-background-fill); cursor: pointer;
                                    color: inherit; text-decoration: none; }
.viewer-nav button:disabled { opacity: 0.4; cursor: default; }
#back-to-answer { display: none; position: fixed; bottom: 1em; left: 50%; transform: translateX(-50%); z-index: 50;
                  background: var(--color-accent); color: white; border: none; border-radius: 999px;
                  padding: 0.5em 1em; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25); font-size: 0.9em; }
body.cite-jumped #back-to-answer { display: block; }
.muted, .muted p { color: var(--body-text-color-subdued) !important; font-size: 0.9em; }
#delete-button { color: #b91c1c !important; border-color: rgba(185, 28, 28, 0.35) !important; }
#delete-confirm { border: 1px solid rgba(185, 28, 28, 0.35); border-radius: 6px; padding: 0.4em;
                  background: rgba(185, 28, 28, 0.05); }
.docs-table { overflow-x: auto; }
.docs-table table { width: 100%; border-collapse: collapse; font-size: 0.82em; }
.docs-table th, .docs-table td { text-align: left; padding: 0.3em 0.4em;
                                 border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.docs-table td.num { text-align: right; }
.docs-table .doc-id { display: block; font-size: 0.85em; color: var(--body-text-color-subdued); }
#store-notice { border-left: 4px solid #d97706; padding: 0.4em 0.8em; background: rgba(217, 119, 6, 0.08);
                border-radius: 6px; }
#doc-status:not(:empty) { scroll-margin: 80px; }
@media (max-width: 640px) {
  #title h1 { font-size: 1.05em; margin: 0; }
  #title p { display: none; }
  #chat { height: 60vh !important; }
  #sources { max-height: 60vh; }
  .docs-table .period { display: none; }
  .viewer-head { flex-direction: column; gap: 0.1em; }
  .viewer-where { text-align: left; max-width: none; }
  .page-scroll, .section-scroll { max-height: 70vh; }
  table.computation, table.points { font-size: 0.78em; }
  table.computation th, table.computation td, table.points th, table.points td { padding: 0.2em 0.35em; }
}
"""
