extension DashboardPage {
    /// The page's markup; `dashboard.js` fills it in.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>vmserver dashboard</title>
        <link rel="stylesheet" href="/dashboard.css">
        </head>
        <body>
        <header>
          <h1>vmserver dashboard</h1>
          <p id="summary" aria-live="polite">connecting…</p>
          <div class="header-controls">
            <label>Window <select id="window">
              <option value="60">1 min</option>
              <option value="180" selected>3 min</option>
              <option value="600">10 min</option>
            </select></label>
            <button id="freeze" type="button" aria-pressed="false">Freeze view</button>
            <button id="token-button" type="button">Control token…</button>
          </div>
        </header>
        <main>
          <section id="vms-section" aria-labelledby="vms-title">
            <div class="section-head">
              <h2 id="vms-title">VMs</h2>
              <label>Filter <input id="filter" type="text" placeholder="1-5,9 or paused" size="14"
                aria-describedby="filter-help" autocomplete="off"></label>
              <label>Sort <select id="sort">
                <option value="id">id</option>
                <option value="queue">longest queue</option>
                <option value="clock">lowest clock</option>
                <option value="rate">lowest rate</option>
              </select></label>
              <span id="filter-help" class="visually-hidden">filter by ids and ranges, or by a state (running, paused, unreachable)</span>
            </div>
            <p id="groups" class="groups"></p>
            <div class="table-box">
              <table id="vms">
                <thead><tr>
                  <th scope="col">VM</th><th scope="col">state</th><th scope="col">clock</th>
                  <th scope="col">queue</th><th scope="col">rate set</th><th scope="col">measured</th>
                  <th scope="col">peers up</th><th scope="col">controls (new rate in ticks/s)</th>
                </tr></thead>
                <tbody></tbody>
              </table>
            </div>
            <p id="message" role="status" aria-live="polite"></p>
            <div id="feed-section">
              <h2 id="feed-title">Recent changes</h2>
              <ol id="feed" aria-labelledby="feed-title"></ol>
            </div>
          </section>
          <section id="charts" aria-label="charts">
            <figure><figcaption id="clock-title">Lamport clock (ticks)</figcaption>
              <canvas id="chart-clock" width="560" height="150" role="img" aria-labelledby="clock-title"></canvas></figure>
            <figure><figcaption id="queue-title">queue length (messages)</figcaption>
              <canvas id="chart-queue" width="560" height="150" role="img" aria-labelledby="queue-title"></canvas></figure>
            <figure><figcaption id="drift-title">drift: behind the highest clock (ticks)</figcaption>
              <canvas id="chart-drift" width="560" height="150" role="img" aria-labelledby="drift-title"></canvas></figure>
            <p id="legend" class="legend"></p>
          </section>
          <section id="spacetime-section" aria-labelledby="spacetime-title">
            <div class="section-head">
              <h2 id="spacetime-title">Space-time diagram</h2>
              <span class="hint">last <span id="spacetime-seconds">20</span> s; ● send, ○ receive, · internal,
                lines are messages, ▲ faults and config changes</span>
              <span id="spacetime-note" class="hint" aria-live="polite"></span>
            </div>
            <canvas id="spacetime" width="1240" height="220" role="img"
              aria-label="events of the shown VMs over the last seconds"></canvas>
          </section>
        </main>
        <dialog id="fault-dialog" aria-labelledby="fault-title">
          <form id="fault-form" method="dialog">
            <h2 id="fault-title">Faults of <span id="fault-vm"></span></h2>
            <ul id="fault-list"></ul>
            <fieldset>
              <legend>Add a fault (on this VM's outgoing messages)</legend>
              <label>kind <select id="fault-kind">
                <option value="partition">partition (nothing gets through)</option>
                <option value="delay">delay</option>
                <option value="loss">loss</option>
                <option value="duplicate">duplicate</option>
                <option value="clock_skew">clock skew (log time stamps)</option>
              </select></label>
              <label>peers <input id="fault-peers" type="text" placeholder="all" size="8"></label>
              <label class="param param-delay param-clock_skew">ms <input id="fault-ms" type="number" value="100" min="0"></label>
              <label class="param param-delay">jitter ms <input id="fault-jitter" type="number" value="0" min="0"></label>
              <label class="param param-loss param-duplicate">probability <input id="fault-probability" type="number"
                value="0.5" min="0" max="1" step="0.05"></label>
              <label>duration s <input id="fault-duration" type="number" placeholder="until healed" min="0" step="any"></label>
            </fieldset>
            <div class="dialog-buttons">
              <button id="fault-add" type="button">Add fault</button>
              <button id="fault-heal-all" type="button">Heal all</button>
              <button id="fault-close" type="button">Close</button>
            </div>
            <p id="fault-message" role="status" aria-live="polite"></p>
          </form>
        </dialog>
        <dialog id="token-dialog" aria-labelledby="token-title">
          <form id="token-form" method="dialog">
            <h2 id="token-title">Control token</h2>
            <p>The VMs need <code>Authorization: Bearer CONTROL_TOKEN</code> for changes. The token stays in this tab.</p>
            <label>token <input id="token-input" type="password" autocomplete="off"></label>
            <div class="dialog-buttons">
              <button id="token-save" type="submit" value="save">Use token</button>
              <button id="token-cancel" type="submit" value="cancel">Cancel</button>
            </div>
          </form>
        </dialog>
        <script src="/dashboard.js"></script>
        </body>
        </html>
        """#
}
