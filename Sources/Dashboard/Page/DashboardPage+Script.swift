extension DashboardPage {
    /// The page's script: polls `/api/state`, draws the table, the charts and the space-time
    /// diagram, and sends the controls' changes through `/api/vms/{id}/...`.
    static let script = #"""
        'use strict';
        // Okabe-Ito colours (told apart with the common colour-vision deficiencies), and dash patterns
        // so that lines differ by more than colour.
        const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D00'];
        const DASHES = [[], [7, 3], [2, 2], [9, 3, 2, 3]];
        const MAX_LINES = 8;          // more VMs shown than this: charts draw min, median and max
        const MAX_ROWS = 24;          // rows of the space-time diagram for a few VMs...
        const MAX_ROWS_MANY = 12;     // ...and when more than MAX_LINES are shown
        const SPACETIME_S = 20;
        const POLL_MS = 500;
        const $ = (id) => document.getElementById(id);

        const view = {
          generation: null, cursor: 0, vms: [], history: [], events: [], sends: new Map(),
          rows: new Map(), frozen: false, token: sessionStorage.getItem('vmserver-dashboard-token') || '',
          offsetMs: 0, lastAnswer: 0, failure: null, faultVM: null,
        };

        function fmt(value, digits) {
          if (value === null || value === undefined || Number.isNaN(value)) return '–';
          return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
        }
        function rateText(rate) { return rate === 'max' || rate === 'MAX' ? 'max' : fmt(rate, 3) + ' /s'; }
        function timeMs(text) { return Date.parse(text.slice(0, 23) + 'Z'); }
        function vmState(vm) { return vm.reachable ? vm.status.state : (vm.status ? 'unreachable' : 'unreachable'); }
        function nowMs() { return Date.now() + view.offsetMs; }

        // --- polling ---------------------------------------------------------------------------
        async function poll() {
          try {
            const answer = await fetch('/api/state?after=' + view.cursor, { cache: 'no-store' });
            const data = await answer.json();
            if (!answer.ok) throw new Error(data.error || 'HTTP ' + answer.status);
            absorb(data);
            view.failure = null;
          } catch (error) {
            view.failure = String(error.message || error);
          }
          if (!view.frozen) render();
          setTimeout(poll, POLL_MS);
        }

        function absorb(data) {
          if (data.generation !== view.generation) {
            view.generation = data.generation;
            view.history = []; view.events = []; view.sends.clear();
            for (const row of view.rows.values()) row.element.remove();
            view.rows.clear();
          }
          view.cursor = data.next;
          view.offsetMs = data.now_us / 1000 - Date.now();
          view.lastAnswer = Date.now();
          view.vms = data.vms;
          const t = data.now_us / 1000;
          const clocks = data.vms.filter((vm) => vm.reachable).map((vm) => vm.status.clock);
          const highest = clocks.length ? Math.max(...clocks) : 0;
          const sample = { t, byId: new Map() };
          for (const vm of data.vms) {
            if (vm.reachable && vm.vm_id !== null) {
              sample.byId.set(vm.vm_id, [vm.status.clock, vm.status.queue_length, highest - vm.status.clock]);
            }
          }
          view.history.push(sample);
          while (view.history.length && view.history[0].t < t - 600000) view.history.shift();
          for (const event of data.events) {
            event.t = timeMs(event.time);
            view.events.push(event);
            if (event.type === 'send') view.sends.set(event.vm + ':' + event.seq, event);
          }
          const oldest = t - 60000;
          let drop = 0;
          while (drop < view.events.length && view.events[drop].t < oldest) {
            const event = view.events[drop];
            if (event.type === 'send') view.sends.delete(event.vm + ':' + event.seq);
            drop += 1;
          }
          if (drop) view.events.splice(0, drop);
        }

        // --- which VMs are shown ---------------------------------------------------------------
        function parseFilter(text) {
          text = text.trim().toLowerCase();
          if (!text) return () => true;
          if (/^[\d\s,-]+$/.test(text)) {
            const ranges = text.split(/[\s,]+/).filter(Boolean).map((part) => {
              const [low, high] = part.split('-').map(Number);
              return [low, Number.isFinite(high) ? high : low];
            });
            return (vm) => vm.vm_id !== null && ranges.some(([low, high]) => vm.vm_id >= low && vm.vm_id <= high);
          }
          return (vm) => vmState(vm).includes(text) || vm.url.includes(text);
        }
        function shownVMs() {
          const keep = parseFilter($('filter').value);
          const byID = (a, b) => (a.vm_id ?? 1e9) - (b.vm_id ?? 1e9);
          const value = { queue: (vm) => -(vm.status ? vm.status.queue_length : -1),
            clock: (vm) => (vm.status ? vm.status.clock : -1),
            rate: (vm) => (vm.reachable ? vm.status.measured_tick_rate : -1) }[$('sort').value];
          const order = value ? (a, b) => value(a) - value(b) || byID(a, b) : byID;
          return view.vms.filter(keep).sort(order);
        }
        function colourOf(index) { return PALETTE[index % PALETTE.length]; }
        function dashOf(index) { return DASHES[Math.floor(index / PALETTE.length) % DASHES.length]; }

        // --- the table -------------------------------------------------------------------------
        function makeRow(vm) {
          const tr = document.createElement('tr');
          tr.innerHTML = '<td class="vm"><span class="swatch"></span><span class="name"></span></td>' +
            '<td class="state"><span class="mark" aria-hidden="true"></span><span class="text"></span></td>' +
            '<td class="clock"></td><td class="queue"></td><td class="rate-set"></td><td class="rate-measured"></td>' +
            '<td class="peers"></td>' +
            '<td class="controls"><input class="rate" type="text" inputmode="decimal" placeholder="e.g. 20">' +
            ' <button class="set-rate" type="button">Set</button>' +
            ' <button class="pause" type="button">Pause</button>' +
            ' <button class="faults" type="button">Faults</button></td>';
          const row = { element: tr, url: vm.url };
          const input = tr.querySelector('input.rate');
          const setRate = () => changeRate(row, input);
          tr.querySelector('button.set-rate').addEventListener('click', setRate);
          input.addEventListener('keydown', (event) => { if (event.key === 'Enter') setRate(); });
          tr.querySelector('button.pause').addEventListener('click', () => togglePause(row));
          tr.querySelector('button.faults').addEventListener('click', () => openFaults(row.vmID));
          return row;
        }

        function renderTable(shown) {
          const body = document.querySelector('#vms tbody');
          const marks = { running: '●', paused: '❚❚', waiting_for_peers: '…', stopping: '■', stopped: '■',
            unreachable: '✕' };
          const charted = shown.length <= MAX_LINES;
          shown.forEach((vm, index) => {
            let row = view.rows.get(vm.url);
            if (!row) { row = makeRow(vm); view.rows.set(vm.url, row); }
            const tr = row.element;
            const state = vmState(vm);
            const status = vm.status;
            row.vmID = vm.vm_id;
            row.paused = status ? status.paused : false;
            tr.id = vm.vm_id !== null ? 'vm-' + vm.vm_id : '';
            tr.dataset.vm = vm.vm_id ?? '';
            tr.dataset.state = state;
            tr.className = state;
            const name = vm.vm_id !== null ? 'vm' + vm.vm_id : vm.url;
            tr.querySelector('.name').textContent = name;
            tr.querySelector('.name').title = vm.url + (vm.error ? ' — ' + vm.error : '');
            const swatch = tr.querySelector('.swatch');
            swatch.style.borderTopColor = charted ? colourOf(index) : 'transparent';
            tr.querySelector('.mark').textContent = marks[state] || '•';
            tr.querySelector('.state .text').textContent = state.replaceAll('_', ' ');
            tr.querySelector('.clock').textContent = status ? fmt(status.clock, 0) : '–';
            tr.querySelector('.queue').textContent = status ? fmt(status.queue_length, 0) + ' msg' : '–';
            tr.querySelector('.rate-set').textContent = status ? rateText(status.tick_rate) : '–';
            tr.querySelector('.rate-measured').textContent = status ? fmt(status.measured_tick_rate, 2) + ' /s' : '–';
            const peers = status ? status.peers : [];
            tr.querySelector('.peers').textContent = status ? peers.filter((p) => p.connected).length + '/' + peers.length : '–';
            const pause = tr.querySelector('button.pause');
            pause.textContent = row.paused ? 'Resume' : 'Pause';
            pause.setAttribute('aria-label', (row.paused ? 'Resume ' : 'Pause ') + name);
            tr.querySelector('button.set-rate').setAttribute('aria-label', 'Set the tick rate of ' + name);
            tr.querySelector('input.rate').setAttribute('aria-label', 'new tick rate of ' + name + ' in ticks per second');
            tr.querySelector('button.faults').setAttribute('aria-label', 'Faults of ' + name);
            for (const control of tr.querySelectorAll('button, input')) control.disabled = vm.vm_id === null;
            // Moved only when out of place: moving a row takes the keyboard focus out of it.
            if (body.children[index] !== tr) body.insertBefore(tr, body.children[index] || null);
          });
          const shownURLs = new Set(shown.map((vm) => vm.url));
          for (const [url, row] of view.rows) if (!shownURLs.has(url)) row.element.remove();
        }

        function renderSummary(shown) {
          const counts = new Map();
          for (const vm of view.vms) counts.set(vmState(vm), (counts.get(vmState(vm)) || 0) + 1);
          const age = view.lastAnswer ? ((Date.now() - view.lastAnswer) / 1000).toFixed(1) : '–';
          const parts = [...counts].map(([state, count]) => count + ' ' + state.replaceAll('_', ' '));
          $('summary').textContent = view.failure
            ? 'the dashboard server does not answer: ' + view.failure
            : view.vms.length + ' VMs: ' + parts.join(', ') + ' · showing ' + shown.length +
              ' · updated ' + age + ' s ago';
          const groups = $('groups');
          groups.replaceChildren();
          if (view.vms.length > MAX_LINES) {
            groups.append('Groups: ');
            for (const [state, count] of counts) {
              const button = document.createElement('button');
              button.type = 'button';
              button.textContent = state.replaceAll('_', ' ') + ' (' + count + ')';
              button.addEventListener('click', () => { $('filter').value = state; render(); });
              groups.append(button);
            }
            const clocks = view.vms.filter((vm) => vm.reachable).map((vm) => vm.status.clock);
            if (clocks.length) groups.append(' clocks ' + fmt(Math.min(...clocks), 0) + '–' + fmt(Math.max(...clocks), 0) + ' ticks');
          }
        }

        // --- charts ----------------------------------------------------------------------------
        function setupCanvas(canvas) {
          const ratio = window.devicePixelRatio || 1;
          const width = canvas.clientWidth, height = canvas.clientHeight;
          if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
            canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
          }
          const context = canvas.getContext('2d');
          context.setTransform(ratio, 0, 0, ratio, 0, 0);
          context.clearRect(0, 0, width, height);
          context.font = '11px system-ui, sans-serif';
          return { context, width, height };
        }

        function chartLines(shown, column) {
          if (shown.length <= MAX_LINES) {
            return shown.map((vm, index) => ({
              label: 'vm' + vm.vm_id, colour: colourOf(index), dash: dashOf(index),
              points: view.history.filter((s) => s.byId.has(vm.vm_id)).map((s) => [s.t, s.byId.get(vm.vm_id)[column]]),
            }));
          }
          const ids = shown.map((vm) => vm.vm_id);
          const stats = [[], [], []];
          for (const sample of view.history) {
            const values = ids.filter((id) => sample.byId.has(id)).map((id) => sample.byId.get(id)[column]).sort((a, b) => a - b);
            if (!values.length) continue;
            stats[0].push([sample.t, values[0]]);
            stats[1].push([sample.t, values[Math.floor(values.length / 2)]]);
            stats[2].push([sample.t, values[values.length - 1]]);
          }
          return [
            { label: 'max of ' + ids.length + ' VMs', colour: PALETTE[1], dash: [], points: stats[2] },
            { label: 'median', colour: PALETTE[0], dash: [7, 3], points: stats[1] },
            { label: 'min', colour: PALETTE[2], dash: [2, 2], points: stats[0] },
          ];
        }

        function drawChart(canvas, lines, unit) {
          const { context, width, height } = setupCanvas(canvas);
          const windowMs = Number($('window').value) * 1000;
          const right = nowMs(), left = right - windowMs;
          let low = Infinity, high = -Infinity;
          for (const line of lines) for (const [t, v] of line.points) if (t >= left) { low = Math.min(low, v); high = Math.max(high, v); }
          if (!Number.isFinite(low)) { low = 0; high = 3; }
          // Clocks, queues and drift are whole numbers: at least 3 apart, so each grid line is one.
          if (high - low < 3) { high = low + 3; }
          const pad = { l: 58, r: 8, t: 6, b: 18 };
          const x = (t) => pad.l + (t - left) / windowMs * (width - pad.l - pad.r);
          const y = (v) => height - pad.b - (v - low) / (high - low) * (height - pad.t - pad.b);
          context.strokeStyle = '#ddd'; context.fillStyle = '#444'; context.lineWidth = 1;
          context.textAlign = 'right'; context.textBaseline = 'middle';
          for (let i = 0; i <= 3; i += 1) {
            const value = low + (high - low) * i / 3;
            context.beginPath(); context.moveTo(pad.l, y(value)); context.lineTo(width - pad.r, y(value)); context.stroke();
            context.fillText(fmt(value, 0) + ' ' + unit, pad.l - 4, y(value));
          }
          context.textAlign = 'center'; context.textBaseline = 'bottom';
          const minutes = windowMs / 60000;
          for (let i = 0; i <= 3; i += 1) {
            const t = left + windowMs * i / 3;
            const ago = (right - t) / 1000;
            context.textAlign = i === 3 ? 'right' : i === 0 ? 'left' : 'center';
            context.fillText(ago < 0.5 ? 'now' : '−' + (minutes >= 3 ? fmt(ago / 60, 1) + ' min' : fmt(ago, 0) + ' s'), i === 3 ? x(t) + pad.r - 2 : x(t), height - 2);
          }
          context.save();
          context.beginPath(); context.rect(pad.l, pad.t, width - pad.l - pad.r, height - pad.t - pad.b); context.clip();
          context.lineWidth = 2;
          for (const line of lines) {
            context.strokeStyle = line.colour; context.setLineDash(line.dash);
            context.beginPath();
            let started = false;
            for (const [t, v] of line.points) {
              if (t < left - 2000) continue;
              if (started) context.lineTo(x(t), y(v)); else { context.moveTo(x(t), y(v)); started = true; }
            }
            context.stroke();
          }
          context.restore();
        }

        function renderCharts(shown) {
          const names = ['clock', 'queue', 'drift'];
          const units = ['', 'msg', ''];
          names.forEach((name, column) => drawChart($('chart-' + name), chartLines(shown, column), units[column]));
          const legend = $('legend');
          legend.replaceChildren();
          for (const line of chartLines(shown, 0)) {
            const item = document.createElement('span');
            const swatch = document.createElement('span');
            swatch.className = 'swatch';
            swatch.style.borderTopColor = line.colour;
            swatch.style.borderTopStyle = line.dash.length ? 'dashed' : 'solid';
            item.append(swatch, line.label + '  ');
            legend.append(item);
          }
          if (shown.length > MAX_LINES) legend.append(' (grouped: filter to at most ' + MAX_LINES + ' VMs for one line each)');
        }

        // --- space-time diagram ----------------------------------------------------------------
        function renderSpaceTime() {
          const canvas = $('spacetime');
          const { context, width, height } = setupCanvas(canvas);
          const all = shownVMs().filter((vm) => vm.vm_id !== null);
          const charted = all.length <= MAX_LINES;
          const shown = all.slice(0, charted ? MAX_ROWS : MAX_ROWS_MANY);
          const rowOf = new Map(shown.map((vm, index) => [vm.vm_id, index]));
          const pad = { l: 58, r: 10, t: 8, b: 18 };
          const right = nowMs() - 300, left = right - SPACETIME_S * 1000;
          const x = (t) => pad.l + (t - left) / (right - left) * (width - pad.l - pad.r);
          const step = shown.length > 1 ? (height - pad.t - pad.b) / (shown.length - 1) : 0;
          const y = (id) => pad.t + (shown.length > 1 ? rowOf.get(id) * step : (height - pad.t - pad.b) / 2);
          context.fillStyle = '#444'; context.textAlign = 'right'; context.textBaseline = 'middle';
          context.strokeStyle = '#ccc'; context.lineWidth = 1;
          const labelEvery = Math.max(1, Math.ceil(12 / Math.max(step, 1)));
          shown.forEach((vm, index) => {
            context.beginPath(); context.moveTo(pad.l, y(vm.vm_id)); context.lineTo(width - pad.r, y(vm.vm_id)); context.stroke();
            if (index % labelEvery === 0) context.fillText('vm' + vm.vm_id, pad.l - 6, y(vm.vm_id));
          });
          context.textAlign = 'center'; context.textBaseline = 'bottom';
          for (let s = 0; s <= SPACETIME_S; s += 5) {
            context.textAlign = s === 0 ? 'right' : 'center';
            context.fillText(s === 0 ? 'now' : '−' + s + ' s', x(right - s * 1000) + (s === 0 ? pad.r - 2 : 0), height - 2);
          }
          context.textAlign = 'center';
          const colour = (id) => charted ? colourOf(rowOf.get(id)) : '#0072B2';
          context.save();
          context.beginPath(); context.rect(pad.l - 4, 0, width - pad.l - pad.r + 8, height - pad.b + 2); context.clip();
          context.globalAlpha = 0.55; context.lineWidth = 1;
          for (const event of view.events) {
            if (event.type !== 'receive' || event.t < left || !rowOf.has(event.vm) || !rowOf.has(event.from)) continue;
            const send = view.sends.get(event.from + ':' + event.send_seq);
            if (!send) continue;
            context.strokeStyle = colour(event.from);
            context.beginPath(); context.moveTo(x(send.t), y(send.vm)); context.lineTo(x(event.t), y(event.vm)); context.stroke();
          }
          context.globalAlpha = 1;
          for (const event of view.events) {
            if (event.t < left || !rowOf.has(event.vm)) continue;
            const px = x(event.t), py = y(event.vm);
            context.fillStyle = colour(event.vm); context.strokeStyle = colour(event.vm);
            if (event.type === 'send') { context.beginPath(); context.arc(px, py, 3.2, 0, 2 * Math.PI); context.fill(); }
            else if (event.type === 'receive') { context.beginPath(); context.arc(px, py, 3.2, 0, 2 * Math.PI); context.lineWidth = 1.5; context.stroke(); }
            else if (event.type === 'internal') { context.fillStyle = '#777'; context.fillRect(px - 1, py - 1, 2, 2); }
            else {
              context.fillStyle = event.type === 'heal' ? '#009E73' : '#D55E00';
              context.beginPath(); context.moveTo(px, py - 9); context.lineTo(px - 5, py - 1); context.lineTo(px + 5, py - 1); context.fill();
              // Only the changes people look for are named; start and peer_up lines are marks only.
              if (!['start', 'peer_up'].includes(event.type)) {
                context.fillStyle = '#222'; context.textBaseline = 'bottom'; context.fillText(event.type, px, py - 9);
              }
            }
          }
          context.restore();
          const note = all.length > shown.length
            ? 'the first ' + shown.length + ' of the ' + all.length + ' VMs shown, in the table\'s order (filter or sort to choose)'
            : '';
          if ($('spacetime-note').textContent !== note) $('spacetime-note').textContent = note;
          canvas.setAttribute('aria-label', 'events of ' + shown.length + ' VMs over the last ' + SPACETIME_S + ' s');
        }

        // Lines that are not ticks: configuration, faults, peers, start and stop, newest first.
        const FEED_TYPES = new Set(['config', 'fault', 'heal', 'peer_up', 'peer_down', 'start', 'stop']);
        const FEED_LENGTH = 10;
        function renderFeed(shown) {
          const section = $('feed-section');
          section.hidden = shown.length > MAX_LINES;
          if (section.hidden) return;
          const ids = new Set(shown.map((vm) => vm.vm_id));
          const lines = [];
          for (let index = view.events.length - 1; index >= 0 && lines.length < FEED_LENGTH; index -= 1) {
            const event = view.events[index];
            if (FEED_TYPES.has(event.type) && ids.has(event.vm)) lines.push(event);
          }
          const items = lines.map((event) => {
            const { seq, vm, type, clock, time, queue, t, ...details } = event;
            const item = document.createElement('li');
            const when = document.createElement('span');
            when.className = 'when';
            when.textContent = time.slice(11, 23);
            const text = Object.entries(details).map(([key, value]) =>
              key.replaceAll('_', ' ') + ' ' + (typeof value === 'object' ? JSON.stringify(value) : value)).join(', ');
            item.append(when, 'vm' + vm + ' ' + type.replaceAll('_', ' ') + (text ? ': ' + text : ''));
            return item;
          });
          if (!items.length) items.push(Object.assign(document.createElement('li'), { textContent: 'none in the last minute' }));
          const feed = $('feed');
          if (feed.textContent !== items.map((item) => item.textContent).join('')) feed.replaceChildren(...items);
        }

        function render() {
          const shown = shownVMs();
          renderSummary(shown);
          renderTable(shown);
          renderCharts(shown);
          renderFeed(shown);
        }

        // --- controls --------------------------------------------------------------------------
        function say(text, isError, where = 'message') {
          const element = $(where);
          element.textContent = text;
          element.className = isError ? 'error' : '';
        }

        function askToken() {
          return new Promise((resolve) => {
            const dialog = $('token-dialog');
            $('token-input').value = view.token;
            dialog.addEventListener('close', () => {
              if (dialog.returnValue === 'save') {
                view.token = $('token-input').value;
                sessionStorage.setItem('vmserver-dashboard-token', view.token);
                resolve(true);
              } else resolve(false);
            }, { once: true });
            dialog.showModal();
          });
        }

        async function send(vmID, method, path, body, retried = false) {
          const headers = {};
          if (body !== undefined) headers['Content-Type'] = 'application/json';
          if (view.token) headers.Authorization = 'Bearer ' + view.token;
          const answer = await fetch('/api/vms/' + vmID + path,
            { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
          if (answer.status === 401 && !retried && await askToken()) return send(vmID, method, path, body, true);
          const text = await answer.text();
          let data = null;
          try { data = text ? JSON.parse(text) : null; } catch (error) { data = null; }
          if (!answer.ok) throw new Error((data && data.error) || 'HTTP ' + answer.status);
          return data;
        }

        async function changeRate(row, input) {
          const text = input.value.trim();
          const rate = text.toLowerCase() === 'max' ? 'max' : Number(text);
          if (rate !== 'max' && !(rate > 0)) { say('vm' + row.vmID + ': a tick rate is a positive number of ticks per second, or max', true); input.focus(); return; }
          try {
            const config = await send(row.vmID, 'PATCH', '/config', { tick_rate: rate });
            say('vm' + row.vmID + ': tick rate set to ' + rateText(config ? config.tick_rate : rate), false);
            input.value = '';
          } catch (error) { say('vm' + row.vmID + ': ' + error.message, true); }
        }

        async function togglePause(row) {
          const paused = !row.paused;
          try {
            await send(row.vmID, 'PATCH', '/config', { paused });
            row.paused = paused;
            say('vm' + row.vmID + (paused ? ' paused' : ' resumed'), false);
          } catch (error) { say('vm' + row.vmID + ': ' + error.message, true); }
        }

        async function openFaults(vmID) {
          view.faultVM = vmID;
          $('fault-vm').textContent = 'vm' + vmID;
          say('', false, 'fault-message');
          showParameters();
          $('fault-dialog').showModal();
          await listFaults();
        }

        async function listFaults() {
          const list = $('fault-list');
          list.replaceChildren();
          try {
            const data = await send(view.faultVM, 'GET', '/faults');
            if (!data.faults.length) list.append(Object.assign(document.createElement('li'), { textContent: 'no faults' }));
            for (const fault of data.faults) {
              const item = document.createElement('li');
              const { id, kind, peers, started, ends, ...parameters } = fault;
              const details = Object.entries(parameters).map(([key, value]) => key + ' ' + value).join(', ');
              item.textContent = '#' + id + ' ' + kind + ' to ' + (peers.length ? peers.join(', ') : 'no peers') +
                (details ? ' (' + details + ')' : '') + (ends ? ', ends ' + ends : ', until healed') + ' ';
              const heal = document.createElement('button');
              heal.type = 'button'; heal.textContent = 'Heal'; heal.setAttribute('aria-label', 'Heal fault ' + id);
              heal.addEventListener('click', async () => {
                try { await send(view.faultVM, 'DELETE', '/faults/' + id); say('fault ' + id + ' healed', false, 'fault-message'); }
                catch (error) { say(error.message, true, 'fault-message'); }
                await listFaults();
              });
              item.append(heal);
              list.append(item);
            }
          } catch (error) { say(error.message, true, 'fault-message'); }
        }

        function showParameters() {
          const kind = $('fault-kind').value;
          for (const label of document.querySelectorAll('#fault-form .param')) label.hidden = !label.classList.contains('param-' + kind);
        }

        async function addFault() {
          const kind = $('fault-kind').value;
          const body = { kind };
          const peers = $('fault-peers').value.trim();
          if (peers && kind !== 'clock_skew') body.peers = peers.split(/[\s,]+/).filter(Boolean).map(Number);
          const duration = $('fault-duration').value.trim();
          if (duration) body.duration_s = Number(duration);
          if (kind === 'delay') { body.ms = Number($('fault-ms').value); body.jitter_ms = Number($('fault-jitter').value); }
          if (kind === 'clock_skew') body.ms = Number($('fault-ms').value);
          if (kind === 'loss' || kind === 'duplicate') body.probability = Number($('fault-probability').value);
          try {
            const fault = await send(view.faultVM, 'POST', '/faults', body);
            say('fault ' + fault.id + ' (' + kind + ') added', false, 'fault-message');
          } catch (error) { say(error.message, true, 'fault-message'); }
          await listFaults();
        }

        $('fault-kind').addEventListener('change', showParameters);
        $('fault-add').addEventListener('click', addFault);
        $('fault-heal-all').addEventListener('click', async () => {
          try { await send(view.faultVM, 'DELETE', '/faults'); say('all faults healed', false, 'fault-message'); }
          catch (error) { say(error.message, true, 'fault-message'); }
          await listFaults();
        });
        $('fault-close').addEventListener('click', () => $('fault-dialog').close());
        $('token-button').addEventListener('click', () => askToken());
        $('filter').addEventListener('input', () => render());
        $('window').addEventListener('change', () => render());
        $('sort').addEventListener('change', () => render());
        $('freeze').addEventListener('click', () => {
          view.frozen = !view.frozen;
          $('freeze').setAttribute('aria-pressed', String(view.frozen));
          $('freeze').textContent = view.frozen ? 'Resume view' : 'Freeze view';
        });
        setInterval(() => { if (!view.frozen) renderSpaceTime(); }, 100);
        poll();
        """#
}
