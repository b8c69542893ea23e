/// The report page's style sheet and legend: light by default, dark when the reader's system
/// asks for it, and black on white with no clipping when printed.
enum ReportStyle {
    static let css = """
        :root { --bg: #ffffff; --fg: #1c1e21; --muted: #5c6370; --rule: #dde1e6; --lane: #f3f5f8;
          --grid: #e2e6eb; --act: #7c8794; --ok: #2b8a4b; --fail: #cf3027; --signal: #d97706; --lost: #8b3fb0;
          --running: #0e94a6; --done: #4f8fd9; --released: #a0a8b3; --held: #e0a100; --msg: #2f6fd6;
          --join: #2b8a4b; --leave: #7c8794; --dead: #cf3027; --stale: #d97706; --badge-fg: #ffffff; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #15171a; --fg: #e6e8eb; --muted: #a2a9b4; --rule: #30343a; --lane: #1e2125;
            --grid: #2c3036; --act: #9aa4b1; --ok: #4cc274; --fail: #ff6b61; --signal: #f5a524; --lost: #c084fc;
            --running: #38c7d6; --done: #6ea2ff; --released: #6b7380; --held: #f5c518; --msg: #6ea2ff;
            --join: #4cc274; --leave: #9aa4b1; --dead: #ff6b61; --stale: #f5a524; --badge-fg: #15171a; }
        }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1280px; padding: 24px; background: var(--bg); color: var(--fg);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
        .period { color: var(--muted); margin: 0 0 10px; }
        .figures { margin: 0; padding-left: 18px; }
        .figures li { margin: 2px 0; }
        .timeline svg { width: 100%; height: auto; display: block; font-size: 12px; }
        .timeline text { fill: var(--fg); }
        .timeline .role, .axis text { fill: var(--muted); font-size: 11px; }
        .timeline .name { font-weight: 600; font-size: 13px; }
        .lane { fill: var(--lane); }
        .grid { stroke: var(--grid); stroke-width: 1; }
        .act { fill: var(--act); }
        .msgs line { stroke: var(--msg); stroke-width: 1; stroke-opacity: 0.07; }
        .msgs line:hover { stroke-opacity: 1; stroke-width: 2; }
        .claim.done { fill: var(--done); } .claim.released { fill: var(--released); } .claim.held { fill: var(--held); }
        .job.ok { fill: var(--ok); } .job.fail { fill: var(--fail); } .job.signal { fill: var(--signal); }
        .job.lost { fill: var(--lost); } .job.running { fill: var(--running); }
        .timeline a:hover rect { stroke: var(--fg); stroke-width: 1.5; }
        .join { fill: var(--join); } .leave { fill: var(--leave); }
        .end line, .end path { stroke-width: 3; fill: none; stroke-linecap: round; }
        .end.dead line, .end.dead path { stroke: var(--dead); } .end.stale line, .end.stale path { stroke: var(--stale); }
        .end line { stroke-width: 2; stroke-dasharray: 4 3; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 12px; }
        .legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        tr:target { outline: 2px solid var(--done); }
        td { white-space: nowrap; } td:last-child { white-space: normal; }
        td code { font-size: 12px; overflow-wrap: anywhere; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; margin: 4px 0; }
        a { color: var(--msg); }
        .badge { display: inline-block; padding: 0 6px; border-radius: 8px; color: var(--badge-fg); white-space: nowrap; }
        .badge.ok { background: var(--ok); } .badge.fail { background: var(--fail); } .badge.signal { background: var(--signal); }
        .badge.lost { background: var(--lost); } .badge.running { background: var(--running); }
        @media print {
          :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --rule: #bbbbbb; --lane: #f2f2f2; --grid: #dddddd; --badge-fg: #ffffff; }
          body { max-width: none; padding: 0; font-size: 11px; }
          .timeline { break-inside: avoid; }
          .msgs line { stroke-opacity: 0.25; }
          details > pre { display: block; }
          tr { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }

        """

    static let legend = """
        <ul class="legend">
        <li><i style="background:var(--act)"></i>operations</li>
        <li><i style="background:var(--done)"></i>claim, done</li>
        <li><i style="background:var(--held)"></i>claim, still held</li>
        <li><i style="background:var(--released)"></i>claim, released</li>
        <li><i style="background:var(--ok)"></i>job succeeded</li>
        <li><i style="background:var(--fail)"></i>job failed</li>
        <li><i style="background:var(--signal)"></i>job killed by a signal</li>
        <li><i style="background:var(--lost)"></i>job lost</li>
        <li><i style="background:var(--running)"></i>job running</li>
        <li><i style="background:var(--msg);opacity:.5"></i>message (sender to recipient)</li>
        <li><i style="background:var(--dead)"></i>death (cross)</li>
        <li><i style="background:var(--join)"></i>join (triangle)</li>
        </ul>

        """
}
