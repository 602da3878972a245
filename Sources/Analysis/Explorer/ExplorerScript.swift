/// The explorer's JavaScript, written here and inlined in report.html (no library, works offline).
///
/// It decodes the compact arrays `ExplorerSection` embeds, draws the space-time diagram of the
/// whole run on a canvas (zoom with the wheel, the buttons or + and -; pan by dragging or with the
/// arrow keys; Home resets), shows an event's line, Lamport clock and vector clock on hover, and
/// on click (or the form) marks its causal past, its causal future and the events concurrent with
/// it, split by what the Lamport order claims about them. Causal past and future are computed per
/// lane as a prefix and a suffix, so a click costs one pass over the events it reaches.
/// `window.vmExplorer` exposes the same to scripts and tests.
enum ExplorerScript {
    static let source = #"""
        (function () {
          "use strict";
          var started = performance.now();
          var root = document.getElementById("explorer");
          if (!root) return;
          var meta = JSON.parse(document.getElementById("explorer-meta").textContent);
          function decode(id, Type) {
            var text = document.getElementById(id).textContent.replace(/\s+/g, "");
            var binary = atob(text);
            var bytes = new Uint8Array(binary.length);
            for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
            return new Type(bytes.buffer);
          }
          var time = decode("explorer-time", Float64Array);
          var clock = decode("explorer-clock", Int32Array);
          var kind = decode("explorer-kind", Uint8Array);
          var seq = decode("explorer-seq", Int32Array);
          var link = decode("explorer-link", Int32Array);
          var laneStart = meta.laneStart;
          var lanes = meta.vms.length;
          var count = time.length;
          var laneOf = new Int32Array(count);
          for (var l = 0; l < lanes; l++) for (var e = laneStart[l]; e < laneStart[l + 1]; e++) laneOf[e] = l;
          // Receives of each send, as compressed rows.
          var receiveCount = new Int32Array(count + 1);
          for (var r = 0; r < count; r++) if (link[r] >= 0) receiveCount[link[r] + 1]++;
          for (var c = 0; c < count; c++) receiveCount[c + 1] += receiveCount[c];
          var receivesOf = new Int32Array(receiveCount[count]);
          var fill = receiveCount.slice(0, count);
          for (var r2 = 0; r2 < count; r2++) if (link[r2] >= 0) receivesOf[fill[link[r2]]++] = r2;
          var endTime = 0;
          for (var t = 0; t < count; t++) if (time[t] > endTime) endTime = time[t];
          endTime = Math.max(endTime, 1);

          var canvas = root.querySelector("canvas");
          var tip = root.querySelector(".explorer-tip");
          var info = root.querySelector(".explorer-info");
          var status = root.querySelector(".explorer-status");
          var context = canvas.getContext("2d");
          var left = 110, right = 16, top = 26, bottom = 30;
          // The lanes on show (all, or those the "Show VMs" field names) and each lane's row.
          var shown = [], rowOf = new Int32Array(lanes), laneHeight = 3;
          function show(list) {
            shown = list;
            rowOf.fill(-1);
            shown.forEach(function (lane, row) { rowOf[lane] = row; });
            // Lanes share about 520 px; with more than ~170 on show a lane is thinner than a pixel
            // and the diagram is a density picture until "Show VMs" narrows it.
            laneHeight = Math.min(28, 520 / Math.max(1, shown.length));
            if (laneHeight >= 3) laneHeight = Math.floor(laneHeight);
          }
          show(meta.vms.map(function (vm, lane) { return lane; }));
          var view = { from: 0, to: endTime };
          var selected = -1, pastEnd = null, futureStart = null, hovered = -1;
          var colours = {
            internal: "#999999", send: "#000000", receive: "#555555", arrow: "rgba(0,0,0,0.25)",
            past: "#0072B2", future: "#E69F00", before: "#D55E00", after: "#CC79A7", tie: "#009E73",
            phase: "rgba(86,180,233,0.12)", fault: "rgba(213,94,0,0.35)"
          };

          function size() {
            var ratio = window.devicePixelRatio || 1;
            var width = canvas.parentElement.clientWidth || 960;
            var height = top + bottom + laneHeight * shown.length;
            canvas.style.width = width + "px";
            canvas.style.height = height + "px";
            canvas.width = Math.round(width * ratio);
            canvas.height = Math.round(height * ratio);
            context.setTransform(ratio, 0, 0, ratio, 0, 0);
            return { width: width, height: height };
          }
          var box = size();
          function x(at) { return left + (at - view.from) / (view.to - view.from) * (box.width - left - right); }
          function atX(px) { return view.from + (px - left) / (box.width - left - right) * (view.to - view.from); }
          function y(lane) { return top + rowOf[lane] * laneHeight + laneHeight / 2; }
          function firstAtOrAfter(lane, at) {
            var low = laneStart[lane], high = laneStart[lane + 1];
            while (low < high) { var mid = (low + high) >> 1; if (time[mid] < at) low = mid + 1; else high = mid; }
            return low;
          }
          function firstAfter(lane, at) {
            var low = laneStart[lane], high = laneStart[lane + 1];
            while (low < high) { var mid = (low + high) >> 1; if (time[mid] <= at) low = mid + 1; else high = mid; }
            return low;
          }
          function classOf(e) {
            if (selected < 0) return null;
            if (e === selected) return "selected";
            var lane = laneOf[e];
            if (e < pastEnd[lane]) return "past";
            if (e >= futureStart[lane]) return "future";
            if (clock[e] < clock[selected]) return "before";
            if (clock[e] > clock[selected]) return "after";
            return "tie";
          }
          function seconds(micro) { return (micro / 1e6).toFixed(micro < 1e7 ? 3 : 1) + " s"; }

          function draw() {
            box = size();
            context.clearRect(0, 0, box.width, box.height);
            context.font = "11px sans-serif";
            context.textBaseline = "middle";
            (meta.phases || []).forEach(function (phase) {
              var a = Math.max(left, x(phase.start)), b = Math.min(box.width - right, x(phase.end));
              if (b <= a) return;
              context.fillStyle = colours.phase;
              context.fillRect(a, top - 18, b - a, box.height - top - bottom + 18);
              context.fillStyle = "#1a5a7a";
              context.fillText(phase.name, a + 3, top - 10);
            });
            shown.forEach(function (lane) {
              context.strokeStyle = "#e4e4e4";
              context.beginPath(); context.moveTo(left, y(lane)); context.lineTo(box.width - right, y(lane)); context.stroke();
              if (laneHeight >= 9) { context.fillStyle = "#333"; context.fillText(meta.labels[lane], 4, y(lane)); }
            });
            (meta.faults || []).forEach(function (fault) {
              var lane = meta.vms.indexOf(fault.vm);
              var a = Math.max(left, x(fault.start)), b = Math.min(box.width - right, x(fault.end));
              if (lane < 0 || rowOf[lane] < 0 || b <= a) return;
              context.fillStyle = colours.fault;
              context.fillRect(a, y(lane) - laneHeight / 2, b - a, laneHeight);
            });
            var ranges = [], visible = 0;
            for (var l2 = 0; l2 < lanes; l2++) {
              if (rowOf[l2] < 0) { ranges.push([0, 0]); continue; }
              var a2 = firstAtOrAfter(l2, view.from), b2 = firstAfter(l2, view.to);
              ranges.push([a2, b2]); visible += b2 - a2;
            }
            var dense = visible > 40000;
            if (dense) drawDensity(ranges); else drawEvents(ranges);
            context.fillStyle = "#333";
            context.textAlign = "center";
            var ticks = 8;
            for (var k = 0; k <= ticks; k++) {
              var at = view.from + (view.to - view.from) * k / ticks;
              context.fillText(seconds(at), x(at), box.height - bottom / 2);
            }
            context.textAlign = "left";
            status.textContent = visible.toLocaleString("en") + " of " + count.toLocaleString("en") + " events in view, "
              + seconds(view.from) + " to " + seconds(view.to) + (dense ? " (drawn as density: zoom in for single events)" : "");
          }
          function drawDensity(ranges) {
            var width = Math.max(1, Math.floor(box.width - left - right));
            for (var lane = 0; lane < ranges.length; lane++) {
              var bins = new Float64Array(width), most = 0;
              for (var e = ranges[lane][0]; e < ranges[lane][1]; e++) {
                var column = Math.min(width - 1, Math.max(0, Math.floor(x(time[e]) - left)));
                bins[column]++;
              }
              for (var col = 0; col < width; col++) if (bins[col] > most) most = bins[col];
              for (var col2 = 0; col2 < width; col2++) {
                if (!bins[col2]) continue;
                context.fillStyle = "rgba(0,60,120," + (0.2 + 0.8 * bins[col2] / most).toFixed(3) + ")";
                context.fillRect(left + col2, y(lane) - laneHeight / 2, 1, Math.max(0.5, laneHeight - (laneHeight >= 3 ? 2 : 0)));
              }
            }
            if (selected >= 0) {
              // A selection's past and future are a prefix and a suffix of each lane: bars show them.
              for (var l3 = 0; l3 < lanes; l3++) {
                var first = laneStart[l3], last = laneStart[l3 + 1] - 1;
                if (last < first || rowOf[l3] < 0) continue;
                var h = Math.max(2, laneHeight / 3), top3 = y(l3) - h / 2;
                if (pastEnd[l3] > first) band(time[first], time[pastEnd[l3] - 1], top3, h, colours.past);
                if (futureStart[l3] <= last) band(time[futureStart[l3]], time[last], top3, h, colours.future);
              }
              if (rowOf[laneOf[selected]] >= 0) drawEvent(selected, true);
            }
          }
          function band(from, to, at, height, colour) {
            var a = Math.max(left, x(from)), b = Math.min(box.width - right, x(to));
            if (b < a) return;
            context.fillStyle = colour;
            context.fillRect(a, at, Math.max(1, b - a), height);
          }
          function drawEvents(ranges) {
            context.strokeStyle = colours.arrow;
            context.beginPath();
            for (var lane = 0; lane < ranges.length; lane++) {
              for (var e = ranges[lane][0]; e < ranges[lane][1]; e++) {
                if (kind[e] === 2 && link[e] >= 0 && rowOf[laneOf[link[e]]] >= 0) {
                  context.moveTo(x(time[link[e]]), y(laneOf[link[e]]));
                  context.lineTo(x(time[e]), y(lane));
                }
              }
            }
            context.stroke();
            for (var lane2 = 0; lane2 < ranges.length; lane2++)
              for (var e2 = ranges[lane2][0]; e2 < ranges[lane2][1]; e2++) drawEvent(e2, false);
          }
          function drawEvent(e, big) {
            var cls = classOf(e);
            var radius = Math.max(1.5, Math.min(4, laneHeight / 3)) + (big || e === selected ? 2 : 0);
            context.beginPath();
            context.arc(x(time[e]), y(laneOf[e]), radius, 0, 2 * Math.PI);
            if (cls === null) {
              context.fillStyle = kind[e] === 0 ? colours.internal : kind[e] === 1 ? colours.send : colours.receive;
              context.fill();
            } else if (cls === "selected") {
              context.fillStyle = "#ffffff"; context.fill();
              context.lineWidth = 3; context.strokeStyle = "#000"; context.stroke(); context.lineWidth = 1;
            } else if (cls === "past" || cls === "future") {
              context.fillStyle = colours[cls]; context.fill();
            } else {
              context.lineWidth = 1.5; context.strokeStyle = colours[cls]; context.stroke(); context.lineWidth = 1;
            }
          }

          function computePast(e) {
            var end = new Int32Array(lanes);
            for (var l = 0; l < lanes; l++) end[l] = laneStart[l];
            var work = [e];
            while (work.length) {
              var next = work.pop(), lane = laneOf[next];
              if (next < end[lane]) continue;
              for (var i = end[lane]; i <= next; i++) if (kind[i] === 2 && link[i] >= 0) work.push(link[i]);
              end[lane] = next + 1;
            }
            return end;
          }
          function computeFuture(e) {
            var start = new Int32Array(lanes);
            for (var l = 0; l < lanes; l++) start[l] = laneStart[l + 1];
            var work = [e];
            while (work.length) {
              var next = work.pop(), lane = laneOf[next];
              if (next >= start[lane]) continue;
              for (var i = next; i < start[lane]; i++)
                for (var k = receiveCount[i]; k < receiveCount[i + 1]; k++) work.push(receivesOf[k]);
              start[lane] = next;
            }
            return start;
          }
          function vectorClock(end) {
            var entries = [];
            for (var l = 0; l < lanes; l++) if (end[l] > laneStart[l]) entries.push([meta.vms[l], end[l] - laneStart[l]]);
            return entries;
          }
          function vectorText(entries) {
            var shown = entries.slice(0, 24).map(function (p) { return "VM " + p[0] + ": " + p[1]; }).join(", ");
            return "{" + shown + (entries.length > 24 ? ", ... " + (entries.length - 24) + " more" : "") + "}";
          }
          function lineText(e) {
            var names = ["internal", "send", "receive"];
            var text = "seq " + seq[e] + ", VM " + meta.vms[laneOf[e]] + ", " + names[kind[e]] + ", clock " + clock[e]
              + ", at " + seconds(time[e]);
            if (kind[e] === 2 && link[e] >= 0) text += ", from VM " + meta.vms[laneOf[link[e]]] + " (its send seq " + seq[link[e]] + ")";
            if (kind[e] === 1) {
              var to = [];
              for (var k = receiveCount[e]; k < receiveCount[e + 1]; k++) to.push(meta.vms[laneOf[receivesOf[k]]]);
              text += ", received by " + (to.length ? "VM " + to.join(", ") : "none in the logs");
            }
            return text;
          }
          function select(e) {
            var begun = performance.now();
            selected = e;
            pastEnd = computePast(e);
            futureStart = computeFuture(e);
            var counts = { past: 0, future: 0, before: 0, after: 0, tie: 0 };
            for (var l = 0; l < lanes; l++) {
              counts.past += pastEnd[l] - laneStart[l];
              counts.future += laneStart[l + 1] - futureStart[l];
            }
            counts.past -= 1; counts.future -= 1;
            for (var i = 0; i < count; i++) {
              var lane = laneOf[i];
              if (i < pastEnd[lane] || i >= futureStart[lane]) continue;
              if (clock[i] < clock[e]) counts.before++; else if (clock[i] > clock[e]) counts.after++; else counts.tie++;
            }
            var concurrent = counts.before + counts.after + counts.tie;
            api.lastClickMs = performance.now() - begun;
            info.innerHTML = "";
            [
              ["Event", lineText(e)],
              ["Lamport clock", String(clock[e])],
              ["Vector clock", vectorText(vectorClock(pastEnd))],
              ["Causal past", counts.past.toLocaleString("en") + " events (blue)"],
              ["Causal future", counts.future.toLocaleString("en") + " events (orange)"],
              ["Concurrent", concurrent.toLocaleString("en") + " events: the Lamport order puts "
                + counts.before.toLocaleString("en") + " before it (red ring) and " + counts.after.toLocaleString("en")
                + " after it (purple ring), an order causality does not give; " + counts.tie.toLocaleString("en")
                + " have the same clock (green ring)"],
              ["Computed in", api.lastClickMs.toFixed(1) + " ms"]
            ].forEach(function (row) {
              var term = document.createElement("dt"); term.textContent = row[0];
              var detail = document.createElement("dd"); detail.textContent = row[1];
              info.appendChild(term); info.appendChild(detail);
            });
            draw();
            return counts;
          }
          function clear() { selected = -1; pastEnd = null; futureStart = null; info.textContent = "Click an event to see its causal past and future."; draw(); }
          function eventAt(px, py) {
            var row = Math.floor((py - top) / laneHeight);
            if (row < 0 || row >= shown.length) return -1;
            var lane = shown[row];
            var at = atX(px), i = firstAtOrAfter(lane, at), best = -1, distance = 7;
            [i - 1, i].forEach(function (c) {
              if (c >= laneStart[lane] && c < laneStart[lane + 1]) {
                var d = Math.abs(x(time[c]) - px);
                if (d <= distance) { distance = d; best = c; }
              }
            });
            return best;
          }
          function find(vm, wanted) {
            var lane = meta.vms.indexOf(vm);
            if (lane < 0) return -1;
            for (var i = laneStart[lane]; i < laneStart[lane + 1]; i++) if (seq[i] === wanted) return i;
            return -1;
          }
          function zoom(factor, around) {
            var centre = around === undefined ? (view.from + view.to) / 2 : around;
            var span = Math.max(1000, Math.min(endTime * 1.05, (view.to - view.from) * factor));
            view.from = Math.max(-endTime * 0.02, centre - (centre - view.from) * span / (view.to - view.from));
            view.to = view.from + span;
            draw();
          }
          function pan(fraction) {
            var shift = (view.to - view.from) * fraction;
            view.from += shift; view.to += shift; draw();
          }

          canvas.addEventListener("wheel", function (event) {
            event.preventDefault();
            var rect = canvas.getBoundingClientRect();
            zoom(event.deltaY > 0 ? 1.25 : 0.8, atX(event.clientX - rect.left));
          }, { passive: false });
          var drag = null;
          canvas.addEventListener("mousedown", function (event) { drag = { x: event.clientX, from: view.from, to: view.to, moved: false }; });
          window.addEventListener("mouseup", function () { setTimeout(function () { drag = null; }, 0); });
          canvas.addEventListener("mousemove", function (event) {
            var rect = canvas.getBoundingClientRect();
            if (drag && Math.abs(event.clientX - drag.x) > 3) {
              drag.moved = true;
              var shift = (event.clientX - drag.x) / (box.width - left - right) * (drag.to - drag.from);
              view.from = drag.from - shift; view.to = drag.to - shift; draw();
              return;
            }
            var e = eventAt(event.clientX - rect.left, event.clientY - rect.top);
            hovered = e;
            if (e < 0) { tip.hidden = true; return; }
            var past = computePast(e);
            tip.textContent = lineText(e) + " | Lamport clock " + clock[e] + " | vector clock " + vectorText(vectorClock(past));
            tip.style.left = Math.min(event.clientX - rect.left + 12, box.width - 320) + "px";
            tip.style.top = (event.clientY - rect.top + 14) + "px";
            tip.hidden = false;
          });
          canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
          canvas.addEventListener("click", function (event) {
            if (drag && drag.moved) return;
            var rect = canvas.getBoundingClientRect();
            var e = eventAt(event.clientX - rect.left, event.clientY - rect.top);
            if (e >= 0) select(e); else clear();
          });
          canvas.addEventListener("keydown", function (event) {
            var keys = { "+": function () { zoom(0.8); }, "=": function () { zoom(0.8); }, "-": function () { zoom(1.25); },
              "ArrowLeft": function () { pan(-0.2); }, "ArrowRight": function () { pan(0.2); },
              "Home": function () { view.from = 0; view.to = endTime; draw(); }, "Escape": clear };
            if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
          });
          root.querySelector("[data-action=in]").addEventListener("click", function () { zoom(0.5); });
          root.querySelector("[data-action=out]").addEventListener("click", function () { zoom(2); });
          root.querySelector("[data-action=reset]").addEventListener("click", function () { view.from = 0; view.to = endTime; draw(); });
          root.querySelector("form").addEventListener("submit", function (event) {
            event.preventDefault();
            var form = event.target;
            var e = find(Number(form.vm.value), Number(form.seq.value));
            if (e < 0) { info.textContent = "No tick event with that VM and seq."; return; }
            var span = Math.min(view.to - view.from, endTime);
            view.from = time[e] - span / 2; view.to = time[e] + span / 2;
            select(e);
          });
          root.querySelector("[name=lanes]").addEventListener("change", function (event) {
            var wanted = parseVMs(event.target.value);
            var lanesWanted = [];
            meta.vms.forEach(function (vm, lane) { if (wanted === null || wanted.has(vm)) lanesWanted.push(lane); });
            if (!lanesWanted.length) { status.textContent = "No VM of this run matches " + event.target.value; return; }
            show(lanesWanted);
            draw();
          });
          function parseVMs(text) {
            if (!text.trim()) return null;
            var wanted = new Set();
            text.split(",").forEach(function (part) {
              var bounds = part.split("-").map(function (value) { return Number(value.trim()); });
              if (bounds.length === 1 && bounds[0] > 0) wanted.add(bounds[0]);
              if (bounds.length === 2 && bounds[0] > 0 && bounds[1] >= bounds[0])
                for (var vm = bounds[0]; vm <= Math.min(bounds[1], bounds[0] + 100000); vm++) wanted.add(vm);
            });
            return wanted;
          }
          window.addEventListener("resize", draw);

          var api = {
            count: count,
            loadMs: 0,
            lastClickMs: null,
            /** Shows only these VMs' lanes ("1-8, 12"; empty: all). */
            showVMs: function (text) {
              var field = root.querySelector("[name=lanes]");
              field.value = text;
              field.dispatchEvent(new Event("change"));
              return shown.length;
            },
            /** Selects VM `vm`'s event with log seq `wanted`; returns the counts, or null. */
            select: function (vm, wanted) { var e = find(vm, wanted); return e < 0 ? null : select(e); },
            /** The selection as lists of [vm, seq]: past, future and concurrent events. */
            selection: function () {
              if (selected < 0) return null;
              var out = { past: [], future: [], concurrent: [] };
              for (var i = 0; i < count; i++) {
                if (i === selected) continue;
                var cls = classOf(i), pair = [meta.vms[laneOf[i]], seq[i]];
                if (cls === "past") out.past.push(pair); else if (cls === "future") out.future.push(pair); else out.concurrent.push(pair);
              }
              return out;
            },
            /** The vector clock of VM `vm`'s event `wanted` as {vm: entry}. */
            vectorClock: function (vm, wanted) {
              var e = find(vm, wanted);
              if (e < 0) return null;
              var result = {};
              vectorClock(computePast(e)).forEach(function (p) { result[p[0]] = p[1]; });
              return result;
            }
          };
          window.vmExplorer = api;
          root.hidden = false;
          clear();
          api.loadMs = performance.now() - started;
          root.querySelector(".explorer-load").textContent = count.toLocaleString("en") + " events loaded in "
            + api.loadMs.toFixed(0) + " ms.";
          api.ready = true;
        })();
        """#
}
