extension DashboardPage {
    /// The page's style: fits 1280x800, high contrast, visible keyboard focus.
    static let style = #"""
        :root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --paper: #fff; --band: #f3f3f3;
          --focus: #0072b2; --bad: #b03a00; font-family: system-ui, sans-serif; font-size: 14px; color: var(--ink); }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
        body { margin: 0; background: var(--paper); }
        header { display: flex; align-items: center; gap: 16px; padding: 6px 12px; border-bottom: 1px solid var(--line);
          background: var(--band); flex-wrap: wrap; }
        h1 { font-size: 18px; margin: 0; }
        h2 { font-size: 15px; margin: 0; }
        #summary { margin: 0; flex: 1; min-width: 300px; }
        .header-controls { display: flex; gap: 8px; align-items: center; }
        main { display: grid; grid-template-columns: minmax(0, 1fr) 500px; grid-template-rows: auto auto;
          gap: 8px 12px; padding: 8px 12px; }
        #vms-section { grid-column: 1; grid-row: 1; min-width: 0; }
        #charts { grid-column: 2; grid-row: 1; }
        #spacetime-section { grid-column: 1 / span 2; grid-row: 2; }
        .section-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 4px; }
        .hint { color: var(--muted); font-size: 12px; }
        .groups { margin: 2px 0 4px; font-size: 13px; }
        .groups button { margin-right: 4px; }
        .table-box { max-height: 340px; overflow: auto; border: 1px solid var(--line); }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
        th, td { padding: 2px 5px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
        th { position: sticky; top: 0; background: var(--band); font-weight: 600; font-size: 12px; z-index: 1; }
        td.vm, th:first-child, td.state, th:nth-child(2) { text-align: left; }
        td.state .mark { display: inline-block; width: 1.2em; text-align: center; }
        tr.unreachable td { color: var(--bad); }
        tr.paused td.state { font-weight: 600; }
        .swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle;
          margin-right: 4px; }
        input.rate { width: 4.5em; }
        td.controls { text-align: left; }
        button { font: inherit; padding: 1px 8px; border: 1px solid #888; border-radius: 3px; background: #fafafa;
          cursor: pointer; }
        button:hover { background: #e8e8e8; }
        button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid var(--focus);
          outline-offset: 1px; }
        figure { margin: 0 0 4px; }
        figcaption { font-size: 12px; font-weight: 600; }
        canvas { display: block; border: 1px solid var(--line); background: #fff; max-width: 100%; }
        #charts canvas { width: 100%; height: 116px; }
        #spacetime { width: 100%; height: 250px; }
        .legend { margin: 2px 0; font-size: 12px; }
        #message { min-height: 1.3em; margin: 4px 0 0; }
        #feed { list-style: none; padding: 0; margin: 4px 0 0; font-size: 12px; font-variant-numeric: tabular-nums; }
        #feed li { padding: 1px 0; border-bottom: 1px solid #eee; }
        #feed .when { color: var(--muted); margin-right: 6px; }
        #message.error, #fault-message.error { color: var(--bad); }
        dialog { border: 1px solid #888; border-radius: 4px; max-width: 640px; }
        dialog label { margin-right: 10px; display: inline-block; margin-bottom: 6px; }
        dialog input[type=number] { width: 6em; }
        .dialog-buttons { display: flex; gap: 8px; margin-top: 8px; }
        #fault-list { padding-left: 18px; }
        #fault-list li { margin-bottom: 4px; }
        @media (max-width: 1100px) { main { grid-template-columns: 1fr; }
          #charts, #spacetime-section, #vms-section { grid-column: 1; grid-row: auto; } }
        """#
}
