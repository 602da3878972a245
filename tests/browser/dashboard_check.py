"""The live dashboard in chromium (Playwright for Python), against a running cluster.

Checks what a person relies on, reading the truth from the VMs' own control planes:
the clocks rise in the page; a rate set in the page is the rate the VM measures; pausing and
resuming from the page (mouse, then keyboard) pauses and resumes the VM; a fault added in the
page is on the VM and healing it removes it. Screenshots at 1280x800 go to --screenshots.
No timing assertions: every wait is a poll with a generous timeout.
"""

import argparse
import json
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def wait_for(condition, what, timeout=90.0):
    """Polls condition() until it returns something truthy; fails naming `what` after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # a VM still starting, a row not drawn yet
            last_error = error
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" ({last_error})" if last_error else ""))


def page_clock(page, vm):
    text = page.text_content(f"#vm-{vm} td.clock") or ""
    digits = text.replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshots", required=True)
    options = parser.parse_args()
    base = options.url.rstrip("/")

    state = wait_for(
        lambda: (s := get_json(base + "/api/state")) and all(vm["reachable"] for vm in s["vms"]) and len(s["vms"]) == 3 and s,
        "3 reachable VMs in /api/state")
    control = {vm["vm_id"]: vm["url"] for vm in state["vms"]}
    print(f"VMs: {control}")

    def status(vm):
        return get_json(control[vm] + "/status")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "/")
        page.wait_for_selector("#vm-3", timeout=90_000)

        # 1. The clocks rise in the page.
        wait_for(lambda: status(1)["state"] == "running", "vm1 running")
        first = {vm: wait_for(lambda vm=vm: page_clock(page, vm) is not None and page_clock(page, vm) + 1, f"vm{vm}'s clock in the page") - 1
                 for vm in (1, 2, 3)}
        wait_for(lambda: all(page_clock(page, vm) > first[vm] for vm in (1, 2, 3)), "every clock to rise in the page")
        print(f"clocks in the page rose from {first}")
        page.select_option("#window", "60")  # 1 min: the charts fill sooner
        time.sleep(20)  # some seconds of charts and messages for the screenshot
        page.screenshot(path=f"{options.screenshots}/dashboard-3-vms.png")

        # 2. A rate set in the page is the rate VM 2 measures (from its own /status).
        page.fill("#vm-2 input.rate", "25")
        page.click("#vm-2 button.set-rate")
        wait_for(lambda: status(2)["tick_rate"] == 25, "vm2's tick_rate to be 25")
        measured = wait_for(lambda: (r := status(2)["measured_tick_rate"]) > 15 and r, "vm2 to measure about 25 ticks/s")
        print(f"vm2 measures {measured} ticks/s after the page set 25")
        wait_for(lambda: "25 /s" in (page.text_content("#vm-2 td.rate-set") or ""), "the page to show vm2's new rate")

        # 3. Pausing from the page pauses it; resuming by keyboard (focus, Enter) resumes it.
        page.click("#vm-2 button.pause")
        wait_for(lambda: status(2)["state"] == "paused", "vm2 to be paused")
        wait_for(lambda: page.get_attribute("#vm-2", "data-state") == "paused", "the page to show vm2 paused")
        print("vm2 paused from the page")
        time.sleep(4)
        page.screenshot(path=f"{options.screenshots}/dashboard-paused.png")
        page.focus("#vm-2 button.pause")
        page.keyboard.press("Enter")
        wait_for(lambda: status(2)["state"] == "running", "vm2 to run again (resumed by keyboard)")
        print("vm2 resumed by keyboard")

        # 4. A fault added in the page is on the VM; healing it in the page removes it.
        page.click("#vm-1 button.faults")
        page.select_option("#fault-kind", "partition")
        page.fill("#fault-peers", "3")
        page.click("#fault-add")
        faults = wait_for(lambda: get_json(control[1] + "/faults")["faults"], "a fault on vm1")
        assert faults[0]["kind"] == "partition" and faults[0]["peers"] == [3], faults
        page.wait_for_selector("#fault-list button", timeout=30_000)
        page.screenshot(path=f"{options.screenshots}/dashboard-faults.png")
        page.click("#fault-heal-all")
        wait_for(lambda: get_json(control[1] + "/faults")["faults"] == [], "vm1's faults to be healed")
        page.click("#fault-close")
        print("fault added and healed from the page")

        # 5. Every control is reachable by keyboard: Tab walks onto the rate field of vm1.
        page.focus("#filter")
        reached = False
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.matches('#vm-1 input.rate')"):
                reached = True
                break
        assert reached, "Tab from the filter never reached vm1's rate field"
        # ...and the page's updates (several while a person types) leave the focus and the text alone.
        page.keyboard.type("12")
        time.sleep(2.5)
        assert page.evaluate("document.activeElement.matches('#vm-1 input.rate')"), "an update took the focus away"
        assert page.input_value("#vm-1 input.rate") == "12", "an update changed what was typed"
        page.fill("#vm-1 input.rate", "")
        browser.close()
    print("browser check passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"browser-check: FAIL: {error}", file=sys.stderr)
        sys.exit(1)
