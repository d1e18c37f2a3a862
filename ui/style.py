"""The chat's theme and CSS."""

import gradio as gr

THEME = gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#title h1 { margin-bottom: 0.1em; font-size: 1.5em; }
#title p { margin-top: 0; color: var(--body-text-color-subdued); }
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
.timings { font-size: 0.72em; color: var(--body-text-color-subdued); margin-top: 0.4em; opacity: 0.8; }
.thinking { color: var(--body-text-color-subdued); font-style: italic; display: flex; align-items: center;
            gap: 0.5em; }
.spinner { width: 0.9em; height: 0.9em; border: 2px solid var(--border-color-primary);
           border-top-color: var(--color-accent); border-radius: 50%; animation: qa-spin 0.8s linear infinite; }
@keyframes qa-spin { to { transform: rotate(360deg); } }
table.computation, table.points { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; width: auto; }
table.computation caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.2em; }
table.computation caption code { font-weight: 400; font-size: 0.95em; }
table.computation th, table.computation td, table.points th, table.points td {
  padding: 0.2em 0.6em; border-bottom: 1px solid var(--border-color-primary); text-align: left; }
table.computation td.num, table.points td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.computation tr.result td { font-weight: 700; border-bottom: none;
                                 border-top: 2px solid var(--border-color-primary); }
.chart-note { font-size: 0.82em; color: #4338ca; margin-top: 0.3em; }
.reply-actions { margin-top: 0.4em; display: flex; gap: 0.4em; }
.reply button.copy-answer { font: inherit; font-size: 0.75em; padding: 0.1em 0.6em; cursor: pointer;
                            border: 1px solid var(--border-color-primary); border-radius: 4px;
                            background: var(--block-background-fill); }
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
                      font-size: 0.82em; white-space: pre-wrap; overflow-wrap: anywhere; }
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
#chart-title h3 { margin: 0; font-size: 1em; }
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
  #chat { height: 60vh !important; }
  #sources { max-height: 60vh; }
  .docs-table .period { display: none; }
  .viewer-head { flex-direction: column; gap: 0.1em; }
  .viewer-where { text-align: left; max-width: none; }
  .page-scroll, .section-scroll { max-height: 70vh; }
}
"""
