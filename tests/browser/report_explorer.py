"""The report's explorer in a real browser (Debian's chromium, driven by Playwright).

Simulates a small known run, analyzes it, opens report.html from disk and checks that clicking
an event marks exactly the causal past, the causal future and the concurrent events that vector
clocks computed here, by hand, from the logs give; that hovering shows the event's line and
vector clock; that the page stays usable with the keyboard. With --big it also loads a run of
about a million events and prints the load and click times.

    python3 tests/browser/report_explorer.py VMSERVER WORKDIR [--big] [--screenshots DIR]
"""
import json
import os
import subprocess
import sys

from playwright.sync_api import sync_playwright

TICK_TYPES = {"internal", "send", "receive"}


def simulate(vmserver, folder, arguments):
    subprocess.run([vmserver, "simulate", *arguments, "--out", folder], check=True, stdout=subprocess.DEVNULL)
    # analyze exits 1 when a check fails; the report is written either way, and this run must pass.
    subprocess.run([vmserver, "analyze", folder], check=True, stdout=subprocess.DEVNULL)


def vector_clocks(folder):
    """(vm, seq) -> vector clock {vm: count}, from the logs alone: a VM's own entry counts its tick
    events; a receive takes the entry-wise maximum with its send's vector."""
    logs = {}
    for name in os.listdir(folder):
        if name.startswith("vm") and name.endswith(".jsonl"):
            vm = int(name[2:-6])
            with open(os.path.join(folder, name)) as handle:
                logs[vm] = [line for line in map(json.loads, handle) if line["type"] in TICK_TYPES]
    clocks, position = {}, {vm: 0 for vm in logs}
    current = {vm: {} for vm in logs}
    # Walk the VMs round-robin, waiting at a receive until its send has a vector.
    progress = True
    while progress:
        progress = False
        for vm, lines in logs.items():
            while position[vm] < len(lines):
                line = lines[position[vm]]
                vector = dict(current[vm])
                if line["type"] == "receive":
                    key = (line["from"], line["send_seq"])
                    if key not in clocks:
                        break
                    for other, value in clocks[key].items():
                        vector[other] = max(vector.get(other, 0), value)
                vector[vm] = vector.get(vm, 0) + 1
                clocks[(vm, line["seq"])] = vector
                current[vm] = vector
                position[vm] += 1
                progress = True
    assert all(position[vm] == len(lines) for vm, lines in logs.items()), "every receive found its send"
    return clocks


def happened_before(a, b):
    return all(b.get(vm, 0) >= value for vm, value in a.items()) and a != b


def check_small(page, folder, screenshots):
    clocks = vector_clocks(folder)
    page.goto("file://" + os.path.abspath(os.path.join(folder, "report.html")))
    page.wait_for_function("window.vmExplorer && window.vmExplorer.ready", timeout=60000)
    assert page.evaluate("vmExplorer.count") == len(clocks), "every tick event is loaded"
    chosen = [(2, 40), (1, 12), (3, 77), (2, 150)]
    assert all(event in clocks for event in chosen), "the chosen events are tick events of this run"
    for vm, seq in chosen:
        mine = clocks[(vm, seq)]
        page.evaluate(f"vmExplorer.select({vm}, {seq})")
        selection = page.evaluate("vmExplorer.selection()")
        past = {(o, s) for (o, s), v in clocks.items() if happened_before(v, mine)}
        future = {(o, s) for (o, s), v in clocks.items() if happened_before(mine, v)}
        concurrent = set(clocks) - past - future - {(vm, seq)}
        assert {tuple(p) for p in selection["past"]} == past, f"causal past of VM {vm} seq {seq}"
        assert {tuple(p) for p in selection["future"]} == future, f"causal future of VM {vm} seq {seq}"
        assert {tuple(p) for p in selection["concurrent"]} == concurrent, f"concurrent with VM {vm} seq {seq}"
        shown = page.evaluate(f"vmExplorer.vectorClock({vm}, {seq})")
        assert {int(k): v for k, v in shown.items()} == mine, f"vector clock of VM {vm} seq {seq}"
        info = page.locator("#explorer .explorer-info").inner_text()
        assert f"seq {seq}, VM {vm}" in info and f"{len(past):,} events" in info, info
        print(f"report-explorer: VM {vm} seq {seq}: past {len(past)}, future {len(future)}, "
              f"concurrent {len(concurrent)}: as the vector clocks say")
    # The same through the page's own form, with the keyboard only.
    page.locator("#explorer input[name=vm]").focus()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#explorer .explorer-info').innerText.includes('seq 12, VM 1')")
    canvas = page.locator("#explorer canvas")
    canvas.focus()
    before = page.locator("#explorer .explorer-status").inner_text()
    page.keyboard.press("+")
    assert page.locator("#explorer .explorer-status").inner_text() != before, "+ zooms in"
    page.keyboard.press("Home")
    # Hover over a drawn event: its line and vector clock appear.
    box = canvas.bounding_box()
    found = False
    for step in range(0, 400):
        page.mouse.move(box["x"] + 115 + step * (box["width"] - 130) / 400, box["y"] + 26 + 14)
        if page.locator("#explorer .explorer-tip").is_visible():
            text = page.locator("#explorer .explorer-tip").inner_text()
            assert "Lamport clock" in text and "vector clock {VM" in text, text
            found = True
            break
    assert found, "hovering over the first lane shows an event"
    # Only the lanes named stay; a selection still counts every lane.
    all_lanes = canvas.bounding_box()["height"]
    assert page.evaluate("vmExplorer.showVMs('2-3')") == 2
    assert canvas.bounding_box()["height"] < all_lanes, "two lanes take less room than three"
    assert page.evaluate("vmExplorer.showVMs('')") == 3
    if screenshots:
        page.evaluate("vmExplorer.select(2, 40)")
        page.locator("#explorer").scroll_into_view_if_needed()
        page.locator("#explorer").screenshot(path=os.path.join(screenshots, "report-explorer.png"))


def check_big(page, folder):
    page.goto("file://" + os.path.abspath(os.path.join(folder, "report.html")), timeout=180000)
    page.wait_for_function("window.vmExplorer && window.vmExplorer.ready", timeout=180000)
    count, load = page.evaluate("[vmExplorer.count, vmExplorer.loadMs]")
    clicks = []
    for vm, seq in [(1, 10), (50, 2000), (100, 5000)]:
        page.evaluate(f"vmExplorer.select({vm}, {seq})")
        clicks.append(page.evaluate("vmExplorer.lastClickMs"))
    assert page.evaluate("vmExplorer.showVMs('1-8')") == 8
    print(f"report-explorer: {count:,} events loaded in {load:.0f} ms; a click took "
          + ", ".join(f"{c:.0f}" for c in clicks) + " ms")


def main():
    vmserver, work = sys.argv[1], sys.argv[2]
    screenshots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    small = os.path.join(work, "small")
    simulate(vmserver, small, ["--tick-rates", "1,4,6", "--duration", "40", "--seed", "3"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        check_small(page, small, screenshots)
        if "--big" in sys.argv:
            big = os.path.join(work, "big")
            simulate(vmserver, big, ["--vms", "100", "--topology", "random:4", "--tick-rates", "1-6",
                                     "--duration", "3100", "--seed", "1"])
            check_big(page, big)
        browser.close()
    assert not errors, f"errors in the page: {errors}"
    print("report-explorer: ok")


if __name__ == "__main__":
    main()
